package dev.agentchat.adapter.http.problem;

import dev.agentchat.adapter.http.Json;
import dev.agentchat.ports.agent.AgentNotFound;
import dev.agentchat.ports.agent.InvalidAgent;
import dev.agentchat.ports.store.RecordConflict;
import dev.agentchat.ports.store.StoreFailure;
import dev.agentchat.domain.agent.AgentInactive;
import dev.agentchat.domain.thread.ThreadBusy;
import dev.agentchat.ports.chat.IdempotencyKeyReused;
import dev.agentchat.ports.chat.IdempotentRequestPending;
import dev.agentchat.ports.run.EventsExpired;
import dev.agentchat.ports.run.RunFinished;
import dev.agentchat.ports.run.RunNotFound;
import dev.agentchat.ports.run.UnknownEventId;
import dev.agentchat.domain.thread.ThreadDeleted;
import dev.agentchat.ports.thread.ThreadNotFound;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerResponse;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Turns errors into problem+json answers: the one place where use-case exceptions meet HTTP statuses. */
public final class Problems {
    public static final String MEDIA_TYPE = "application/problem+json";
    private static final System.Logger LOG = System.getLogger(Problems.class.getName());

    private Problems() {
    }

    /** Answers 405 with the methods a path allows. */
    public static void methodNotAllowed(ServerResponse res, String... allowed) {
        String methods = String.join(", ", allowed);
        res.header(HeaderNames.ALLOW, methods);
        send(res, new Problem(405, "method_not_allowed", "Method not allowed", "This endpoint allows " + methods + "."));
    }

    /** Registers the error handlers on a routing. */
    public static void handleErrors(HttpRouting.Builder routing) {
        routing.error(ProblemException.class, (req, res, e) -> send(res, e.problem()))
                .error(AgentNotFound.class, (req, res, e) -> send(res, Problem.notFound("agent_not_found", e.getMessage())))
                .error(ThreadNotFound.class, (req, res, e) -> send(res, Problem.notFound("thread_not_found", e.getMessage())))
                .error(ThreadDeleted.class, (req, res, e) -> send(res,
                        new Problem(409, "thread_deleted", "The thread was deleted", e.getMessage())))
                .error(InvalidAgent.class, (req, res, e) -> send(res, new Problem(422, "invalid_agent",
                        "The agent definition is not valid", e.getMessage())))
                .error(AgentInactive.class, (req, res, e) -> send(res, new Problem(409, "agent_inactive",
                        "The agent is retired", e.getMessage())))
                .error(ThreadBusy.class, (req, res, e) -> send(res, new Problem(409, "thread_busy",
                        "The thread is busy", e.getMessage()).with("run_id", e.runId().value())
                        .with("active_run_id", e.runId().value())))
                .error(RunNotFound.class, (req, res, e) -> send(res, Problem.notFound("run_not_found", e.getMessage())))
                .error(RunFinished.class, (req, res, e) -> send(res, new Problem(409, "run_finished",
                        "The run has ended", e.getMessage()).with("status",
                        e.run().status().name().toLowerCase(java.util.Locale.ROOT))))
                .error(UnknownEventId.class, (req, res, e) -> send(res, new Problem(400, "unknown_event_id",
                        "No such event", e.getMessage()).with("last_event_id", e.lastEventId())))
                .error(EventsExpired.class, (req, res, e) -> send(res, new Problem(410, "events_expired",
                        "The run's events are no longer kept", e.getMessage())))
                .error(IdempotencyKeyReused.class, (req, res, e) -> send(res, new Problem(422, "idempotency_key_reused",
                        "The Idempotency-Key was used for another request", e.getMessage())))
                .error(IdempotentRequestPending.class, (req, res, e) -> send(res, new Problem(409,
                        "idempotency_key_in_use", "The first request with this Idempotency-Key is still starting",
                        e.getMessage())))
                .error(RecordConflict.class, (req, res, e) -> send(res, new Problem(409, "conflict",
                        "Conflicting change", "The record conflicts with a stored one (" + e.getMessage()
                        + "); read it again and retry.")))
                .error(StoreFailure.class, (req, res, e) -> {
                    LOG.log(Level.WARNING, "Store failure on " + req.prologue().method() + " " + req.path().path(), e);
                    send(res, new Problem(503, "store_unavailable", "The conversation store is unavailable",
                            "The conversation store could not be reached; nothing was changed. Try again shortly."));
                })
                .error(Throwable.class, (req, res, e) -> {
                    LOG.log(Level.ERROR, "Unexpected error on " + req.prologue().method() + " " + req.path().path(), e);
                    send(res, new Problem(500, "internal_error", "Internal error",
                            "The service failed to handle the request."));
                });
    }

    /**
     * Problem answers for what Helidon refuses before any route runs (a malformed request line or
     * header, say). Helidon's own words are not repeated: they can quote the request back.
     */
    public static DirectHandlers directHandlers() {
        DirectHandler handler = (request, event, status, headers, message) -> {
            Problem problem = new Problem(status.code(), event == DirectHandler.EventType.BAD_REQUEST ? "invalid_request"
                    : event.name().toLowerCase(java.util.Locale.ROOT), status.reasonPhrase(),
                    "The request could not be read as HTTP (" + status.code() + " " + status.reasonPhrase() + ").");
            return DirectHandler.TransportResponse.builder()
                    .status(status)
                    .headers(headers)
                    .header(HeaderNames.CONTENT_TYPE, MEDIA_TYPE)
                    .entity(body(problem))
                    .build();
        };
        DirectHandlers.Builder builder = DirectHandlers.builder();
        for (DirectHandler.EventType event : DirectHandler.EventType.values()) {
            builder.addHandler(event, handler);
        }
        return builder.build();
    }

    public static void send(ServerResponse res, Problem problem) {
        if (res.isSent()) {
            LOG.log(Level.WARNING, "Cannot answer {0}: the response was already sent", problem.code());
            return;
        }
        res.status(problem.status());
        if (problem.status() == 401) {
            res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer");
        }
        res.header(HeaderNames.CONTENT_TYPE, MEDIA_TYPE);
        res.send(body(problem).getBytes(StandardCharsets.UTF_8));
    }

    private static String body(Problem problem) {
        return Json.write(json -> {
            json.writeStartObject();
            json.writeStringField("type", problem.type());
            json.writeStringField("title", problem.title());
            json.writeNumberField("status", problem.status());
            json.writeStringField("detail", problem.detail());
            json.writeStringField("code", problem.code());
            for (Map.Entry<String, Object> member : problem.extensions().entrySet()) {
                json.writeObjectField(member.getKey(), member.getValue());
            }
            json.writeEndObject();
        });
    }
}
