package dev.agentchat.adapter.http.agui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentchat.domain.approval.PendingCall;
import dev.agentchat.domain.chat.ChatEvent;
import dev.agentchat.domain.chat.RunEvent;
import dev.agentchat.domain.message.MessageId;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.step.StepId;
import dev.agentchat.domain.thread.ThreadId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Chat events as AG-UI events: in an order AG-UI clients accept, with no nulls and integer timestamps. */
class AgUiEventsTest {
    private static final Instant AT = Instant.parse("2026-12-04T10:15:30.123Z");
    private final AgUiEvents events = new AgUiEvents("client-thread", "client-run", RunId.of("run_1"), ThreadId.of("thread_1"));
    /** The id of the last event translated. */
    private long sequence;

    @Test
    void the_run_starts_with_the_clients_names_and_this_services_ids_as_metadata() {
        Map<String, Object> started = events.runStarted(AT);

        assertThat(started).containsEntry("type", "RUN_STARTED").containsEntry("threadId", "client-thread")
                .containsEntry("runId", "client-run").containsEntry("timestamp", AT.toEpochMilli());
        assertThat(started.get("metadata")).isEqualTo(Map.of("agentchat_thread_id", "thread_1", "agentchat_run_id", "run_1"));
    }

    @Test
    void the_first_token_starts_a_text_message_and_the_others_only_add_to_it() {
        List<Map<String, Object>> frames = translate(token("Hel"), token("lo"));

        assertThat(types(frames)).containsExactly("TEXT_MESSAGE_START", "TEXT_MESSAGE_CONTENT", "TEXT_MESSAGE_CONTENT");
        assertThat(frames.get(0)).containsEntry("messageId", "run_1-text-1").containsEntry("role", "assistant");
        assertThat(frames.get(1)).containsEntry("messageId", "run_1-text-1").containsEntry("delta", "Hel");
        assertThat(frames.get(2)).containsEntry("delta", "lo");
    }

    @Test
    void a_tool_call_ends_the_open_text_and_names_it_as_its_parent_and_the_next_text_is_a_new_message() {
        List<Map<String, Object>> frames = translate(token("Let me look."), start("step_1"), end("step_1", "sunny", null),
                token("It is sunny."), done());

        assertThat(types(frames)).containsExactly("TEXT_MESSAGE_START", "TEXT_MESSAGE_CONTENT", "TEXT_MESSAGE_END",
                "TOOL_CALL_START", "TOOL_CALL_ARGS", "TOOL_CALL_END", "TOOL_CALL_RESULT", "TEXT_MESSAGE_START",
                "TEXT_MESSAGE_CONTENT", "TEXT_MESSAGE_END", "RUN_FINISHED");
        assertThat(frames.get(3)).containsEntry("toolCallId", "step_1").containsEntry("toolCallName", "weather")
                .containsEntry("parentMessageId", "run_1-text-1");
        assertThat(frames.get(4)).containsEntry("delta", "{\"city\":\"Paris\"}");
        assertThat(frames.get(6)).containsEntry("messageId", "step_1-result").containsEntry("toolCallId", "step_1")
                .containsEntry("content", "sunny").containsEntry("role", "tool");
        assertThat(frames.get(7)).as("named by its first token's event").containsEntry("messageId", "run_1-text-4");
        assertThat(frames.get(10)).containsEntry("threadId", "client-thread").containsEntry("runId", "client-run")
                .containsEntry("outcome", Map.of("type", "success"));
    }

    @Test
    void a_call_before_any_text_has_no_parent_member_rather_than_a_null_one() {
        Map<String, Object> start = translate(start("step_1")).getFirst();

        assertThat(start).doesNotContainKey("parentMessageId");
    }

    @Test
    void a_failed_call_gives_its_error_as_the_result() {
        Map<String, Object> result = translate(start("step_1"), end("step_1", null, "timed out")).getLast();

        assertThat(result).containsEntry("content", "Error: timed out");
    }

    @Test
    void an_error_ends_the_open_text_then_the_run_with_its_code() {
        List<Map<String, Object>> frames = translate(token("Half"),
                new ChatEvent.Error("The model failed.", "model_error", AT));

        assertThat(types(frames)).containsExactly("TEXT_MESSAGE_START", "TEXT_MESSAGE_CONTENT", "TEXT_MESSAGE_END",
                "RUN_ERROR");
        assertThat(frames.getLast()).containsEntry("message", "The model failed.").containsEntry("code", "model_error");
        assertThat(events.ended()).isTrue();
    }

    @Test
    void nothing_follows_the_end_of_the_run() {
        translate(done());

        assertThat(translate(token("late"), new ChatEvent.Error("x", "y", AT))).isEmpty();
    }

    @Test
    void progress_of_a_call_is_not_sent() {
        assertThat(translate(start("step_1"), new ChatEvent.TraceUpdate(StepId.of("step_1"), "half way", AT)))
                .hasSize(3);
    }

    @Test
    void a_call_that_waits_for_approval_is_told_once_though_it_starts_after_approval() {
        List<Map<String, Object>> frames = translate(token("Checking."),
                new ChatEvent.ApprovalRequired(StepId.of("step_1"), "weather", "{}", AT.plusSeconds(600), AT),
                start("step_1"), end("step_1", "sunny", null), done());

        assertThat(types(frames)).containsExactly("TEXT_MESSAGE_START", "TEXT_MESSAGE_CONTENT", "TEXT_MESSAGE_END",
                "TOOL_CALL_START", "TOOL_CALL_ARGS", "TOOL_CALL_END", "TOOL_CALL_RESULT", "RUN_FINISHED");
    }

    @Test
    void a_pause_for_approval_closes_the_text_and_finishes_with_an_interrupt_per_call_that_waits_for_a_person() {
        Instant expires = AT.plusSeconds(900);
        List<Map<String, Object>> frames = new ArrayList<>(List.of(events.runStarted(AT)));
        frames.addAll(translate(token("Let me ask."),
                new ChatEvent.ApprovalRequired(StepId.of("step_1"), "weather", "{}", expires, AT)));
        frames.addAll(events.interrupted(List.of(pending("step_1", false)), expires, AT));

        assertThat(types(frames)).containsExactly("RUN_STARTED", "TEXT_MESSAGE_START", "TEXT_MESSAGE_CONTENT", "TEXT_MESSAGE_END",
                "TOOL_CALL_START", "TOOL_CALL_ARGS", "TOOL_CALL_END", "RUN_FINISHED");
        @SuppressWarnings("unchecked")
        Map<String, Object> outcome = (Map<String, Object>) frames.getLast().get("outcome");
        assertThat(outcome).containsEntry("type", "interrupt");
        assertThat((List<?>) outcome.get("interrupts")).singleElement().satisfies(interrupt -> assertThat(asMap(interrupt))
                .containsEntry("id", "step_1").containsEntry("toolCallId", "step_1").containsEntry("reason", "tool_call")
                .containsEntry("expiresAt", expires.toString()).containsKey("message"));
        assertThat(events.ended()).isTrue();
        assertThat(translate(done())).isEmpty();
        assertVerifiable(frames);
    }

    @Test
    void a_pause_for_the_clients_own_tools_alone_is_a_success_naming_them_and_mixed_with_approvals_an_interrupt_for_those() {
        Instant expires = AT.plusSeconds(900);
        List<Map<String, Object>> alone = translate(start("step_1"),
                new ChatEvent.ApprovalRequired(StepId.of("step_1"), "weather", "{}", expires, AT, true));
        alone.addAll(events.interrupted(List.of(pending("step_1", true)), expires, AT));
        AgUiEvents mixed = new AgUiEvents("client-thread", "client-run", RunId.of("run_1"), ThreadId.of("thread_1"));
        List<Map<String, Object>> both = mixed.interrupted(List.of(pending("step_1", false), pending("step_2", true)),
                expires, AT);

        assertThat(types(alone)).as("the client's call is started once").containsExactly("TOOL_CALL_START",
                "TOOL_CALL_ARGS", "TOOL_CALL_END", "RUN_FINISHED");
        assertThat(alone.getLast().get("outcome")).isEqualTo(Map.of("type", "success", "pendingToolCallIds", List.of("step_1")));
        @SuppressWarnings("unchecked")
        Map<String, Object> outcome = (Map<String, Object>) both.getLast().get("outcome");
        assertThat(outcome).containsEntry("type", "interrupt").doesNotContainKey("pendingToolCallIds");
        assertThat((List<?>) outcome.get("interrupts")).singleElement()
                .satisfies(interrupt -> assertThat(asMap(interrupt)).containsEntry("id", "step_1"));
    }

    @Test
    void a_resumed_run_does_not_start_the_calls_the_client_knows_and_tells_no_result_the_client_gave() {
        AgUiEvents resumed = new AgUiEvents("client-thread", "client-run-2", RunId.of("run_1"), ThreadId.of("thread_1"),
                Set.of("step_1", "step_2"), Set.of("step_2"));
        List<Map<String, Object>> first = translate(token("Let me ask."),
                new ChatEvent.ApprovalRequired(StepId.of("step_1"), "weather", "{}", AT, AT));
        List<Map<String, Object>> frames = translate(resumed, start("step_1"), end("step_1", "sunny", null),
                end("step_2", "Lisbon", null), token("Sunny in Lisbon."), done());

        assertThat(types(frames)).containsExactly("TOOL_CALL_RESULT", "TEXT_MESSAGE_START", "TEXT_MESSAGE_CONTENT",
                "TEXT_MESSAGE_END", "RUN_FINISHED");
        assertThat(frames.getFirst()).containsEntry("toolCallId", "step_1").containsEntry("content", "sunny");
        assertThat(frames.getLast()).containsEntry("runId", "client-run-2");
        assertThat(frames.get(1).get("messageId")).as("the client keeps both streams' messages: their names differ")
                .isNotEqualTo(first.getFirst().get("messageId"));
    }

    @Test
    void every_frame_has_a_type_an_integer_timestamp_and_no_null_member() {
        List<Map<String, Object>> frames = new ArrayList<>(List.of(events.runStarted(AT)));
        frames.addAll(translate(token("a"), start("step_1"), end("step_1", null, null), token("b"), done()));

        assertThat(frames).allSatisfy(frame -> {
            assertThat(frame.get("type")).isInstanceOf(String.class);
            assertThat(frame.get("timestamp")).isEqualTo(AT.toEpochMilli());
            assertThat(frame.values()).doesNotContainNull();
        });
    }

    @Test
    void the_order_is_one_an_ag_ui_client_verifies_as_valid() {
        List<Map<String, Object>> frames = new ArrayList<>(List.of(events.runStarted(AT)));
        frames.addAll(translate(token("a"), start("step_1"), start("step_2"), end("step_1", "1", null),
                end("step_2", "2", null), token("b"), token("c"),
                new ChatEvent.ApprovalRequired(StepId.of("step_3"), "weather", "{}", AT, AT), start("step_3"),
                end("step_3", null, "denied"), token("d"), done()));

        assertVerifiable(frames);
    }

    /** The rules of the AG-UI client's event verifier: what is open, what may follow what. */
    private static void assertVerifiable(List<Map<String, Object>> frames) {
        assertThat(frames.getFirst().get("type")).isEqualTo("RUN_STARTED");
        Set<Object> openTexts = new HashSet<>();
        Set<Object> openCalls = new HashSet<>();
        boolean finished = false;
        for (Map<String, Object> frame : frames) {
            assertThat(finished).as("nothing after the run's end: %s", frame).isFalse();
            switch ((String) frame.get("type")) {
                case "TEXT_MESSAGE_START" -> assertThat(openTexts.add(frame.get("messageId"))).isTrue();
                case "TEXT_MESSAGE_CONTENT" -> assertThat(openTexts).contains(frame.get("messageId"));
                case "TEXT_MESSAGE_END" -> assertThat(openTexts.remove(frame.get("messageId"))).isTrue();
                case "TOOL_CALL_START" -> assertThat(openCalls.add(frame.get("toolCallId"))).isTrue();
                case "TOOL_CALL_ARGS" -> assertThat(openCalls).contains(frame.get("toolCallId"));
                case "TOOL_CALL_END" -> assertThat(openCalls.remove(frame.get("toolCallId"))).isTrue();
                case "RUN_FINISHED", "RUN_ERROR" -> {
                    assertThat(openTexts).isEmpty();
                    assertThat(openCalls).isEmpty();
                    finished = true;
                }
                default -> {
                }
            }
        }
        assertThat(finished).isTrue();
    }

    /** Translates the events as the run's next ones, numbered on from the last translated. */
    private List<Map<String, Object>> translate(ChatEvent... chatEvents) {
        return translate(events, chatEvents);
    }

    private List<Map<String, Object>> translate(AgUiEvents encoder, ChatEvent... chatEvents) {
        List<Map<String, Object>> frames = new ArrayList<>();
        for (ChatEvent event : chatEvents) {
            frames.addAll(encoder.translate(new RunEvent(++sequence, event)));
        }
        return frames;
    }

    private static List<Object> types(List<Map<String, Object>> frames) {
        return frames.stream().map(frame -> frame.get("type")).toList();
    }

    private static ChatEvent token(String content) {
        return new ChatEvent.Token(content, AT);
    }

    private static ChatEvent start(String step) {
        return new ChatEvent.TraceStart(StepId.of(step), "weather", "{\"city\":\"Paris\"}", AT);
    }

    private static ChatEvent end(String step, String output, String error) {
        return new ChatEvent.TraceEnd(StepId.of(step), error == null && output != null ? "completed" : "failed", output,
                error, 5, AT);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object member) {
        return (Map<String, Object>) member;
    }

    private static PendingCall pending(String step, boolean clientSide) {
        return new PendingCall(StepId.of(step), 0, "call_" + step, "weather", "{}", clientSide);
    }

    private static ChatEvent done() {
        return new ChatEvent.Done(RunId.of("run_1"), ThreadId.of("thread_1"), MessageId.of("msg_1"), 12, AT);
    }
}
