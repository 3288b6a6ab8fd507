package dev.agentchat.adapter.http.problem;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentchat.domain.agent.AgentId;
import dev.agentchat.domain.approval.ApprovalRound;
import dev.agentchat.domain.approval.PendingCall;
import dev.agentchat.domain.message.MessageId;
import dev.agentchat.domain.refusal.AgentInactive;
import dev.agentchat.domain.refusal.AgentNotFound;
import dev.agentchat.domain.refusal.ApprovalConflict;
import dev.agentchat.domain.refusal.ApprovalExpired;
import dev.agentchat.domain.refusal.EventsExpired;
import dev.agentchat.domain.refusal.IdempotencyKeyReused;
import dev.agentchat.domain.refusal.IdempotentRequestPending;
import dev.agentchat.domain.refusal.InvalidAgent;
import dev.agentchat.domain.refusal.ClientToolClash;
import dev.agentchat.domain.refusal.InvalidApprovals;
import dev.agentchat.domain.refusal.Refusal;
import dev.agentchat.domain.refusal.RunFinished;
import dev.agentchat.domain.refusal.RunNotFound;
import dev.agentchat.domain.refusal.ServiceDraining;
import dev.agentchat.domain.refusal.StaleAgentVersion;
import dev.agentchat.domain.refusal.ThreadBusy;
import dev.agentchat.domain.refusal.ThreadDeleted;
import dev.agentchat.domain.refusal.ThreadNotFound;
import dev.agentchat.domain.refusal.TooManyActiveRuns;
import dev.agentchat.domain.refusal.UnknownEventId;
import dev.agentchat.domain.run.Run;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.step.StepId;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.domain.thread.ThreadScope;
import dev.agentchat.domain.thread.UserId;
import dev.agentchat.domain.usage.Usage;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every refusal the domain can raise is answered with its own problem, never the 500 of an unexpected
 * error. The refusals are enumerated from the sealed base, so one added without a sample here fails.
 */
class RefusalProblemsTest {
    private static final RunId RUN = RunId.of("run_1");
    private static final ThreadId THREAD = ThreadId.of("thread_1");
    private static final AgentId AGENT = AgentId.of("support-triage");
    private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

    /** A sample of each refusal, with the status, code and title the API documents for it. */
    private record Expected(Refusal sample, int status, String code, String title, Map<String, Object> members) {
    }

    private static final List<Expected> DOCUMENTED = List.of(
            new Expected(new AgentNotFound(AGENT), 404, "agent_not_found", "Not found", Map.of()),
            new Expected(new ThreadNotFound(THREAD), 404, "thread_not_found", "Not found", Map.of()),
            new Expected(new RunNotFound(RUN), 404, "run_not_found", "Not found", Map.of()),
            new Expected(new ThreadDeleted(THREAD), 409, "thread_deleted", "The thread was deleted", Map.of()),
            new Expected(new InvalidAgent("'name' is required."), 422, "invalid_agent",
                    "The agent definition is not valid", Map.of()),
            new Expected(new AgentInactive(AGENT), 409, "agent_inactive", "The agent is retired", Map.of()),
            new Expected(new ThreadBusy(THREAD, RUN), 409, "thread_busy", "The thread is busy",
                    Map.of("run_id", "run_1", "active_run_id", "run_1")),
            new Expected(new RunFinished(aRun()), 409, "run_finished", "The run has ended",
                    Map.of("run_status", "queued")),
            new Expected(new UnknownEventId(RUN, 9, 4), 400, "unknown_event_id", "The run sent no event with that id",
                    Map.of("last_event_id", 4L)),
            new Expected(new EventsExpired(RUN), 410, "events_expired", "The run's events are no longer kept", Map.of()),
            new Expected(new IdempotencyKeyReused(), 422, "idempotency_key_reused",
                    "The Idempotency-Key was used for another request", Map.of()),
            new Expected(new IdempotentRequestPending(), 409, "idempotency_key_in_use",
                    "The first request with this Idempotency-Key is still starting", Map.of()),
            new Expected(new StaleAgentVersion(AGENT, 2, 3), 409, "stale_version", "Stale version",
                    Map.of("current_version", 3L)),
            new Expected(new TooManyActiveRuns(4, Duration.ofSeconds(5)), 429, "too_many_active_runs",
                    "Too many runs in progress", Map.of("max_active_runs", 4)),
            new Expected(new InvalidApprovals(List.of(StepId.of("step_1")), List.of(StepId.of("step_9")),
                    List.of(StepId.of("step_2")), List.of(StepId.of("step_3"))), 422, "invalid_approvals",
                    "The decisions do not answer the run's pause",
                    Map.of("missing_step_ids", List.of("step_1"), "unknown_step_ids", List.of("step_9"),
                            "duplicate_step_ids", List.of("step_2"), "mismatched_step_ids", List.of("step_3"))),
            new Expected(new ClientToolClash(List.of("calculator")), 422, "client_tool_clash",
                    "The client's tools are named like the agent's", Map.of("tools", List.of("calculator"))),
            new Expected(new ApprovalConflict(aRun(), "it does not wait for approval."), 409, "approval_conflict",
                    "The run does not wait for these decisions", Map.of("run_status", "queued")),
            new Expected(new ApprovalExpired(aWaitingRun()), 409, "approval_expired",
                    "The tool calls expired before the decisions", Map.of("run_status", "requires_action")),
            new Expected(new ServiceDraining(), 503, "service_draining", "The service is stopping", Map.of()));

    /** The mapping reads only the run's status, so a queued run is sample enough. */
    private static Run aRun() {
        return Run.queue(RUN, THREAD, new ThreadScope(AGENT, UserId.of("user_1")), 1, MessageId.of("msg_1"), AT);
    }

    /** A run that waits for one call to be approved, as an expired decision finds it. */
    private static Run aWaitingRun() {
        ApprovalRound round = ApprovalRound.waiting(1, 3, AT.plusSeconds(900), "",
                List.of(new PendingCall(StepId.of("step_1"), 0, "call_1", "calculator", "{}")));
        return aRun().start(AT).state().awaitApproval(round, Usage.ZERO, AT).state();
    }

    static Stream<Class<?>> refusals() {
        return Arrays.stream(Refusal.class.getPermittedSubclasses());
    }

    @ParameterizedTest
    @MethodSource("refusals")
    void every_refusal_is_answered_with_its_documented_problem_and_not_a_500(Class<?> refusal) {
        Expected expected = DOCUMENTED.stream().filter(e -> e.sample().getClass() == refusal).findFirst()
                .orElseThrow(() -> new AssertionError(refusal.getSimpleName()
                        + " has no documented problem here: give it a sample, status and code"));

        Problem problem = Problems.of(expected.sample());

        if (expected.sample().kind() != Refusal.Kind.UNAVAILABLE) {
            assertThat(problem.status()).isBetween(400, 499);
        }
        assertThat(problem.status()).isEqualTo(expected.status());
        assertThat(problem.code()).isEqualTo(expected.code());
        assertThat(problem.title()).isEqualTo(expected.title());
        assertThat(problem.detail()).isEqualTo(expected.sample().getMessage());
        assertThat(problem.extensions()).isEqualTo(expected.members());
    }

    @Test
    void the_samples_cover_the_refusals_and_nothing_else() {
        assertThat(DOCUMENTED.stream().<Class<?>>map(e -> e.sample().getClass()).toList())
                .containsExactlyInAnyOrder(Refusal.class.getPermittedSubclasses());
    }

    @Test
    void a_refusal_is_written_as_problem_json_with_its_members_after_the_standard_ones() {
        assertThat(Problems.body(Problems.of(new UnknownEventId(RUN, 9, 4)))).isEqualTo("{\"type\":\"urn:agentchat:"
                + "problem:unknown_event_id\",\"title\":\"The run sent no event with that id\",\"status\":400,\"detail\":"
                + "\"Run 'run_1' has sent no event 9; its events so far end at 4. Resume from an id the run sent, or from 0 "
                + "to replay it all.\",\"code\":\"unknown_event_id\",\"last_event_id\":4}");
    }

    @Test
    void a_refusal_for_a_limit_says_when_to_try_again_in_whole_seconds_rounded_up() {
        assertThat(Problems.of(new TooManyActiveRuns(4, Duration.ofSeconds(5))).headers())
                .isEqualTo(Map.of("Retry-After", "5"));
        assertThat(Problems.of(new TooManyActiveRuns(4, Duration.ofMillis(1500))).headers())
                .isEqualTo(Map.of("Retry-After", "2"));
    }

    @Test
    void a_draining_instance_answers_503_with_a_retry_after_a_balancer_acts_on() {
        Problem problem = Problems.of(new ServiceDraining());

        assertThat(problem.status()).isEqualTo(503);
        assertThat(problem.headers()).isEqualTo(Map.of("Retry-After", "1"));
    }

    @Test
    void a_refusal_that_is_not_a_limit_carries_no_header() {
        assertThat(Problems.of(new ThreadBusy(THREAD, RUN)).headers()).isEmpty();
    }

    @Test
    void each_code_names_one_refusal() {
        assertThat(DOCUMENTED.stream().map(Expected::code).distinct().count()).isEqualTo(DOCUMENTED.size());
    }
}
