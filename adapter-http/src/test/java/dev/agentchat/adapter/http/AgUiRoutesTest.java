package dev.agentchat.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentchat.ports.auth.ApiKeys;
import dev.agentchat.adapter.http.auth.Authentication;
import dev.agentchat.adapter.memory.model.Reply;
import dev.agentchat.domain.thread.UserId;
import dev.agentchat.domain.chat.FinishReason;
import dev.agentchat.ports.tool.ToolOutcome;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The AG-UI route over a real socket: a run's events as AG-UI events, each checked against the document's
 * {@code AgUiEvent}, refusals before the stream as problems, and the client's thread names kept per caller.
 */
class AgUiRoutesTest {
    private static final String ALICE_KEY = "alice-key";
    private static final String BOB_KEY = "bob-key";

    private ApiOverMemory service;
    private ApiClient client;

    private void start() {
        ApiKeys keys = ApiKeys.none()
                .with(ApiKeys.Entry.forKey(ALICE_KEY, UserId.of("alice"), Set.of()))
                .with(ApiKeys.Entry.forKey(BOB_KEY, UserId.of("bob"), Set.of()))
                .with(ApiKeys.Entry.forKey(ApiOverMemory.ADMIN_KEY, UserId.of("admin"),
                        Set.of(Authentication.DEFAULT_ADMIN_ROLE)));
        service = new ApiOverMemory(Authentication.by(keys, Authentication.DEFAULT_ADMIN_ROLE, Optional.empty()), List.of());
        client = new ApiClient(service.port());
        service.tools.tool("weather", (arguments, progress) -> new ToolOutcome.Succeeded("sunny"));
        ApiClient.Answer created = client.asAdmin("POST", "/api/agents", ApiClient.json("id", "helper", "name", "Helper",
                "instructions", "Answer briefly.", "tools", List.of("weather")));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
            service.close();
        }
    }

    @Test
    void an_answer_streams_as_one_text_message_whose_deltas_are_the_stored_answer() {
        start();
        service.model.reply(Reply.text("Hello ", "there", "."));

        List<JsonNode> events = run(ALICE_KEY, "helper", input("th-1", "run-1", "Hi"));

        assertThat(types(events)).containsExactly("RUN_STARTED", "TEXT_MESSAGE_START", "TEXT_MESSAGE_CONTENT",
                "TEXT_MESSAGE_CONTENT", "TEXT_MESSAGE_CONTENT", "TEXT_MESSAGE_END", "RUN_FINISHED");
        JsonNode started = events.getFirst();
        assertThat(started.get("threadId").asText()).isEqualTo("th-1");
        assertThat(started.get("runId").asText()).isEqualTo("run-1");
        String deltas = events.stream().filter(event -> event.get("type").asText().equals("TEXT_MESSAGE_CONTENT"))
                .map(event -> event.get("delta").asText()).collect(Collectors.joining());
        JsonNode thread = as(ALICE_KEY, "/api/agents/helper/threads/"
                + started.get("metadata").get("agentchat_thread_id").asText()).json();
        assertThat(thread.get("messages")).extracting(message -> message.get("role").asText())
                .containsExactly("user", "assistant");
        assertThat(deltas).isEqualTo("Hello there.").isEqualTo(thread.get("messages").get(1).get("content").asText());
        assertThat(events.getLast().get("outcome").get("type").asText()).isEqualTo("success");
    }

    @Test
    void a_call_of_the_agents_own_tool_is_streamed_as_a_tool_call_and_its_result() {
        start();
        service.model.reply(Reply.builder().text("Looking. ").toolCall("call_1", "weather", "{\"city\":\"Paris\"}")
                .finish(FinishReason.TOOL_CALLS).build()).reply(Reply.text("It is sunny."));

        List<JsonNode> events = run(ALICE_KEY, "helper", input("th-1", "run-1", "Weather in Paris?"));

        assertThat(types(events)).containsExactly("RUN_STARTED", "TEXT_MESSAGE_START", "TEXT_MESSAGE_CONTENT",
                "TEXT_MESSAGE_END", "TOOL_CALL_START", "TOOL_CALL_ARGS", "TOOL_CALL_END", "TOOL_CALL_RESULT",
                "TEXT_MESSAGE_START", "TEXT_MESSAGE_CONTENT", "TEXT_MESSAGE_END", "RUN_FINISHED");
        JsonNode callStart = events.get(4);
        assertThat(callStart.get("toolCallName").asText()).isEqualTo("weather");
        assertThat(callStart.get("parentMessageId").asText()).isEqualTo(events.get(1).get("messageId").asText());
        assertThat(events.get(5).get("delta").asText()).isEqualTo("{\"city\":\"Paris\"}");
        assertThat(events.get(7).get("toolCallId").asText()).isEqualTo(callStart.get("toolCallId").asText());
        assertThat(events.get(7).get("content").asText()).isEqualTo("sunny");
    }

    @Test
    void a_call_that_waits_for_approval_ends_the_run_with_an_interrupt_naming_the_call() {
        startCareful();

        List<JsonNode> events = run(ALICE_KEY, "careful", input("th-1", "run-1", "Weather?"));

        assertThat(types(events)).containsExactly("RUN_STARTED", "TEXT_MESSAGE_START", "TEXT_MESSAGE_CONTENT",
                "TEXT_MESSAGE_END", "TOOL_CALL_START", "TOOL_CALL_ARGS", "TOOL_CALL_END", "RUN_FINISHED");
        String step = events.get(4).get("toolCallId").asText();
        JsonNode finished = events.getLast();
        assertThat(finished.get("threadId").asText()).isEqualTo("th-1");
        assertThat(finished.get("runId").asText()).isEqualTo("run-1");
        assertThat(finished.get("outcome").get("type").asText()).isEqualTo("interrupt");
        JsonNode interrupt = finished.get("outcome").get("interrupts").get(0);
        assertThat(finished.get("outcome").get("interrupts")).hasSize(1);
        assertThat(interrupt.get("id").asText()).isEqualTo(step);
        assertThat(interrupt.get("toolCallId").asText()).isEqualTo(step);
        assertThat(interrupt.get("reason").asText()).isEqualTo("tool_call");
        assertThat(Instant.parse(interrupt.get("expiresAt").asText())).isAfter(Instant.now());
        JsonNode run = storedRun(ALICE_KEY, "careful", events);
        assertThat(run.get("status").asText()).isEqualTo("requires_action");
    }

    @Test
    void an_approving_resume_streams_the_result_on_the_original_call_and_the_answer_without_starting_the_call_again() {
        startCareful();
        List<JsonNode> interrupted = run(ALICE_KEY, "careful", input("th-1", "run-1", "Weather?"));
        String step = interrupted.get(4).get("toolCallId").asText();

        List<JsonNode> resumed = run(ALICE_KEY, "careful", resuming("th-1", "run-2", interrupted,
                entry(step, "resolved", true)));

        assertThat(types(resumed)).containsExactly("RUN_STARTED", "TOOL_CALL_RESULT", "TEXT_MESSAGE_START",
                "TEXT_MESSAGE_CONTENT", "TEXT_MESSAGE_END", "RUN_FINISHED");
        assertThat(resumed.getFirst().get("runId").asText()).isEqualTo("run-2");
        assertThat(resumed.get(1).get("toolCallId").asText()).isEqualTo(step);
        assertThat(resumed.get(1).get("content").asText()).isEqualTo("sunny");
        assertThat(resumed.getLast().get("outcome").get("type").asText()).isEqualTo("success");
        assertThat(threadOf(resumed)).isEqualTo(threadOf(interrupted));
        JsonNode thread = as(ALICE_KEY, "/api/agents/careful/threads/" + threadOf(resumed)).json();
        assertThat(thread.get("messages")).extracting(message -> message.get("content").asText())
                .containsExactly("Weather?", "Let me ask. It is sunny.");
        assertThat(storedRun(ALICE_KEY, "careful", interrupted).get("status").asText()).isEqualTo("completed");
    }

    @Test
    void a_resumed_run_that_pauses_again_ends_its_stream_with_the_new_interrupt_which_the_next_resume_answers() {
        start();
        createCareful();
        service.model.reply(Reply.builder().toolCall("call_1", "weather", "{\"city\":\"Paris\"}")
                        .finish(FinishReason.TOOL_CALLS).build())
                .reply(Reply.builder().text("And Rome. ").toolCall("call_2", "weather", "{\"city\":\"Rome\"}")
                        .finish(FinishReason.TOOL_CALLS).build())
                .reply(Reply.text("Sunny in both."));
        List<JsonNode> first = run(ALICE_KEY, "careful", input("th-1", "run-1", "Weather in Paris and Rome?"));
        String paris = first.get(1).get("toolCallId").asText();

        List<JsonNode> second = run(ALICE_KEY, "careful", resuming("th-1", "run-2", first, entry(paris, "resolved", true)));

        assertThat(types(second)).containsExactly("RUN_STARTED", "TOOL_CALL_RESULT", "TEXT_MESSAGE_START",
                "TEXT_MESSAGE_CONTENT", "TEXT_MESSAGE_END", "TOOL_CALL_START", "TOOL_CALL_ARGS", "TOOL_CALL_END",
                "RUN_FINISHED");
        String rome = second.get(5).get("toolCallId").asText();
        assertThat(rome).isNotEqualTo(paris);
        assertThat(second.getLast().get("outcome").get("interrupts")).extracting(interrupt -> interrupt.get("id").asText())
                .containsExactly(rome);
        assertThat(storedRun(ALICE_KEY, "careful", first).get("status").asText()).isEqualTo("requires_action");

        List<JsonNode> third = run(ALICE_KEY, "careful", resuming("th-1", "run-3", first, entry(rome, "resolved", true)));

        assertThat(types(third)).containsExactly("RUN_STARTED", "TOOL_CALL_RESULT", "TEXT_MESSAGE_START",
                "TEXT_MESSAGE_CONTENT", "TEXT_MESSAGE_END", "RUN_FINISHED");
        assertThat(third.get(1).get("toolCallId").asText()).isEqualTo(rome);
        assertThat(storedRun(ALICE_KEY, "careful", first).get("status").asText()).isEqualTo("completed");
    }

    @Test
    void a_cancelled_interrupt_denies_the_call_and_the_model_is_told() {
        startCareful();
        List<JsonNode> interrupted = run(ALICE_KEY, "careful", input("th-1", "run-1", "Weather?"));
        String step = interrupted.get(4).get("toolCallId").asText();
        ObjectNode cancelled = ApiClient.JSON.createObjectNode().put("interruptId", step).put("status", "cancelled");

        List<JsonNode> resumed = run(ALICE_KEY, "careful", resuming("th-1", "run-2", interrupted, cancelled));

        assertThat(types(resumed)).startsWith("RUN_STARTED", "TOOL_CALL_RESULT").endsWith("RUN_FINISHED")
                .doesNotContain("TOOL_CALL_START");
        assertThat(resumed.get(1).get("toolCallId").asText()).isEqualTo(step);
        assertThat(resumed.get(1).get("content").asText()).startsWith("Error:");
        assertThat(storedRun(ALICE_KEY, "careful", interrupted).get("steps")).anySatisfy(stored -> {
            assertThat(stored.get("id").asText()).isEqualTo(step);
            assertThat(stored.get("approval").get("approved").asBoolean()).isFalse();
        });
    }

    @Test
    void a_new_message_while_an_interrupt_is_open_is_a_run_error_that_stores_nothing() {
        startCareful();
        List<JsonNode> interrupted = run(ALICE_KEY, "careful", input("th-1", "run-1", "Weather?"));
        String threadPath = "/api/agents/careful/threads/" + threadOf(interrupted);
        int messagesBefore = as(ALICE_KEY, threadPath).json().get("messages").size();

        List<JsonNode> refused = run(ALICE_KEY, "careful", input("th-1", "run-2", "Never mind, hello?"));

        assertThat(types(refused)).containsExactly("RUN_ERROR");
        assertThat(refused.getFirst().get("code").asText()).isEqualTo("interrupts_pending");
        assertThat(as(ALICE_KEY, threadPath).json().get("messages")).hasSize(messagesBefore);
        assertThat(as(ALICE_KEY, threadPath + "/runs").json().get("runs")).hasSize(1);
        assertThat(storedRun(ALICE_KEY, "careful", interrupted).get("status").asText()).isEqualTo("requires_action");
    }

    @Test
    void resumes_that_do_not_fit_the_pause_are_run_errors_and_leave_the_run_waiting() {
        startCareful();
        List<JsonNode> interrupted = run(ALICE_KEY, "careful", input("th-1", "run-1", "Weather?"));
        String step = interrupted.get(4).get("toolCallId").asText();

        List<JsonNode> unknown = run(ALICE_KEY, "careful", resuming("th-1", "run-2", interrupted,
                entry("step_not_waiting", "resolved", true)));
        List<JsonNode> twice = run(ALICE_KEY, "careful", resuming("th-1", "run-3", interrupted,
                entry(step, "resolved", true), entry(step, "cancelled", false)));
        List<JsonNode> notAnId = run(ALICE_KEY, "careful", resuming("th-1", "run-4", interrupted,
                entry("not an id!", "resolved", true)));
        List<JsonNode> otherThread = run(ALICE_KEY, "careful", resuming("th-2", "run-5", interrupted,
                entry(step, "resolved", true)));

        for (List<JsonNode> refused : List.of(unknown, twice, notAnId)) {
            assertThat(types(refused)).containsExactly("RUN_ERROR");
            assertThat(refused.getFirst().get("code").asText()).isEqualTo("invalid_resume");
        }
        assertThat(types(otherThread)).containsExactly("RUN_ERROR");
        assertThat(otherThread.getFirst().get("code").asText()).isEqualTo("stale_resume");
        assertThat(storedRun(ALICE_KEY, "careful", interrupted).get("status").asText()).isEqualTo("requires_action");
        assertThat(as(ALICE_KEY, "/api/agents/careful/threads").json().get("total").asInt()).isEqualTo(1);
    }

    @Test
    void a_resume_after_the_run_went_on_is_a_stale_run_error() {
        startCareful();
        List<JsonNode> interrupted = run(ALICE_KEY, "careful", input("th-1", "run-1", "Weather?"));
        String step = interrupted.get(4).get("toolCallId").asText();
        run(ALICE_KEY, "careful", resuming("th-1", "run-2", interrupted, entry(step, "resolved", true)));

        List<JsonNode> again = run(ALICE_KEY, "careful", resuming("th-1", "run-3", interrupted,
                entry(step, "resolved", true)));

        assertThat(types(again)).containsExactly("RUN_ERROR");
        assertThat(again.getFirst().get("code").asText()).isEqualTo("stale_resume");
        JsonNode thread = as(ALICE_KEY, "/api/agents/careful/threads/" + threadOf(interrupted)).json();
        assertThat(thread.get("messages")).hasSize(2);
    }

    @Test
    void a_call_of_the_clients_own_tool_finishes_the_run_naming_it_pending_and_its_result_in_a_tool_message_goes_on_with_it() {
        start();
        service.model.reply(Reply.builder().toolCall("call_1", "get_location", "{}").finish(FinishReason.TOOL_CALLS).build())
                .reply(Reply.text("You are in Lisbon."));
        ObjectNode first = input("th-1", "run-1", "Where am I?");
        declareLocationTool(first);

        List<JsonNode> asked = run(ALICE_KEY, "helper", first);

        assertThat(types(asked)).containsExactly("RUN_STARTED", "TOOL_CALL_START", "TOOL_CALL_ARGS", "TOOL_CALL_END",
                "RUN_FINISHED");
        String call = asked.get(1).get("toolCallId").asText();
        assertThat(asked.get(1).get("toolCallName").asText()).isEqualTo("get_location");
        JsonNode outcome = asked.getLast().get("outcome");
        assertThat(outcome.get("type").asText()).isEqualTo("success");
        assertThat(outcome.get("pendingToolCallIds")).extracting(JsonNode::asText).containsExactly(call);

        ObjectNode second = input("th-1", "run-2", "Where am I?");
        declareLocationTool(second);
        ArrayNode history = (ArrayNode) second.get("messages");
        history.addObject().put("id", call).put("role", "assistant").putArray("toolCalls").addObject().put("id", call)
                .put("type", "function").putObject("function").put("name", "get_location").put("arguments", "{}");
        history.addObject().put("id", "t1").put("role", "tool").put("toolCallId", call).put("content", "Lisbon, Portugal");

        List<JsonNode> answered = run(ALICE_KEY, "helper", second);

        assertThat(types(answered)).as("no result for the client's own call: it gave it").containsExactly("RUN_STARTED",
                "TEXT_MESSAGE_START", "TEXT_MESSAGE_CONTENT", "TEXT_MESSAGE_END", "RUN_FINISHED");
        assertThat(answered.getLast().get("outcome").get("type").asText()).isEqualTo("success");
        assertThat(answered.getLast().get("outcome").has("pendingToolCallIds")).isFalse();
        assertThat(storedRun(ALICE_KEY, "helper", asked).get("steps"))
                .filteredOn(step -> step.get("type").asText().equals("tool_call")).singleElement().satisfies(step -> {
                    assertThat(step.get("id").asText()).isEqualTo(call);
                    assertThat(step.get("output").asText()).isEqualTo("Lisbon, Portugal");
                });
        assertThat(service.model.requests().getLast().toString()).contains("Lisbon, Portugal");
        JsonNode thread = as(ALICE_KEY, "/api/agents/helper/threads/" + threadOf(asked)).json();
        assertThat(thread.get("messages")).extracting(message -> message.get("content").asText())
                .containsExactly("Where am I?", "You are in Lisbon.");
    }

    @Test
    void when_an_approval_and_the_clients_own_tool_wait_together_the_run_is_interrupted_and_one_request_answers_both() {
        start();
        createCareful();
        service.model.reply(Reply.builder().toolCall("call_1", "weather", "{\"city\":\"Paris\"}")
                        .toolCall("call_2", "get_location", "{}").finish(FinishReason.TOOL_CALLS).build())
                .reply(Reply.text("Sunny where you are."));
        ObjectNode first = input("th-1", "run-1", "Weather here?");
        declareLocationTool(first);

        List<JsonNode> asked = run(ALICE_KEY, "careful", first);

        assertThat(types(asked)).containsExactly("RUN_STARTED", "TOOL_CALL_START", "TOOL_CALL_ARGS", "TOOL_CALL_END",
                "TOOL_CALL_START", "TOOL_CALL_ARGS", "TOOL_CALL_END", "RUN_FINISHED");
        Map<String, String> calls = asked.stream().filter(event -> event.get("type").asText().equals("TOOL_CALL_START"))
                .collect(Collectors.toMap(event -> event.get("toolCallName").asText(), event -> event.get("toolCallId").asText()));
        JsonNode outcome = asked.getLast().get("outcome");
        assertThat(outcome.get("type").asText()).isEqualTo("interrupt");
        assertThat(outcome.get("interrupts")).extracting(interrupt -> interrupt.get("toolCallId").asText())
                .containsExactly(calls.get("weather"));

        ObjectNode second = input("th-1", "run-2", "Weather here?");
        declareLocationTool(second);
        ArrayNode history = (ArrayNode) second.get("messages");
        history.addObject().put("id", "a1").put("role", "assistant").putArray("toolCalls");
        history.addObject().put("id", "t1").put("role", "tool").put("toolCallId", calls.get("get_location"))
                .put("content", "Lisbon");
        second.putArray("resume").add(entry(calls.get("weather"), "resolved", true));

        List<JsonNode> answered = run(ALICE_KEY, "careful", second);

        assertThat(types(answered)).containsExactly("RUN_STARTED", "TOOL_CALL_RESULT", "TEXT_MESSAGE_START",
                "TEXT_MESSAGE_CONTENT", "TEXT_MESSAGE_END", "RUN_FINISHED");
        assertThat(answered.get(1).get("toolCallId").asText()).isEqualTo(calls.get("weather"));
        assertThat(storedRun(ALICE_KEY, "careful", asked).get("status").asText()).isEqualTo("completed");
    }

    @Test
    void a_round_that_ran_a_call_before_pausing_for_others_is_answered_with_the_clients_copy_whose_results_answer_nothing() {
        start();
        service.tools.tool("lookup", (arguments, progress) -> new ToolOutcome.Succeeded("found it"));
        ApiClient.Answer mixed = client.asAdmin("POST", "/api/agents", ApiClient.json("id", "mixed", "name", "Mixed",
                "instructions", "Ask first.", "tools", List.of("weather", "lookup"), "approval_required", List.of("weather")));
        assertThat(mixed.status()).as(mixed.body()).isEqualTo(201);
        service.model.reply(Reply.builder().text("Let me check. ").toolCall("call_1", "lookup", "{}")
                        .toolCall("call_2", "weather", "{\"city\":\"Paris\"}").toolCall("call_3", "get_location", "{}")
                        .finish(FinishReason.TOOL_CALLS).build())
                .reply(Reply.text("Sunny where you are."));
        ObjectNode first = input("th-1", "run-1", "Weather here?");
        declareLocationTool(first);

        List<JsonNode> asked = run(ALICE_KEY, "mixed", first);

        assertThat(types(asked)).containsSubsequence("TEXT_MESSAGE_END", "TOOL_CALL_START", "TOOL_CALL_END",
                "TOOL_CALL_RESULT", "RUN_FINISHED");
        Map<String, String> calls = asked.stream().filter(event -> event.get("type").asText().equals("TOOL_CALL_START"))
                .collect(Collectors.toMap(event -> event.get("toolCallName").asText(), event -> event.get("toolCallId").asText()));
        // What HttpAgent sends next: its copy (every call under the text they followed, the streamed result after
        // it), its own tool's result last, and the resume entry.
        ObjectNode second = input("th-1", "run-2", "Weather here?");
        declareLocationTool(second);
        ArrayNode history = (ArrayNode) second.get("messages");
        history.addAll(clientCopy(asked));
        assertThat(history.get(history.size() - 1).get("toolCallId").asText()).as("the copy ends in the streamed result")
                .isEqualTo(calls.get("lookup"));
        history.addObject().put("id", "t1").put("role", "tool").put("toolCallId", calls.get("get_location"))
                .put("content", "Lisbon");
        second.putArray("resume").add(entry(calls.get("weather"), "resolved", true));

        List<JsonNode> answered = run(ALICE_KEY, "mixed", second);

        assertThat(types(answered)).containsExactly("RUN_STARTED", "TOOL_CALL_RESULT", "TEXT_MESSAGE_START",
                "TEXT_MESSAGE_CONTENT", "TEXT_MESSAGE_END", "RUN_FINISHED");
        assertThat(answered.get(1).get("toolCallId").asText()).isEqualTo(calls.get("weather"));
        assertThat(storedRun(ALICE_KEY, "mixed", asked).get("status").asText()).isEqualTo("completed");
    }

    /**
     * The messages an AG-UI client's default reducer makes of a run's events: a text message per
     * {@code TEXT_MESSAGE_START}, each call under its {@code parentMessageId}'s message (or one of its own), and
     * each {@code TOOL_CALL_RESULT} as a tool message right after the message that holds its call.
     */
    private static List<ObjectNode> clientCopy(List<JsonNode> events) {
        List<ObjectNode> messages = new java.util.ArrayList<>();
        Map<String, ObjectNode> byId = new java.util.HashMap<>();
        Map<String, ObjectNode> callHolder = new java.util.HashMap<>();
        Map<String, ObjectNode> calls = new java.util.HashMap<>();
        for (JsonNode event : events) {
            switch (event.get("type").asText()) {
                case "TEXT_MESSAGE_START" -> {
                    ObjectNode text = ApiClient.JSON.createObjectNode().put("id", event.get("messageId").asText())
                            .put("role", "assistant").put("content", "");
                    messages.add(text);
                    byId.put(text.get("id").asText(), text);
                }
                case "TEXT_MESSAGE_CONTENT" -> {
                    ObjectNode text = byId.get(event.get("messageId").asText());
                    text.put("content", text.get("content").asText() + event.get("delta").asText());
                }
                case "TOOL_CALL_START" -> {
                    String callId = event.get("toolCallId").asText();
                    String parent = event.has("parentMessageId") ? event.get("parentMessageId").asText() : callId;
                    ObjectNode holder = byId.computeIfAbsent(parent, id -> {
                        ObjectNode created = ApiClient.JSON.createObjectNode().put("id", id).put("role", "assistant");
                        messages.add(created);
                        return created;
                    });
                    ObjectNode call = holder.withArray("toolCalls").addObject().put("id", callId).put("type", "function");
                    call.putObject("function").put("name", event.get("toolCallName").asText()).put("arguments", "");
                    calls.put(callId, call);
                    callHolder.put(callId, holder);
                }
                case "TOOL_CALL_ARGS" -> {
                    ObjectNode function = (ObjectNode) calls.get(event.get("toolCallId").asText()).get("function");
                    function.put("arguments", function.get("arguments").asText() + event.get("delta").asText());
                }
                case "TOOL_CALL_RESULT" -> {
                    ObjectNode holder = callHolder.get(event.get("toolCallId").asText());
                    messages.add(messages.indexOf(holder) + 1, ApiClient.JSON.createObjectNode()
                            .put("id", event.get("messageId").asText()).put("role", "tool")
                            .put("toolCallId", event.get("toolCallId").asText()).put("content", event.get("content").asText()));
                }
                default -> {
                }
            }
        }
        return messages;
    }

    @Test
    void a_tool_of_the_client_without_a_description_is_offered_to_the_model_under_its_name() {
        start();
        service.model.reply(Reply.text("Noted."));
        ObjectNode body = input("th-1", "run-1", "Hi");
        body.putArray("tools").addObject().put("name", "get_location").put("description", "");

        List<JsonNode> events = run(ALICE_KEY, "helper", body);

        assertThat(types(events).getLast()).isEqualTo("RUN_FINISHED");
        assertThat(service.model.requests().getLast().tools()).filteredOn(tool -> tool.name().equals("get_location"))
                .singleElement().satisfies(tool -> {
                    assertThat(tool.description()).isEqualTo("get_location");
                    assertThat(tool.parametersSchema()).isEqualTo("{\"type\":\"object\",\"properties\":{}}");
                });
    }

    @Test
    void a_tool_of_the_client_named_like_one_of_the_agents_is_a_problem_before_any_stream_and_stores_nothing() {
        start();
        ObjectNode clash = input("th-1", "run-1", "Weather?");
        clash.putArray("tools").addObject().put("name", "weather").put("description", "The browser's weather.");

        ApiClient.Answer answer = client.send(runRequest(ALICE_KEY, "helper", clash));

        assertThat(answer.status()).as(answer.body()).isEqualTo(422);
        assertThat(answer.json().get("code").asText()).isEqualTo("client_tool_clash");
        assertThat(as(ALICE_KEY, "/api/agents/helper/threads").json().get("total").asInt()).isZero();
    }

    @Test
    void a_model_that_fails_ends_the_stream_with_run_error_after_closing_the_text() {
        start();
        service.model.reply(Reply.builder().text("Half ").fail("model_error", "The model failed.").build());

        List<JsonNode> events = run(ALICE_KEY, "helper", input("th-1", "run-1", "Hi"));

        assertThat(types(events)).containsExactly("RUN_STARTED", "TEXT_MESSAGE_START", "TEXT_MESSAGE_CONTENT",
                "TEXT_MESSAGE_END", "RUN_ERROR");
        assertThat(events.getLast().get("code").asText()).isEqualTo("model_error");
    }

    @Test
    void the_frames_are_data_lines_ending_in_line_feeds_alone_with_ids_and_no_nulls() throws Exception {
        start();
        service.model.reply(Reply.text("Hi \"you\"\n", "there."));

        HttpResponse<byte[]> response;
        try (HttpClient http = HttpClient.newHttpClient()) {
            response = http.send(runRequest(ALICE_KEY, "helper", input("th-1", "run-1", "Hi")).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        }
        String raw = new String(response.body(), StandardCharsets.UTF_8);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/event-stream");
        assertThat(raw).doesNotContain("\r").doesNotContain("null").startsWith("data: {\"type\":\"RUN_STARTED\"")
                .endsWith("\n\n");
        for (String frame : raw.substring(0, raw.length() - 2).split("\n\n")) {
            List<String> lines = List.of(frame.split("\n"));
            String data = lines.getLast();
            assertThat(data).startsWith("data: {");
            assertThat(ApiClient.parse(data.substring(6)).get("timestamp").isIntegralNumber()).isTrue();
            if (!data.contains("RUN_STARTED")) {
                assertThat(lines).hasSize(2);
                assertThat(lines.getFirst()).matches("id: \\d+");
            }
        }
    }

    @Test
    void a_second_run_with_the_same_thread_id_continues_the_thread_and_stores_only_the_new_message() {
        start();
        service.model.reply(Reply.text("Hello.")).reply(Reply.text("Goodbye."));
        List<JsonNode> first = run(ALICE_KEY, "helper", input("th-1", "run-1", "Hi"));
        ObjectNode again = input("th-1", "run-2", "Hi");
        ArrayNode history = (ArrayNode) again.get("messages");
        history.addObject().put("id", first.get(1).get("messageId").asText()).put("role", "assistant").put("content", "Hello.");
        history.addObject().put("id", "u2").put("role", "user").put("content", "Bye");

        List<JsonNode> second = run(ALICE_KEY, "helper", again);

        assertThat(threadOf(second)).isEqualTo(threadOf(first));
        assertThat(second.getLast().get("threadId").asText()).isEqualTo("th-1");
        assertThat(second.getLast().get("runId").asText()).isEqualTo("run-2");
        JsonNode thread = as(ALICE_KEY, "/api/agents/helper/threads/" + threadOf(first)).json();
        assertThat(thread.get("messages")).extracting(message -> message.get("content").asText())
                .containsExactly("Hi", "Hello.", "Bye", "Goodbye.");
        assertThat(as(ALICE_KEY, "/api/agents/helper/threads").json().get("total").asInt()).isEqualTo(1);
    }

    @Test
    void the_same_thread_id_from_two_users_names_two_threads() {
        start();
        service.model.reply(Reply.text("One.")).reply(Reply.text("Two."));

        String alices = threadOf(run(ALICE_KEY, "helper", input("shared-name", "run-1", "Hi")));
        String bobs = threadOf(run(BOB_KEY, "helper", input("shared-name", "run-1", "Hi")));

        assertThat(alices).isNotEqualTo(bobs);
        assertThat(as(ALICE_KEY, "/api/agents/helper/threads").json().get("total").asInt()).isEqualTo(1);
        assertThat(as(BOB_KEY, "/api/agents/helper/threads").json().get("total").asInt()).isEqualTo(1);
        assertThat(as(BOB_KEY, "/api/agents/helper/threads/" + alices).status()).isEqualTo(404);
    }

    @Test
    void an_unknown_agent_is_a_problem_before_any_stream() {
        start();

        ApiClient.Answer answer = client.send(runRequest(ALICE_KEY, "nobody", input("th-1", "run-1", "Hi")));

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
    }

    @Test
    void malformed_inputs_are_refused_naming_the_member_and_store_nothing() {
        start();
        ObjectNode lastNotUser = input("th-1", "run-1", "Hi");
        ((ArrayNode) lastNotUser.get("messages")).addObject().put("id", "a1").put("role", "assistant").put("content", "x");
        ObjectNode imagePart = input("th-1", "run-1", "Hi");
        ((ObjectNode) imagePart.get("messages").get(0)).putArray("content").addObject().put("type", "image");
        ObjectNode noThread = input("th-1", "run-1", "Hi");
        noThread.remove("threadId");
        ObjectNode resuming = input("th-1", "run-1", "Hi");
        resuming.putArray("resume").addObject().put("interruptId", "i1").put("status", "resolved")
                .putObject("payload").put("approved", true);

        assertThat(refusal(lastNotUser)).contains("messages[1].role");
        assertThat(refusal(imagePart)).contains("messages[0].content[0].type");
        assertThat(refusal(noThread)).contains("threadId");
        assertThat(refusal(resuming)).contains("messages[0]").contains("resume");
        ObjectNode undecided = input("th-1", "run-1", "Hi");
        ((ArrayNode) undecided.get("messages")).addObject().put("id", "a1").put("role", "assistant").put("content", "x");
        undecided.putArray("resume").addObject().put("interruptId", "i1").put("status", "resolved");
        ObjectNode unknownStatus = input("th-1", "run-1", "Hi");
        ((ArrayNode) unknownStatus.get("messages")).addObject().put("id", "a1").put("role", "assistant").put("content", "x");
        unknownStatus.putArray("resume").addObject().put("interruptId", "i1").put("status", "maybe");
        ObjectNode toolWithoutDescription = input("th-1", "run-1", "Hi");
        toolWithoutDescription.putArray("tools").addObject().put("name", "get_location");
        ObjectNode badToolName = input("th-1", "run-1", "Hi");
        badToolName.putArray("tools").addObject().put("name", "get location").put("description", "d");
        ObjectNode toolTwice = input("th-1", "run-1", "Hi");
        ArrayNode twice = toolTwice.putArray("tools");
        twice.addObject().put("name", "get_location").put("description", "d");
        twice.addObject().put("name", "get_location").put("description", "d");
        ObjectNode parametersNotAnObject = input("th-1", "run-1", "Hi");
        parametersNotAnObject.putArray("tools").addObject().put("name", "get_location").put("description", "d")
                .put("parameters", "none");

        assertThat(refusal(undecided)).contains("resume[0].payload.approved");
        assertThat(refusal(unknownStatus)).contains("resume[0].status");
        assertThat(refusal(toolWithoutDescription)).contains("tools[0].description");
        assertThat(refusal(badToolName)).contains("tools[0].name");
        assertThat(refusal(toolTwice)).contains("tools[1].name");
        assertThat(refusal(parametersNotAnObject)).contains("tools[0].parameters");
        assertThat(refusal(input("th-1", "run-1", " "))).contains("messages[0].content");
        assertThat(as(ALICE_KEY, "/api/agents/helper/threads").json().get("total").asInt()).isZero();
    }

    @Test
    void unused_members_and_earlier_messages_of_every_role_are_tolerated_and_text_parts_are_joined() {
        start();
        service.model.reply(Reply.text("Fine."));
        ObjectNode body = input("th-1", "run-1", "ignored");
        ArrayNode messages = body.putArray("messages");
        messages.addObject().put("id", "s1").put("role", "system").put("content", "Be kind.");
        messages.addObject().put("id", "a1").put("role", "assistant").putArray("toolCalls").addObject().put("id", "c1")
                .put("type", "function").putObject("function").put("name", "weather").put("arguments", "{}");
        messages.addObject().put("id", "t1").put("role", "tool").put("toolCallId", "c1").put("content", "sunny");
        messages.addObject().put("id", "r1").put("role", "reasoning").put("content", "hmm");
        ArrayNode parts = messages.addObject().put("id", "u2").put("role", "user").putArray("content");
        parts.addObject().put("type", "text").put("text", "First line");
        parts.addObject().put("type", "text").put("text", "second line");
        body.put("protocolVersion", "1.0").put("somethingNewer", true);
        body.putArray("tools").addObject().put("name", "get_weather").put("description", "d");
        body.putArray("context").addObject().put("description", "c").put("value", "v");
        body.putObject("state");
        body.putObject("forwardedProps").put("a", 1);

        List<JsonNode> events = run(ALICE_KEY, "helper", body);

        JsonNode thread = as(ALICE_KEY, "/api/agents/helper/threads/" + threadOf(events)).json();
        assertThat(thread.get("messages").get(0).get("content").asText()).isEqualTo("First line\nsecond line");
        assertThat(thread.get("messages")).hasSize(2);
    }

    /** Alice's agent {@code careful}, whose {@code weather} waits for approval; the model calls it, then answers. */
    private void startCareful() {
        start();
        createCareful();
        service.model.reply(Reply.builder().text("Let me ask. ").toolCall("call_1", "weather", "{\"city\":\"Paris\"}")
                .finish(FinishReason.TOOL_CALLS).build()).reply(Reply.text("It is sunny."));
    }

    private void createCareful() {
        ApiClient.Answer careful = client.asAdmin("POST", "/api/agents", ApiClient.json("id", "careful", "name", "Careful",
                "instructions", "Ask first.", "tools", List.of("weather"), "approval_required", List.of("weather")));
        assertThat(careful.status()).as(careful.body()).isEqualTo(201);
    }

    private static void declareLocationTool(ObjectNode input) {
        input.putArray("tools").addObject().put("name", "get_location").put("description", "Where the user is.")
                .putObject("parameters").put("type", "object").putObject("properties");
    }

    /** The run as stored, read through the API. */
    private JsonNode storedRun(String key, String agent, List<JsonNode> events) {
        return as(key, "/api/agents/" + agent + "/threads/" + threadOf(events) + "/runs/"
                + events.getFirst().get("metadata").get("agentchat_run_id").asText()).json();
    }

    /**
     * The input HttpAgent sends to resume: the first question, the assistant's text and paused call as the client
     * built them from {@code interrupted}'s events, and the resume entries.
     */
    private static ObjectNode resuming(String threadId, String runId, List<JsonNode> interrupted, ObjectNode... entries) {
        ObjectNode body = input(threadId, runId, "Weather?");
        JsonNode call = interrupted.stream().filter(event -> event.get("type").asText().equals("TOOL_CALL_START"))
                .findFirst().orElseThrow();
        ObjectNode assistant = ((ArrayNode) body.get("messages")).addObject().put("id", "a1").put("role", "assistant")
                .put("content", "Let me ask. ");
        assistant.putArray("toolCalls").addObject().put("id", call.get("toolCallId").asText()).put("type", "function")
                .putObject("function").put("name", "weather").put("arguments", "{\"city\":\"Paris\"}");
        ArrayNode resume = body.putArray("resume");
        for (ObjectNode entry : entries) {
            resume.add(entry);
        }
        return body;
    }

    private static ObjectNode entry(String interruptId, String status, boolean approved) {
        ObjectNode entry = ApiClient.JSON.createObjectNode().put("interruptId", interruptId).put("status", status);
        if (status.equals("resolved")) {
            entry.putObject("payload").put("approved", approved);
        }
        return entry;
    }

    private String refusal(ObjectNode body) {
        ApiClient.Answer answer = client.send(runRequest(ALICE_KEY, "helper", body));
        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        return answer.json().get("detail").asText();
    }

    private List<JsonNode> run(String key, String agent, ObjectNode body) {
        return client.stream(runRequest(key, agent, body));
    }

    private HttpRequest.Builder runRequest(String key, String agent, ObjectNode body) {
        return client.request("/api/agents/" + agent + "/ag-ui").header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json").header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    }

    private ApiClient.Answer as(String key, String path) {
        return client.send(client.request(path).header("Authorization", "Bearer " + key).GET());
    }

    /** An input as HttpAgent sends it, with one user message. */
    private static ObjectNode input(String threadId, String runId, String text) {
        ObjectNode body = ApiClient.JSON.createObjectNode().put("threadId", threadId).put("runId", runId);
        body.putArray("messages").addObject().put("id", "u1").put("role", "user").put("content", text);
        return body;
    }

    private static String threadOf(List<JsonNode> events) {
        return events.getFirst().get("metadata").get("agentchat_thread_id").asText();
    }

    private static List<String> types(List<JsonNode> events) {
        return events.stream().map(event -> event.get("type").asText()).toList();
    }
}
