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
import dev.agentchat.domain.thread.UserId;
import dev.agentchat.ports.run.RunStore;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** Runs in the {@code turns} container, in their thread's partition. */
public final class CosmosRunStore implements RunStore {
    /**
     * The statuses a run can still leave, as a SQL list. IN rather than NOT IN over the terminal ones:
     * an equality match is served by the index. They are enum names, so writing them into the SQL
     * cannot inject anything.
     */
    private static final String UNFINISHED = Arrays.stream(RunStatus.values()).filter(status -> !status.isTerminal())
            .map(status -> "'" + status.name() + "'").collect(Collectors.joining(", "));

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
    public List<Run> listAwaitingApproval(Instant expiredBy, int limit) {
        throw new UnsupportedOperationException("listing runs that wait for approval is not built yet");
    }

    @Override
    public List<Run> listUnfinished(Instant createdBefore, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        // createdAt is kept as epoch milliseconds (see Documents), so it compares as a number. A run reads
        // back with its createdAt cut to the millisecond, so "before" is judged on that value: stored
        // millis < createdBefore exactly when they are below createdBefore rounded up to the millisecond.
        long cutoff = createdBefore.toEpochMilli() + (createdBefore.getNano() % 1_000_000 == 0 ? 0 : 1);
        return records.queryAcrossThreads("c.status IN (" + UNFINISHED + ") AND c.createdAt < @cutoff",
                "c.createdAt ASC, c.id ASC", List.of(new SqlParameter("@cutoff", cutoff)), limit);
    }

    @Override
    public int deleteByThread(ThreadId threadId) {
        return records.deleteAll(threadId);
    }

    private ObjectNode toDocument(Run run) {
        ObjectNode doc = records.document(run.id().value(), run.threadId());
        doc.put("agentId", run.agentId().value());
        doc.put("userId", run.userId().value());
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

    /** Runs stored before they named their user were all the anonymous user's: there was no other. */
    private static UserId userOf(JsonNode doc) {
        String user = Documents.text(doc, "userId");
        return user == null ? UserId.ANONYMOUS : UserId.of(user);
    }

    private static Run fromDocument(JsonNode doc) {
        JsonNode failure = doc.get("failure");
        String answer = Documents.text(doc, "answerMessageId");
        return new Run(RunId.of(Documents.text(doc, "id")), ThreadId.of(Documents.text(doc, "threadId")),
                AgentId.of(Documents.text(doc, "agentId")), userOf(doc), doc.get("agentVersion").asLong(),
                RunStatus.valueOf(Documents.text(doc, "status")),
                MessageId.of(Documents.text(doc, "requestMessageId")), answer == null ? null : MessageId.of(answer),
                UsageDocuments.fromDocument(doc.get("usage")),
                failure == null || failure.isNull() ? null : new RunFailure(failure.get("code").asText(), failure.get("message").asText()),
                Documents.instant(doc, "createdAt"), Documents.instant(doc, "startedAt"), Documents.instant(doc, "endedAt"),
                doc.get("revision").asLong());
    }
}
