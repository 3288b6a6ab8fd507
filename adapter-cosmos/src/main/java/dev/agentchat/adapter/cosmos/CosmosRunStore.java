package dev.agentchat.adapter.cosmos;

import com.azure.cosmos.CosmosContainer;
import com.azure.cosmos.models.SqlParameter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentchat.domain.agent.AgentId;
import dev.agentchat.domain.message.MessageId;
import dev.agentchat.domain.run.Run;
import dev.agentchat.domain.run.RunFailure;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.run.RunStatus;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.domain.thread.UserId;
import dev.agentchat.domain.tool.ToolDefinition;
import dev.agentchat.ports.run.RunStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** Runs in the {@code turns} container, in their thread's partition. */
public final class CosmosRunStore implements RunStore {
    /**
     * The statuses of a run an instance works on, as a SQL list (a run waiting for approval is not
     * one: no instance can have lost it). IN rather than NOT IN over the terminal ones:
     * an equality match is served by the index. They are enum names, so writing them into the SQL
     * cannot inject anything.
     */
    private static final String UNFINISHED = Arrays.stream(RunStatus.values()).filter(RunStatus::isWorking)
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
        if (limit <= 0) {
            return List.of();
        }
        // One field to sort by, which the range index of every path serves: a second one (the id, to
        // break ties) would need a composite index that containers created before approvals lack.
        return records.queryAcrossThreads("c.status = @waiting AND c.approvalExpiresAt < @cutoff",
                "c.approvalExpiresAt ASC", List.of(new SqlParameter("@waiting", RunStatus.REQUIRES_ACTION.name()),
                        new SqlParameter("@cutoff", millisCutoff(expiredBy))), limit);
    }

    @Override
    public List<Run> listUnfinished(Instant createdBefore, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        return records.queryAcrossThreads("c.status IN (" + UNFINISHED + ") AND c.createdAt < @cutoff",
                "c.createdAt ASC, c.id ASC", List.of(new SqlParameter("@cutoff", millisCutoff(createdBefore))), limit);
    }

    /**
     * Instants are kept as epoch milliseconds (see Documents), so they compare as numbers. A run reads
     * back with its instants cut to the millisecond, so "before" is judged on that value: stored millis
     * are below {@code before} exactly when they are below it rounded up to the millisecond.
     */
    private static long millisCutoff(Instant before) {
        return before.toEpochMilli() + (before.getNano() % 1_000_000 == 0 ? 0 : 1);
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
        doc.put("workedMs", run.workedBefore().toMillis());
        Documents.putInstant(doc, "resumedAt", run.resumedAt());
        doc.set("approvals", ApprovalDocuments.toDocument(run.approvals()));
        if (!run.clientTools().isEmpty()) {
            // Written only when offered: most runs have none, and every run document is rewritten at each transition.
            ArrayNode tools = doc.putArray("clientTools");
            run.clientTools().forEach(tool -> tools.addObject().put("name", tool.name())
                    .put("description", tool.description()).put("parameters", tool.parametersSchema()));
        }
        if (run.status() == RunStatus.REQUIRES_ACTION) {
            // Top level, for the expiry sweep's query: only a waiting run is looked up by it.
            Documents.putInstant(doc, "approvalExpiresAt", run.approvals().expiresAt());
        }
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
                doc.get("revision").asLong(), workedBefore(doc), Documents.instant(doc, "resumedAt"),
                ApprovalDocuments.round(doc.get("approvals")), clientTools(doc));
    }

    /**
     * The client's own tools the run was offered; none for a run stored before runs were. The schema is
     * kept as the text it came as, so the model is offered it again exactly.
     */
    private static List<ToolDefinition> clientTools(JsonNode doc) {
        JsonNode tools = doc.get("clientTools");
        if (tools == null || tools.isNull()) {
            return List.of();
        }
        List<ToolDefinition> offered = new ArrayList<>();
        tools.forEach(tool -> offered.add(new ToolDefinition(Documents.text(tool, "name"),
                Documents.text(tool, "description"), Documents.text(tool, "parameters"))));
        return offered;
    }

    /** A run stored before runs paused never paused: all its working time is its current stretch. */
    private static Duration workedBefore(JsonNode doc) {
        JsonNode worked = doc.get("workedMs");
        return worked == null || worked.isNull() ? Duration.ZERO : Duration.ofMillis(worked.asLong());
    }
}
