package dev.agentchat.adapter.cosmos;

import com.azure.cosmos.CosmosContainer;
import com.azure.cosmos.models.SqlParameter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentchat.domain.agent.AgentId;
import dev.agentchat.domain.message.MessageId;
import dev.agentchat.domain.run.Run;
import dev.agentchat.domain.run.RunFailure;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.run.RunStatus;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.ports.run.RunStore;
import java.util.List;
import java.util.Optional;

/** Runs in the {@code turns} container, in their thread's partition. */
public final class CosmosRunStore implements RunStore {
    private final TurnRecords<Run> records;

    CosmosRunStore(CosmosContainer container, RequestCharges charges) {
        this.records = new TurnRecords<>(container, "run", CosmosRunStore::fromDocument, charges);
    }

    @Override
    public void create(Run run) {
        records.create(toDocument(run), run.threadId());
    }

    @Override
    public void update(Run run) {
        records.replaceRevision(toDocument(run), run.threadId(), run.revision());
    }

    @Override
    public Optional<Run> find(ThreadId threadId, RunId runId) {
        return records.query(threadId, "c.id = @id", "c.createdAt ASC", List.of(new SqlParameter("@id", runId.value())))
                .stream().findFirst();
    }

    @Override
    public List<Run> listByThread(ThreadId threadId) {
        return records.query(threadId, "", "c.createdAt ASC, c.id ASC", List.of());
    }

    @Override
    public int deleteByThread(ThreadId threadId) {
        return records.deleteAll(threadId);
    }

    private ObjectNode toDocument(Run run) {
        ObjectNode doc = records.document(run.id().value(), run.threadId());
        doc.put("agentId", run.agentId().value());
        doc.put("agentVersion", run.agentVersion());
        doc.put("status", run.status().name());
        doc.put("requestMessageId", run.requestMessageId().value());
        doc.put("answerMessageId", run.answerMessageId() == null ? null : run.answerMessageId().value());
        doc.set("usage", UsageDocuments.toDocument(run.usage()));
        if (run.failure() != null) {
            doc.putObject("failure").put("code", run.failure().code()).put("message", run.failure().message());
        }
        Documents.putInstant(doc, "createdAt", run.createdAt());
        Documents.putInstant(doc, "startedAt", run.startedAt());
        Documents.putInstant(doc, "endedAt", run.endedAt());
        doc.put("revision", run.revision());
        return doc;
    }

    private static Run fromDocument(JsonNode doc) {
        JsonNode failure = doc.get("failure");
        String answer = Documents.text(doc, "answerMessageId");
        return new Run(RunId.of(Documents.text(doc, "id")), ThreadId.of(Documents.text(doc, "threadId")),
                AgentId.of(Documents.text(doc, "agentId")), doc.get("agentVersion").asLong(),
                RunStatus.valueOf(Documents.text(doc, "status")),
                MessageId.of(Documents.text(doc, "requestMessageId")), answer == null ? null : MessageId.of(answer),
                UsageDocuments.fromDocument(doc.get("usage")),
                failure == null || failure.isNull() ? null : new RunFailure(failure.get("code").asText(), failure.get("message").asText()),
                Documents.instant(doc, "createdAt"), Documents.instant(doc, "startedAt"), Documents.instant(doc, "endedAt"),
                doc.get("revision").asLong());
    }
}
