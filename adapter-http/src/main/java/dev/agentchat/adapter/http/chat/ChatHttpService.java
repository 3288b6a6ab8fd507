package dev.agentchat.adapter.http.chat;

import dev.agentchat.adapter.http.AcceptHeader;
import dev.agentchat.adapter.http.Caller;
import dev.agentchat.adapter.http.Json;
import dev.agentchat.adapter.http.JsonResponses;
import dev.agentchat.adapter.http.JsonRequests;
import dev.agentchat.adapter.http.PathIds;
import dev.agentchat.adapter.http.problem.Problem;
import dev.agentchat.adapter.http.problem.ProblemException;
import dev.agentchat.adapter.http.problem.Problems;
import dev.agentchat.adapter.http.thread.ThreadJson.PendingApprovalBody;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.run.RunStatus;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.ports.chat.ChatCommand;
import dev.agentchat.ports.chat.ChatEventSink;
import dev.agentchat.ports.chat.ChatOutcome;
import dev.agentchat.ports.chat.IdempotentRequest;
import dev.agentchat.ports.chat.StartChat;
import dev.agentchat.ports.time.Clock;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** {@code POST /api/agents/{agentId}/chat}: a chat turn, streamed as SSE or answered as one JSON document. */
public final class ChatHttpService implements HttpService {
    private static final HeaderName IDEMPOTENCY_KEY = HeaderNames.create("Idempotency-Key");
    private final StartChat startChat;
    private final Caller caller;
    private final Clock clock;
    private final Duration heartbeatInterval;
    private final int maxBodyBytes;
    private final OpenStreams streams;

    public ChatHttpService(StartChat startChat, Caller caller, Clock clock, Duration heartbeatInterval, int maxBodyBytes,
                           OpenStreams streams) {
        this.streams = streams;
        this.startChat = startChat;
        this.caller = caller;
        this.clock = clock;
        this.heartbeatInterval = heartbeatInterval;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/{agentId}/chat", this::chat)
                .any("/{agentId}/chat", (req, res) -> Problems.methodNotAllowed(res, "POST"));
    }

    private void chat(ServerRequest req, ServerResponse res) {
        var agentId = PathIds.agent(req);
        ChatRequest request = ChatRequest.from(JsonRequests.readObject(req, maxBodyBytes));
        ChatCommand command = new ChatCommand(agentId, caller.identify(req), request.threadId(), request.message(),
                idempotencyKey(req));
        if (request.stream()) {
            AcceptHeader.require(req, MediaTypes.TEXT_EVENT_STREAM);
            try (SseChatEventSink sink = new SseChatEventSink(res, clock, heartbeatInterval, streams,
                    OpenStreams.Kind.CHAT)) {
                startChat.chat(command, sink);
                sink.complete();
            }
        } else {
            AcceptHeader.require(req, MediaTypes.APPLICATION_JSON);
            answerWhole(res, startChat.chat(command, ChatEventSink.NOBODY));
        }
    }

    /** The optional {@code Idempotency-Key} header: a client's retry with the same key gets the same run. */
    private static Optional<String> idempotencyKey(ServerRequest req) {
        Optional<String> key = req.headers().first(IDEMPOTENCY_KEY);
        if (key.isPresent()) {
            try {
                IdempotentRequest.checkKey(key.get());
            } catch (IllegalArgumentException e) {
                throw new ProblemException(Problem.badRequest("The Idempotency-Key header must be 1 to "
                        + IdempotentRequest.MAX_KEY_LENGTH + " visible ASCII characters."));
            }
        }
        return key;
    }

    /** The non-streaming answer: the same ids as {@code done}, and the whole content. */
    private static void answerWhole(ServerResponse res, ChatOutcome outcome) {
        switch (outcome) {
            case ChatOutcome.Answered answered -> sendJson(res, 200, answered.runId(), answered.threadId(), "completed",
                    answered.answer(), answered.messageId().value(), answered.usage().totalTokens(), List.of());
            case ChatOutcome.Ended ended when ended.run().status() == RunStatus.INCOMPLETE -> sendJson(res, 200,
                    ended.runId(), ended.threadId(), "incomplete", ended.partialAnswer(),
                    ended.run().answerMessageId() == null ? null : ended.run().answerMessageId().value(),
                    ended.run().usage().totalTokens(), List.of());
            // Accepted, not done: the calls wait for a person, and the run's read shows how it goes on once decided.
            case ChatOutcome.AwaitingApproval waiting -> sendJson(res, 202, waiting.runId(), waiting.threadId(),
                    "requires_action", waiting.answerSoFar(), null, waiting.run().usage().totalTokens(),
                    PendingApprovalBody.of(waiting.run()));
            case ChatOutcome.Ended ended -> Problems.send(res, new Problem(statusFor(ended.failure().code()),
                    ended.failure().code(), "The run did not complete", ended.failure().message())
                    .with("run_id", ended.runId().value())
                    .with("thread_id", ended.threadId().value())
                    .with("partial_content", ended.partialAnswer()));
        }
    }

    /** The status of a non-streamed turn that failed: whose fault it was, and whether a retry can help. */
    private static int statusFor(String failureCode) {
        return switch (failureCode) {
            case "store_error" -> 503;
            case "internal_error" -> 500;
            case "rate_limited" -> 429;
            case "model_timeout" -> 504;
            case "run_abandoned" -> 503;
            // Stopped on purpose (a cancel request, or this very client leaving under the cancel policy).
            case "cancelled", "client_disconnected" -> 409;
            // The request itself is what the model or the agent cannot serve: retrying it as is will not help.
            case "content_filter", "context_length_exceeded" -> 422;
            default -> 502;
        };
    }

    private static void sendJson(ServerResponse res, int status, RunId runId, ThreadId threadId, String runStatus,
                                 String content, String messageId, long tokensUsed,
                                 List<PendingApprovalBody> pendingApprovals) {
        JsonResponses.send(res, status, Json.encode(new Answer(runId.value(), threadId.value(), messageId, runStatus,
                content, tokensUsed, pendingApprovals)));
    }

    /**
     * A whole answer: the same ids as {@code done}, the run's status and the content, and the tool calls that
     * wait for a person (none unless the status is {@code requires_action}).
     */
    private record Answer(String runId, String threadId, String messageId, String status, String content,
                          long tokensUsed, List<PendingApprovalBody> pendingApprovals) {
    }
}
