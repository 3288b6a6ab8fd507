package dev.agentchat.adapter.cosmos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentchat.domain.usage.Cost;
import dev.agentchat.domain.usage.Usage;
import java.math.BigDecimal;

/** Usage as a nested document; the cost as text, so that no digit of a decimal amount is lost to a double. */
final class UsageDocuments {
    private UsageDocuments() {
    }

    static ObjectNode toDocument(Usage usage) {
        ObjectNode doc = Documents.JSON.createObjectNode();
        doc.put("promptTokens", usage.promptTokens());
        doc.put("completionTokens", usage.completionTokens());
        doc.put("estimated", usage.estimated());
        doc.put("costUsd", usage.cost().isKnown() ? usage.cost().usd().toPlainString() : null);
        return doc;
    }

    static Usage fromDocument(JsonNode doc) {
        String cost = Documents.text(doc, "costUsd");
        return new Usage(doc.get("promptTokens").asLong(), doc.get("completionTokens").asLong(),
                doc.get("estimated").asBoolean(), cost == null ? Cost.UNKNOWN : new Cost(new BigDecimal(cost)));
    }
}
