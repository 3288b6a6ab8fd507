package dev.agentchat.bootstrap;

import static dev.agentchat.bootstrap.AgUiClient.text;
import static dev.agentchat.bootstrap.ServiceUnderTest.parse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The released AG-UI client, {@code @ag-ui/client} 1.0.0's {@code HttpAgent.runAgent()} in Node.js, against the
 * service as deployed by default (the offline demo model and the seeded agents, whose {@code support-triage}
 * searches the knowledge base for questions and whose {@code ops-assistant} may use the calculator only once a
 * person approves). Every event the client receives is validated with {@code @ag-ui/core}'s schemas, on the wire
 * and after the client's own checks; a run the client fails, or a field it strips with a warning, fails the test.
 * What the client saw is held against what the service stored, read through its own API.
 */
class AgUiClientTest {
    private static final String AGENT = "support-triage";
    private static final String QUESTION = "How do I reset my password?";
    private static final String FIRST_KEY = "a-first-caller-key-for-tests-0123";
    private static final String SECOND_KEY = "a-second-caller-key-for-tests-0123";

    @Test
    void a_question_streams_a_valid_run_with_the_knowledge_base_search_and_the_answer_that_is_stored() {
        try (ServiceAsDeployed service = ServiceAsDeployed.start(Settings.forTests(Map.of()))) {
            JsonNode run = only(AgUiClient.run(service.application().port(), "answer"));

            assertValidSuccessfulRun(run);
            assertThat(types(run)).containsSubsequence("RUN_STARTED", "TOOL_CALL_START", "TOOL_CALL_ARGS",
                    "TOOL_CALL_END", "TOOL_CALL_RESULT", "TEXT_MESSAGE_START", "TEXT_MESSAGE_CONTENT",
                    "TEXT_MESSAGE_END", "RUN_FINISHED");
            JsonNode search = only(list(run.get("toolCalls")));
            assertThat(search.get("toolCallName").asText()).isEqualTo("search_knowledge_base");
            assertThat(parse(search.get("arguments").asText()).get("query").asText()).isEqualTo(QUESTION);
            assertThat(search.get("ended").asBoolean()).as("the call's TOOL_CALL_END").isTrue();
            assertThat(only(list(search.get("results"))).asText()).isNotBlank().doesNotStartWith("Error:");

            JsonNode thread = BrowserApi.thread(service.client(), AGENT, text(run, "agentchatThreadId"));
            assertThat(text(run, "text")).isNotBlank()
                    .isEqualTo(BrowserApi.lastAnswer(thread).get("content").asText());
            assertThat(BrowserApi.messages(thread, "user")).extracting(message -> message.get("content").asText())
                    .containsExactly(QUESTION);
            assertThat(BrowserApi.runs(thread)).singleElement().satisfies(stored -> {
                assertThat(stored.get("id").asText()).isEqualTo(text(run, "agentchatRunId"));
                assertThat(stored.get("status").asText()).isEqualTo("completed");
            });
            assertThat(BrowserApi.steps(thread, "tool_call")).singleElement().satisfies(step -> {
                assertThat(step.get("id").asText()).isEqualTo(search.get("toolCallId").asText());
                assertThat(step.get("tool").asText()).isEqualTo("search_knowledge_base");
            });
        }
    }

    @Test
    void a_second_run_with_the_same_thread_id_and_the_whole_history_continues_the_thread_storing_each_message_once() {
        try (ServiceAsDeployed service = ServiceAsDeployed.start(Settings.forTests(Map.of()))) {
            List<JsonNode> runs = AgUiClient.run(service.application().port(), "continuation");

            assertThat(runs).hasSize(2);
            runs.forEach(AgUiClientTest::assertValidSuccessfulRun);
            JsonNode first = runs.getFirst();
            JsonNode second = runs.getLast();
            assertThat(text(second, "threadId")).isEqualTo(text(first, "threadId"));
            assertThat(text(second, "runId")).isNotEqualTo(text(first, "runId"));
            assertThat(text(second, "agentchatThreadId")).isEqualTo(text(first, "agentchatThreadId"));
            // The second input carried the first question, the first answer with its tool call and result, and the
            // follow-up; only the last is new.
            assertThat(list(second.get("messages")).size()).isGreaterThan(list(first.get("messages")).size());

            JsonNode thread = BrowserApi.thread(service.client(), AGENT, text(first, "agentchatThreadId"));
            assertThat(BrowserApi.runs(thread)).extracting(run -> run.get("id").asText())
                    .containsExactly(text(first, "agentchatRunId"), text(second, "agentchatRunId"));
            assertThat(BrowserApi.messages(thread, "user")).extracting(message -> message.get("content").asText())
                    .containsExactly(QUESTION, "And if I no longer have the email address?");
            assertThat(BrowserApi.lastAnswer(thread).get("content").asText()).isEqualTo(text(second, "text"));
            assertThat(threadsOf(service, AGENT)).as("one thread for the client's one threadId").isEqualTo(1);
        }
    }

    @Test
    void the_same_thread_id_from_two_callers_names_two_threads_each_seen_only_by_its_caller(@TempDir Path directory)
            throws IOException {
        Path keys = Files.writeString(directory.resolve("api-keys"),
                sha256(FIRST_KEY) + " first-caller\n" + sha256(SECOND_KEY) + " second-caller\n");
        try (ServiceAsDeployed service = ServiceAsDeployed.start(Settings.forTests(Map.of("API_KEYS_FILE", keys.toString())))) {
            List<JsonNode> runs = AgUiClient.run(service.application().port(), "twoCallers",
                    Map.of("AGENTCHAT_TEST_KEYS", FIRST_KEY + "," + SECOND_KEY));

            assertThat(runs).hasSize(2);
            runs.forEach(AgUiClientTest::assertValidSuccessfulRun);
            JsonNode first = runs.getFirst();
            JsonNode second = runs.getLast();
            assertThat(text(second, "threadId")).isEqualTo(text(first, "threadId"));
            assertThat(text(second, "agentchatThreadId")).isNotEqualTo(text(first, "agentchatThreadId"));
            String firstPath = BrowserApi.threadPath(AGENT, text(first, "agentchatThreadId"));
            assertThat(readAs(service, FIRST_KEY, firstPath).statusCode()).isEqualTo(200);
            assertThat(readAs(service, SECOND_KEY, firstPath).statusCode()).as("another caller's thread").isEqualTo(404);
            assertThat(readAs(service, SECOND_KEY, BrowserApi.threadPath(AGENT, text(second, "agentchatThreadId")))
                    .statusCode()).isEqualTo(200);
        }
    }

    @Test
    void a_call_that_needs_approval_ends_the_run_with_an_interrupt_and_a_resume_that_approves_it_streams_its_result_and_the_answer() {
        try (ServiceAsDeployed service = ServiceAsDeployed.start(Settings.forTests(Map.of()))) {
            List<JsonNode> runs = AgUiClient.run(service.application().port(), "interruptApproved");

            assertThat(runs).hasSize(2);
            JsonNode interrupted = runs.getFirst();
            String call = assertInterruptedAtTheCalculator(interrupted);
            JsonNode resumed = runs.getLast();
            assertValidSuccessfulRun(resumed);
            assertThat(types(resumed)).as("the call is not started again").doesNotContain("TOOL_CALL_START");
            assertThat(list(resumed.get("pendingInterrupts"))).isEmpty();
            JsonNode result = only(list(resumed.get("results")));
            assertThat(text(result, "toolCallId")).as("the result answers the original call").isEqualTo(call);
            assertThat(text(result, "content")).contains("84");
            assertThat(text(resumed, "text")).contains("84");
            assertThat(text(resumed, "agentchatRunId")).isEqualTo(text(interrupted, "agentchatRunId"));

            JsonNode thread = BrowserApi.thread(service.client(), "ops-assistant", text(interrupted, "agentchatThreadId"));
            assertThat(BrowserApi.lastAnswer(thread).get("content").asText())
                    .isEqualTo(text(interrupted, "text") + text(resumed, "text"));
            assertThat(BrowserApi.runs(thread)).singleElement()
                    .satisfies(run -> assertThat(run.get("status").asText()).isEqualTo("completed"));
            assertThat(BrowserApi.steps(thread, "tool_call")).singleElement().satisfies(step -> {
                assertThat(step.get("id").asText()).isEqualTo(call);
                assertThat(step.get("approval").get("approved").asBoolean()).isTrue();
                assertThat(step.get("output").asText()).contains("84");
            });
        }
    }

    @Test
    void a_cancelled_interrupt_denies_the_call_and_the_answer_says_so() {
        try (ServiceAsDeployed service = ServiceAsDeployed.start(Settings.forTests(Map.of()))) {
            List<JsonNode> runs = AgUiClient.run(service.application().port(), "interruptCancelled");

            assertThat(runs).hasSize(2);
            String call = assertInterruptedAtTheCalculator(runs.getFirst());
            JsonNode resumed = runs.getLast();
            assertValidSuccessfulRun(resumed);
            assertThat(types(resumed)).doesNotContain("TOOL_CALL_START");
            JsonNode result = only(list(resumed.get("results")));
            assertThat(text(result, "toolCallId")).isEqualTo(call);
            assertThat(text(result, "content")).startsWith("Error:").doesNotContain("84");
            assertThat(text(resumed, "text")).isNotBlank().doesNotContain("84");

            JsonNode thread = BrowserApi.thread(service.client(), "ops-assistant", text(runs.getFirst(), "agentchatThreadId"));
            assertThat(BrowserApi.steps(thread, "tool_call")).singleElement()
                    .satisfies(step -> assertThat(step.get("approval").get("approved").asBoolean()).isFalse());
        }
    }

    @Test
    void a_new_message_while_an_interrupt_is_open_is_refused_with_run_error_and_nothing_is_stored() {
        try (ServiceAsDeployed service = ServiceAsDeployed.start(Settings.forTests(Map.of()))) {
            List<JsonNode> runs = AgUiClient.run(service.application().port(), "messageWhileInterrupted");

            assertThat(runs).hasSize(2);
            JsonNode interrupted = runs.getFirst();
            assertInterruptedAtTheCalculator(interrupted);
            JsonNode refused = runs.getLast();
            assertThat(refused.get("failure").isNull()).as("RUN_ERROR resolves runAgent(): " + refused).isTrue();
            assertThat(list(refused.get("problems"))).isEmpty();
            assertThat(types(refused)).containsExactly("RUN_ERROR");
            assertThat(text(refused.get("runError"), "code")).isEqualTo("interrupts_pending");

            JsonNode thread = BrowserApi.thread(service.client(), "ops-assistant", text(interrupted, "agentchatThreadId"));
            assertThat(BrowserApi.messages(thread, "user")).extracting(message -> message.get("content").asText())
                    .containsExactly("What is 12 * 7?");
            assertThat(BrowserApi.runs(thread)).singleElement()
                    .satisfies(run -> assertThat(run.get("status").asText()).isEqualTo("requires_action"));
        }
    }

    @Test
    void a_frontend_tool_the_model_calls_finishes_the_run_pending_and_the_clients_tool_message_carries_the_turn_to_its_answer() {
        try (ServiceAsDeployed service = ServiceAsDeployed.start(Settings.forTests(Map.of()))) {
            List<JsonNode> runs = AgUiClient.run(service.application().port(), "frontendTool");

            assertThat(runs).hasSize(2);
            JsonNode asked = runs.getFirst();
            assertValidRun(asked, "success");
            JsonNode call = only(list(asked.get("toolCalls")));
            assertThat(text(call, "toolCallName")).isEqualTo("get_location");
            assertThat(call.get("ended").asBoolean()).isTrue();
            assertThat(list(asked.get("results"))).as("the client runs it; the service has no result").isEmpty();
            assertThat(list(asked.get("outcome").get("pendingToolCallIds"))).extracting(JsonNode::asText)
                    .containsExactly(text(call, "toolCallId"));
            JsonNode answered = runs.getLast();
            assertValidSuccessfulRun(answered);
            assertThat(types(answered)).doesNotContain("TOOL_CALL_START", "TOOL_CALL_RESULT");
            assertThat(answered.get("outcome").has("pendingToolCallIds")).isFalse();
            assertThat(text(answered, "text")).contains("Lisbon, Portugal");
            assertThat(text(answered, "agentchatRunId")).isEqualTo(text(asked, "agentchatRunId"));

            JsonNode thread = BrowserApi.thread(service.client(), AGENT, text(asked, "agentchatThreadId"));
            assertThat(BrowserApi.messages(thread, "user")).extracting(message -> message.get("content").asText())
                    .containsExactly("Please use get_location to tell me where I am.");
            assertThat(BrowserApi.lastAnswer(thread).get("content").asText())
                    .isEqualTo(text(asked, "text") + text(answered, "text"));
            assertThat(BrowserApi.runs(thread)).singleElement()
                    .satisfies(run -> assertThat(run.get("status").asText()).isEqualTo("completed"));
            assertThat(BrowserApi.steps(thread, "tool_call")).singleElement().satisfies(step -> {
                assertThat(step.get("id").asText()).isEqualTo(text(call, "toolCallId"));
                assertThat(step.get("tool").asText()).isEqualTo("get_location");
                assertThat(step.get("output").asText()).isEqualTo("Lisbon, Portugal");
            });
        }
    }

    @Test
    void an_unknown_agent_rejects_the_run_with_404_before_any_event_and_stores_nothing() {
        try (ServiceAsDeployed service = ServiceAsDeployed.start(Settings.forTests(Map.of()))) {
            JsonNode run = only(AgUiClient.run(service.application().port(), "unknownAgent"));

            JsonNode failure = run.get("failure");
            assertThat(failure.isNull()).as("runAgent() rejects: " + run).isFalse();
            assertThat(failure.get("status").asInt()).isEqualTo(404);
            assertThat(failure.get("message").asText()).startsWith("HTTP 404:");
            assertThat(problem(failure.get("payload")).get("status").asInt()).isEqualTo(404);
            assertThat(types(run)).isEmpty();
            assertThat(list(run.get("problems"))).isEmpty();
            assertNothingStored(service);
        }
    }

    @Test
    void a_malformed_input_is_refused_with_400_problem_json_and_stores_nothing() {
        try (ServiceAsDeployed service = ServiceAsDeployed.start(Settings.forTests(Map.of()))) {
            JsonNode answer = only(AgUiClient.run(service.application().port(), "malformedInput"));

            assertThat(answer.get("status").asInt()).isEqualTo(400);
            assertThat(text(answer, "contentType")).startsWith("application/problem+json");
            assertThat(answer.get("body").get("status").asInt()).isEqualTo(400);
            assertNothingStored(service);
        }
    }

    /**
     * The first run of the calculator question: valid, ended by an interrupt for the one calculator call, which the
     * client holds as pending; the call's id.
     */
    private static String assertInterruptedAtTheCalculator(JsonNode run) {
        assertValidRun(run, "interrupt");
        JsonNode call = only(list(run.get("toolCalls")));
        assertThat(text(call, "toolCallName")).isEqualTo("calculator");
        assertThat(parse(text(call, "arguments")).get("expression").asText()).isEqualTo("12 * 7");
        assertThat(list(run.get("results"))).as("no result before the decision").isEmpty();
        JsonNode interrupt = only(list(run.get("outcome").get("interrupts")));
        assertThat(text(interrupt, "reason")).isEqualTo("tool_call");
        assertThat(text(interrupt, "toolCallId")).isEqualTo(text(call, "toolCallId"));
        assertThat(list(run.get("pendingInterrupts"))).extracting(JsonNode::asText).containsExactly(text(interrupt, "id"));
        return text(call, "toolCallId");
    }

    /** A run the client accepted whole: no failure, no RUN_ERROR, nothing stripped or invalid, ended by success. */
    private static void assertValidSuccessfulRun(JsonNode run) {
        assertValidRun(run, "success");
        // Every frame but RUN_STARTED, which opens the stream before the run has an event of its own, names its event.
        assertThat(list(run.get("wire").get("withoutId"))).extracting(JsonNode::asText).as("data frames without an id: line")
                .isSubsetOf("RUN_STARTED");
    }

    /**
     * A run the client accepted whole, ended by RUN_FINISHED with an outcome of {@code outcomeType}. A run that
     * pauses ends with a RUN_FINISHED that is no event of the run, so it has no id: line either.
     */
    private static void assertValidRun(JsonNode run, String outcomeType) {
        assertThat(run.get("failure").isNull()).as("the client failed the run: " + run.get("failure")).isTrue();
        assertThat(run.get("runError").isNull()).as("RUN_ERROR: " + run.get("runError")).isTrue();
        assertThat(list(run.get("problems"))).as("what the schemas, the client and the wire check found").isEmpty();
        assertThat(types(run)).first().isEqualTo("RUN_STARTED");
        assertThat(types(run)).last().isEqualTo("RUN_FINISHED");
        assertThat(run.get("outcome").get("type").asText()).isEqualTo(outcomeType);
        assertThat(text(run, "threadId")).as("RUN_STARTED echoes the client's threadId").startsWith("client-thread-");
        assertThat(text(run, "agentchatThreadId")).startsWith("thread_c");
        JsonNode wire = run.get("wire");
        assertThat(text(wire, "contentType")).startsWith("text/event-stream");
        assertThat(wire.get("events").asInt()).as("every event on the wire reached the client").isEqualTo(types(run).size());
        assertThat(list(wire.get("withoutId"))).extracting(JsonNode::asText).as("data frames without an id: line")
                .isSubsetOf("RUN_STARTED", "RUN_FINISHED");
    }

    private static void assertNothingStored(ServiceAsDeployed service) {
        for (JsonNode agent : list(parse(service.client().get("/api/agents?status=all").body()).get("agents"))) {
            assertThat(threadsOf(service, agent.get("id").asText())).as("threads of " + agent.get("id")).isZero();
        }
    }

    private static HttpResponse<String> readAs(ServiceAsDeployed service, String key, String path) {
        return service.client().send(HttpRequest.newBuilder(service.client().uri(path))
                .header("Authorization", "Bearer " + key).GET());
    }

    private static String sha256(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int threadsOf(ServiceAsDeployed service, String agent) {
        return parse(service.client().get("/api/agents/" + agent + "/threads?status=all").body()).get("total").asInt();
    }

    /** A problem document, which the client hands over as text when its type is not plain application/json. */
    private static JsonNode problem(JsonNode payload) {
        return payload.isTextual() ? parse(payload.asText()) : payload;
    }

    private static List<String> types(JsonNode run) {
        return list(run.get("types")).stream().map(JsonNode::asText).toList();
    }

    private static List<JsonNode> list(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).toList();
    }

    private static JsonNode only(List<JsonNode> items) {
        assertThat(items).hasSize(1);
        return items.getFirst();
    }
}
