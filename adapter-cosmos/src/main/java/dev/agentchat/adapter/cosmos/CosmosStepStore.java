package dev.agentchat.adapter.cosmos;

import com.azure.cosmos.CosmosContainer;
import com.azure.cosmos.models.SqlParameter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.step.Step;
import dev.agentchat.domain.step.StepId;
import dev.agentchat.domain.step.StepKind;
import dev.agentchat.domain.step.StepStatus;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.ports.step.StepStore;
import java.util.List;

/** Steps in the {@code turns} container, in their thread's partition. */
public final class CosmosStepStore implements StepStore {
    private static final String START_ORDER = "c.startedAt ASC, c.id ASC";

    private final TurnRecords<Step> records;

    CosmosStepStore(CosmosContainer container, RequestCharges charges) {
        this.records = new TurnRecords<>(container, "step", CosmosStepStore::fromDocument, charges);
    }

    @Override
    public void create(Step step) {
        records.create(toDocument(step), step.threadId());
    }

    @Override
    public void update(Step step) {
        records.replace(toDocument(step), step.threadId());
    }

    @Override
    public List<Step> listByRun(ThreadId threadId, RunId runId) {
        return records.query(threadId, "c.runId = @run", START_ORDER, List.of(new SqlParameter("@run", runId.value())));
    }

    @Override
    public List<Step> listByThread(ThreadId threadId) {
        return records.query(threadId, "", START_ORDER, List.of());
    }

    @Override
    public int deleteByThread(ThreadId threadId) {
        return records.deleteAll(threadId);
    }

    private ObjectNode toDocument(Step step) {
        ObjectNode doc = records.document(step.id().value(), step.threadId());
        doc.put("runId", step.runId().value());
        doc.put("kind", step.kind().name());
        doc.put("round", step.round());
        doc.put("position", step.position());
        doc.put("callId", step.callId());
        doc.put("name", step.name());
        doc.put("arguments", step.arguments());
        doc.put("status", step.status().name());
        doc.put("output", step.output());
        doc.put("error", step.error());
        doc.set("usage", UsageDocuments.toDocument(step.usage()));
        Documents.putInstant(doc, "startedAt", step.startedAt());
        Documents.putInstant(doc, "endedAt", step.endedAt());
        doc.set("approval", ApprovalDocuments.toDocument(step.approval()));
        return doc;
    }

    private static Step fromDocument(JsonNode doc) {
        return new Step(StepId.of(Documents.text(doc, "id")), RunId.of(Documents.text(doc, "runId")),
                ThreadId.of(Documents.text(doc, "threadId")), StepKind.valueOf(Documents.text(doc, "kind")),
                doc.get("round").asInt(), doc.get("position").asInt(), Documents.text(doc, "callId"),
                Documents.text(doc, "name"), Documents.text(doc, "arguments"), StepStatus.valueOf(Documents.text(doc, "status")),
                Documents.text(doc, "output"), Documents.text(doc, "error"), UsageDocuments.fromDocument(doc.get("usage")),
                Documents.instant(doc, "startedAt"), Documents.instant(doc, "endedAt"),
                ApprovalDocuments.approval(doc.get("approval")));
    }
}
