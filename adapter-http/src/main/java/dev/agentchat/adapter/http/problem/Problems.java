package dev.agentchat.adapter.http.problem;

import dev.agentchat.adapter.http.Json;
import dev.agentchat.adapter.http.edge.GuardedHttp1;
import dev.agentchat.adapter.http.edge.HeadAsGet;
import dev.agentchat.domain.refusal.AgentInactive;
import dev.agentchat.domain.refusal.AgentNotFound;
import dev.agentchat.domain.refusal.ClientToolClash;
import dev.agentchat.domain.refusal.EventsExpired;
import dev.agentchat.domain.refusal.IdempotencyKeyReused;
import dev.agentchat.domain.refusal.IdempotentRequestPending;
import dev.agentchat.domain.refusal.InvalidAgent;
import dev.agentchat.domain.refusal.Refusal;
import dev.agentchat.domain.refusal.RunFinished;
import dev.agentchat.domain.refusal.RunNotFound;
import dev.agentchat.domain.refusal.ServiceDraining;
import dev.agentchat.domain.refusal.StaleAgentVersion;
import dev.agentchat.domain.refusal.ThreadBusy;
import dev.agentchat.domain.refusal.ThreadDeleted;
import dev.agentchat.domain.refusal.ThreadNotFound;
import dev.agentchat.domain.refusal.TooManyActiveRuns;
import dev.agentchat.domain.refusal.ApprovalConflict;
import dev.agentchat.domain.refusal.ApprovalExpired;
import dev.agentchat.domain.refusal.InvalidApprovals;
import dev.agentchat.domain.step.StepId;
import dev.agentchat.domain.refusal.UnknownEventId;
import dev.agentchat.ports.store.RecordConflict;
import dev.agentchat.ports.store.StoreFailure;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.HttpException;
import io.helidon.http.RequestException;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http.ErrorHandler;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

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
        on(routing, ProblemException.class, (req, res, e) -> send(res, e.problem()));
        on(routing, Refusal.class, (req, res, e) -> send(res, of(e)));
        on(routing, RecordConflict.class, (req, res, e) -> send(res, new Problem(409, "conflict",
                "Conflicting change", "The record conflicts with a stored one (" + e.getMessage()
                + "); read it again and retry.")));
        on(routing, StoreFailure.class, (req, res, e) -> {
            LOG.log(Level.WARNING, "Store failure on " + req.prologue().method() + " " + req.path().path(), e);
            send(res, new Problem(503, "store_unavailable", "The conversation store is unavailable",
                    "The conversation store could not be reached; nothing was changed. Try again shortly."));
        });
        on(routing, HttpException.class, (req, res, e) -> answerHelidon(req, res, e, e.status()));
        on(routing, Throwable.class, (req, res, e) -> {
            Optional<RequestException> unreadable = causes(e, RequestException.class);
            if (unreadable.isPresent() || isBodyFramingError(e)) {
                answerHelidon(req, res, e, unreadable.map(RequestException::status).orElse(Status.BAD_REQUEST_400));
                return;
            }
            LOG.log(Level.ERROR, "Unexpected error on " + req.prologue().method() + " " + req.path().path(), e);
            send(res, new Problem(500, "internal_error", "Internal error", "The service failed to handle the request."));
        });
    }

    /**
     * The answer to a refusal: its kind picks the status, its type the code, title and members. The
     * switch has no default, so a refusal added to the domain does not compile until it has a code here.
     */
    static Problem of(Refusal refusal) {
        int status = statusOf(refusal.kind());
        String detail = refusal.getMessage();
        return switch (refusal) {
            case AgentNotFound e -> new Problem(status, "agent_not_found", "Not found", detail);
            case ThreadNotFound e -> new Problem(status, "thread_not_found", "Not found", detail);
            case RunNotFound e -> new Problem(status, "run_not_found", "Not found", detail);
            case ThreadDeleted e -> new Problem(status, "thread_deleted", "The thread was deleted", detail);
            case InvalidAgent e -> new Problem(status, "invalid_agent", "The agent definition is not valid", detail);
            case AgentInactive e -> new Problem(status, "agent_inactive", "The agent is retired", detail);
            case ThreadBusy e -> new Problem(status, "thread_busy", "The thread is busy", detail)
                    .with("run_id", e.runId().value()).with("active_run_id", e.runId().value());
            case RunFinished e -> new Problem(status, "run_finished", "The run has ended", detail)
                    .with("run_status", e.run().status().name().toLowerCase(Locale.ROOT));
            case UnknownEventId e -> new Problem(status, "unknown_event_id", "The run sent no event with that id", detail)
                    .with("last_event_id", e.lastEventId());
            case EventsExpired e -> new Problem(status, "events_expired", "The run's events are no longer kept", detail);
            case IdempotencyKeyReused e -> new Problem(status, "idempotency_key_reused",
                    "The Idempotency-Key was used for another request", detail);
            case IdempotentRequestPending e -> new Problem(status, "idempotency_key_in_use",
                    "The first request with this Idempotency-Key is still starting", detail);
            // An edit through the agents' routes answers 412 instead when its version came as If-Match.
            case StaleAgentVersion e -> new Problem(status, "stale_version", "Stale version", detail)
                    .with("current_version", e.currentVersion());
            case InvalidApprovals e -> new Problem(status, "invalid_approvals", "The decisions do not answer the run's pause",
                    detail)
                    .with("missing_step_ids", e.missing().stream().map(StepId::value).toList())
                    .with("unknown_step_ids", e.unknown().stream().map(StepId::value).toList())
                    .with("duplicate_step_ids", e.duplicated().stream().map(StepId::value).toList())
                    .with("mismatched_step_ids", e.mismatched().stream().map(StepId::value).toList());
            case ClientToolClash e -> new Problem(status, "client_tool_clash",
                    "The client's tools are named like the agent's", detail)
                    .with("tools", e.tools());
            case ApprovalConflict e -> new Problem(status, "approval_conflict", "The run does not wait for these decisions",
                    detail)
                    .with("run_status", e.run().status().name().toLowerCase(Locale.ROOT));
            case ApprovalExpired e -> new Problem(status, "approval_expired", "The tool calls expired before the decisions",
                    detail)
                    .with("run_status", e.run().status().name().toLowerCase(Locale.ROOT));
            case TooManyActiveRuns e -> new Problem(status, "too_many_active_runs", "Too many runs in progress", detail)
                    .with("max_active_runs", e.limit())
                    .withHeader("Retry-After", Long.toString(retryAfterSeconds(e.retryAfter())));
            // 503 with Retry-After is what a load balancer retries on another server (HAProxy's retry-on, nginx's
            // proxy_next_upstream) without the client ever seeing it.
            case ServiceDraining e -> new Problem(status, "service_draining", "The service is stopping", detail)
                    .withHeader("Retry-After", Long.toString(retryAfterSeconds(e.retryAfter())));
        };
    }

    /** Retry-After in whole seconds (RFC 9110 allows no fraction), rounded up so that a caller never comes back early. */
    private static long retryAfterSeconds(Duration wait) {
        long seconds = wait.toSeconds();
        return wait.equals(Duration.ofSeconds(seconds)) ? seconds : seconds + 1;
    }

    private static int statusOf(Refusal.Kind kind) {
        return switch (kind) {
            case INVALID -> 400;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case GONE -> 410;
            case UNPROCESSABLE -> 422;
            case LIMITED -> 429;
            case UNAVAILABLE -> 503;
        };
    }

    /** Registers an error handler whose answer to a HEAD request has no body. */
    private static <T extends Throwable> void on(HttpRouting.Builder routing, Class<T> type, ErrorHandler<T> handler) {
        routing.error(type, HeadAsGet.errors(handler));
    }

    /**
     * What Helidon's own handlers throw as HTTP errors (the static documents' 304, 404 and 416, say),
     * and a request whose body turned out unreadable on the way (a malformed chunk): a problem with
     * Helidon's status. A request that could not be read is answered with {@code Connection: close},
     * since where its body ends is unknown.
     */
    private static void answerHelidon(ServerRequest req, ServerResponse res, Throwable e, Status status) {
        if (status.code() >= 500) {
            LOG.log(Level.ERROR, "Unexpected error on " + req.prologue().method() + " " + req.path().path(), e);
            send(res, new Problem(500, "internal_error", "Internal error", "The service failed to handle the request."));
            return;
        }
        if (status.code() == 304) {
            res.status(status).send();
            return;
        }
        LOG.log(Level.DEBUG, "Refused " + req.prologue().method() + " " + req.path().path(), e);
        if (!(e instanceof HttpException)) {
            res.header(HeaderValues.CONNECTION_CLOSE);
            GuardedHttp1.endConnectionAfterThisRequest();
        }
        send(res, new Problem(status.code(), codeOf(status), status.reasonPhrase(),
                "The request was refused (" + status.code() + " " + status.reasonPhrase() + ")."));
    }

    /**
     * Whether the request's body could not be read for its framing: Helidon 4.2 parses a chunk size with
     * {@code Integer.parseUnsignedInt} and lets its {@code NumberFormatException} out of the body's stream,
     * so that only where it was thrown tells it from a bug of ours.
     */
    private static boolean isBodyFramingError(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            for (StackTraceElement frame : cause.getStackTrace()) {
                if (frame.getClassName().equals("io.helidon.webserver.http1.Http1Connection")
                        && frame.getMethodName().equals("readEntityFromPipeline")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static <T extends Throwable> Optional<T> causes(Throwable e, Class<T> type) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return Optional.of(type.cast(cause));
            }
        }
        return Optional.empty();
    }

    /** A stable code for a status that Helidon or the connection's checks answer: its reason phrase in snake case. */
    static String codeOf(Status status) {
        return switch (status.code()) {
            case 400 -> "invalid_request";
            case 404 -> "not_found";
            case 413 -> "payload_too_large";
            default -> status.reasonPhrase().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_")
                    .replaceAll("^_|_$", "");
        };
    }

    /**
     * Problem answers for what Helidon refuses before any route runs (a malformed request line or
     * header, say). Helidon's own words are not repeated: they can quote the request back.
     */
    public static DirectHandlers directHandlers() {
        DirectHandler handler = (request, event, givenStatus, headers, message) -> {
            // Helidon 4.2 reports a request line it cannot parse (a control character in the method, say)
            // as an internal error of its own; with no request line read, the fault is the client's bytes.
            Status status = givenStatus.code() == 500 && request.method().isEmpty() ? Status.BAD_REQUEST_400 : givenStatus;
            if (status != givenStatus) {
                event = DirectHandler.EventType.BAD_REQUEST;
            }
            Problem problem = new Problem(status.code(), event == DirectHandler.EventType.BAD_REQUEST ? codeOf(status)
                    : event.name().toLowerCase(Locale.ROOT), status.reasonPhrase(),
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
        problem.headers().forEach(res::header);
        res.header(HeaderNames.CONTENT_TYPE, MEDIA_TYPE);
        res.send(body(problem).getBytes(StandardCharsets.UTF_8));
    }

    static String body(Problem problem) {
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("type", problem.type());
        members.put("title", problem.title());
        members.put("status", problem.status());
        members.put("detail", problem.detail());
        members.put("code", problem.code());
        members.putAll(problem.extensions());
        return Json.encode(members);
    }
}
