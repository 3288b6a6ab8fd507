package dev.agentchat.adapter.http.thread;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.agentchat.adapter.http.Json;
import dev.agentchat.adapter.http.Samples;
import dev.agentchat.domain.agent.AgentId;
import dev.agentchat.domain.approval.ApprovalDecision;
import dev.agentchat.domain.approval.ApprovalRound;
import dev.agentchat.domain.approval.PendingCall;
import dev.agentchat.domain.message.MessageId;
import dev.agentchat.domain.run.ApprovalVerdict;
import dev.agentchat.domain.run.Run;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.step.Step;
import dev.agentchat.domain.step.StepId;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.domain.thread.ThreadScope;
import dev.agentchat.domain.thread.UserId;
import dev.agentchat.domain.usage.Usage;
import dev.agentchat.ports.thread.ThreadHistory;
import dev.agentchat.ports.thread.ThreadPage;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Threads, messages and runs as JSON, compared with what the hand-made encoder they replaced wrote:
 * the same members in the same order, unknowns as null, and a member of one kind of step absent
 * from the other.
 */
class ThreadJsonTest {
    private static final String IDLE_THREAD = "{\"id\":\"thread_1\",\"agent_id\":\"support-triage\",\"user_id\":\"user_1\",\"title\":\"Hello there\",\"status\":\"active\",\"created_at\":\"2026-03-01T10:15:30.123Z\",\"updated_at\":\"2026-03-01T10:15:31.007Z\",\"active_run_id\":null}";
    private static final String BUSY_THREAD = "{\"id\":\"thread_2\",\"agent_id\":\"support-triage\",\"user_id\":\"user_1\",\"title\":\"Busy\",\"status\":\"deleted\",\"created_at\":\"2026-03-01T10:15:30.123Z\",\"updated_at\":\"2026-03-01T10:15:33.000Z\",\"active_run_id\":\"run_1\"}";
    private static final String MESSAGE = "{\"id\":\"msg_1\",\"role\":\"user\",\"content\":\"What is 2+2? é\",\"status\":\"complete\",\"run_id\":\"run_1\",\"created_at\":\"2026-03-01T10:15:30.123Z\"}";
    private static final String COMPLETED_RUN_WITH_STEPS = "{\"id\":\"run_1\",\"thread_id\":\"thread_1\",\"status\":\"completed\",\"agent_id\":\"support-triage\",\"agent_version\":3,\"request_message_id\":\"msg_1\",\"answer_message_id\":\"msg_2\",\"created_at\":\"2026-03-01T10:15:30.123Z\",\"started_at\":\"2026-03-01T10:15:31.007Z\",\"ended_at\":\"2026-03-01T10:15:33.000Z\",\"duration_ms\":1993,\"usage\":{\"prompt_tokens\":120,\"completion_tokens\":30,\"total_tokens\":150,\"estimated\":false},\"cost_usd\":0.000450,\"error\":null,\"pending_approvals\":[],\"steps\":[{\"id\":\"step_1\",\"type\":\"model_call\",\"round\":1,\"status\":\"completed\",\"model\":\"gpt-4o\",\"usage\":{\"prompt_tokens\":100,\"completion_tokens\":20,\"total_tokens\":120,\"estimated\":false},\"cost_usd\":0.0003,\"error\":null,\"started_at\":\"2026-03-01T10:15:30.123Z\",\"ended_at\":\"2026-03-01T10:15:31.007Z\",\"latency_ms\":883},{\"id\":\"step_2\",\"type\":\"tool_call\",\"round\":1,\"status\":\"completed\",\"tool\":\"calculator\",\"call_id\":\"call_1\",\"arguments\":\"{\\\"expression\\\":\\\"2+2\\\"}\",\"output\":\"4\",\"error\":null,\"approval\":null,\"started_at\":\"2026-03-01T10:15:31.007Z\",\"ended_at\":\"2026-03-01T10:15:33.000Z\",\"latency_ms\":1993},{\"id\":\"step_3\",\"type\":\"tool_call\",\"round\":2,\"status\":\"failed\",\"tool\":\"calculator\",\"call_id\":\"call_2\",\"arguments\":\"{}\",\"output\":null,\"error\":\"arguments: 'expression' is required\",\"approval\":null,\"started_at\":\"2026-03-01T10:15:31.007Z\",\"ended_at\":\"2026-03-01T10:15:33.000Z\",\"latency_ms\":1993},{\"id\":\"step_4\",\"type\":\"tool_call\",\"round\":2,\"status\":\"in_progress\",\"tool\":\"current_time\",\"call_id\":\"call_3\",\"arguments\":\"{}\",\"output\":null,\"error\":null,\"approval\":null,\"started_at\":\"2026-03-01T10:15:33.000Z\",\"ended_at\":null,\"latency_ms\":0}]}";
    private static final String QUEUED_RUN = "{\"id\":\"run_2\",\"thread_id\":\"thread_1\",\"status\":\"queued\",\"agent_id\":\"support-triage\",\"agent_version\":1,\"request_message_id\":\"msg_3\",\"answer_message_id\":null,\"created_at\":\"2026-03-01T10:15:30.123Z\",\"started_at\":null,\"ended_at\":null,\"duration_ms\":null,\"usage\":{\"prompt_tokens\":0,\"completion_tokens\":0,\"total_tokens\":0,\"estimated\":false},\"cost_usd\":null,\"error\":null,\"pending_approvals\":[],\"steps\":[]}";
    private static final String FAILED_RUN = "{\"id\":\"run_3\",\"thread_id\":\"thread_1\",\"status\":\"failed\",\"agent_id\":\"support-triage\",\"agent_version\":1,\"request_message_id\":\"msg_4\",\"answer_message_id\":null,\"created_at\":\"2026-03-01T10:15:30.123Z\",\"started_at\":\"2026-03-01T10:15:31.007Z\",\"ended_at\":\"2026-03-01T10:15:33.000Z\",\"duration_ms\":1993,\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":0,\"total_tokens\":10,\"estimated\":true},\"cost_usd\":null,\"error\":{\"code\":\"model_error\",\"message\":\"The model service did not answer.\"},\"pending_approvals\":[],\"steps\":[]}";

    @Test
    void a_thread_is_written_as_before() {
        assertThat(Json.encode(ThreadJson.ThreadBody.of(Samples.idleThread()))).isEqualTo(IDLE_THREAD);
        assertThat(Json.encode(ThreadJson.ThreadBody.of(Samples.busyThread()))).isEqualTo(BUSY_THREAD);
    }

    @Test
    void a_message_is_written_as_before() {
        assertThat(Json.encode(ThreadJson.MessageBody.of(Samples.message()))).isEqualTo(MESSAGE);
    }

    @Test
    void a_run_is_written_as_before_with_each_kind_of_step_and_every_unknown_as_null() {
        assertThat(Json.encode(ThreadJson.RunBody.of(Samples.completedRun(), Samples.steps())))
                .isEqualTo(COMPLETED_RUN_WITH_STEPS);
        assertThat(Json.encode(ThreadJson.RunBody.of(Samples.queuedRun(), List.of()))).isEqualTo(QUEUED_RUN);
        assertThat(Json.encode(ThreadJson.RunBody.of(Samples.failedRun(), List.of()))).isEqualTo(FAILED_RUN);
    }

    @Test
    void a_waiting_run_shows_the_calls_it_waits_for_and_each_call_its_approval() {
        JsonNode run = read(Json.encode(ThreadJson.RunBody.of(Samples.waitingRun(), Samples.approvalSteps())));

        assertThat(run.get("status").asText()).isEqualTo("requires_action");
        assertThat(run.get("pending_approvals").toString()).isEqualTo("[{\"step_id\":\"step_6\",\"tool\":\"calculator\","
                + "\"arguments\":\"{\\\"expression\\\":\\\"6*7\\\"}\",\"expires_at\":\"2026-03-01T10:30:33.000Z\","
                + "\"client_side\":false},"
                + "{\"step_id\":\"step_7\",\"tool\":\"calculator\",\"arguments\":\"{\\\"expression\\\":\\\"1/0\\\"}\","
                + "\"expires_at\":\"2026-03-01T10:30:33.000Z\",\"client_side\":false}]");
        assertThat(run.get("steps")).extracting(step -> step.get("status").asText())
                .containsExactly("awaiting_approval", "in_progress", "denied", "denied");
        assertThat(run.get("steps").get(0).get("approval").toString()).isEqualTo("{\"approved\":null,\"reason\":null,"
                + "\"arguments\":null,\"output\":null,\"decided_by\":null,\"decided_at\":null,"
                + "\"expires_at\":\"2026-03-01T10:30:33.000Z\",\"expired\":null,\"client_side\":false}");
        assertThat(run.get("steps").get(1).get("arguments").asText()).isEqualTo("{\"expression\":\"1/0\"}");
        assertThat(run.get("steps").get(1).get("approval").toString()).isEqualTo("{\"approved\":true,\"reason\":null,"
                + "\"arguments\":\"{\\\"expression\\\":\\\"1/1\\\"}\",\"output\":null,\"decided_by\":\"user_1\","
                + "\"decided_at\":\"2026-03-01T10:15:33.000Z\",\"expires_at\":\"2026-03-01T10:30:33.000Z\",\"expired\":false,"
                + "\"client_side\":false}");
        assertThat(run.get("steps").get(2).get("error").asText())
                .isEqualTo("The user denied this tool call: Not today.. Do not call it again unless asked.");
        assertThat(run.get("steps").get(2).get("approval").get("reason").asText()).isEqualTo("Not today.");
        assertThat(run.get("steps").get(3).get("approval").toString()).isEqualTo("{\"approved\":false,"
                + "\"reason\":\"Nobody approved this tool call within 900 seconds, so it was not run.\",\"arguments\":null,"
                + "\"output\":null,\"decided_by\":null,\"decided_at\":\"2026-03-01T10:15:33.000Z\","
                + "\"expires_at\":\"2026-03-01T10:15:33.000Z\",\"expired\":true,\"client_side\":false}");
    }

    @Test
    void a_call_of_the_clients_own_tool_shows_it_waits_for_the_client_and_then_what_the_client_gave() {
        Run running = Run.queue(RunId.of("run_8"), ThreadId.of("thread_1"),
                new ThreadScope(AgentId.of("support-triage"), UserId.of("user_1")), 1, MessageId.of("msg_8"),
                Samples.T1).start(Samples.T1).state();
        Run waiting = running.awaitApproval(ApprovalRound.waiting(1, 3, Samples.T2.plusSeconds(900), "", List.of(
                new PendingCall(StepId.of("step_8"), 0, "call_8", "get_location", "{}", true))), Usage.NONE,
                Samples.T2).state();
        Step asked = Step.awaitClientResult(StepId.of("step_8"), waiting.id(), waiting.threadId(), 1, 0, "call_8",
                "get_location", "{}", Samples.T2.plusSeconds(900), Samples.T2).state();
        Step answered = asked.clientReturned(ApprovalDecision.ranByClient(UserId.of("user_1"), null,
                "{\"city\":\"Lisbon\"}", Samples.T2.plusSeconds(4)), Samples.T2.plusSeconds(4)).state();

        JsonNode whileWaiting = read(Json.encode(ThreadJson.RunBody.of(waiting, List.of(asked))));
        JsonNode afterwards = read(Json.encode(ThreadJson.RunBody.of(waiting, List.of(answered))));

        assertThat(whileWaiting.get("pending_approvals").get(0).get("client_side").asBoolean()).isTrue();
        assertThat(whileWaiting.get("steps").get(0).get("status").asText()).isEqualTo("awaiting_approval");
        assertThat(whileWaiting.get("steps").get(0).get("approval").get("client_side").asBoolean()).isTrue();
        JsonNode step = afterwards.get("steps").get(0);
        assertThat(step.get("status").asText()).isEqualTo("completed");
        assertThat(step.get("output").asText()).isEqualTo("{\"city\":\"Lisbon\"}");
        assertThat(step.get("approval").get("output").asText()).isEqualTo("{\"city\":\"Lisbon\"}");
        assertThat(step.get("approval").get("client_side").asBoolean()).isTrue();
    }

    @Test
    void a_run_that_goes_on_after_its_decisions_waits_for_nothing_and_shows_them_on_calls_not_yet_reached() {
        UserId user = UserId.of("user_1");
        ApprovalVerdict verdict = Samples.waitingRun().decide(Map.of(
                StepId.of("step_6"), ApprovalDecision.approved(user, null, null, Samples.T2),
                StepId.of("step_7"), ApprovalDecision.denied(user, null, Samples.T2)), Samples.T2);
        Run resumed = ((ApprovalVerdict.Accepted) verdict).transition().state();

        JsonNode run = read(Json.encode(ThreadJson.RunBody.of(resumed, Samples.approvalSteps())));

        assertThat(run.get("status").asText()).isEqualTo("in_progress");
        assertThat(run.get("pending_approvals")).isEmpty();
        JsonNode notYetReached = run.get("steps").get(0);
        assertThat(notYetReached.get("status").asText()).isEqualTo("awaiting_approval");
        assertThat(notYetReached.get("approval").get("approved").asBoolean()).isTrue();
        assertThat(notYetReached.get("approval").get("decided_by").asText()).isEqualTo("user_1");
        assertThat(run.get("steps").get(1).get("approval").get("approved").asBoolean())
                .as("a step's own decision is what it ran with").isTrue();
    }

    private static JsonNode read(String json) {
        try {
            return new ObjectMapper().readTree(json);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void a_page_of_threads_holds_them_and_its_bounds() {
        ThreadPage page = new ThreadPage(List.of(Samples.idleThread(), Samples.busyThread()), 12, 2, 0);

        assertThat(Json.encode(ThreadJson.ThreadListBody.of(page))).isEqualTo(
                "{\"threads\":[" + IDLE_THREAD + "," + BUSY_THREAD + "],\"total\":12,\"limit\":2,\"offset\":0}");
    }

    @Test
    void a_thread_with_its_history_is_its_members_then_messages_then_runs_with_their_steps() {
        ThreadHistory history = new ThreadHistory(Samples.idleThread(), List.of(Samples.message()),
                List.of(Samples.completedRun()), Samples.steps());

        assertThat(Json.encode(ThreadJson.ThreadHistoryBody.of(history))).isEqualTo(
                IDLE_THREAD.substring(0, IDLE_THREAD.length() - 1) + ",\"messages\":[" + MESSAGE + "],\"runs\":["
                        + COMPLETED_RUN_WITH_STEPS + "]}");
    }

    @Test
    void a_list_of_runs_leaves_their_steps_out() {
        assertThat(Json.encode(ThreadJson.RunListBody.of(List.of(Samples.queuedRun(), Samples.failedRun()))))
                .isEqualTo("{\"runs\":[" + QUEUED_RUN + "," + FAILED_RUN + "]}");
    }
}
