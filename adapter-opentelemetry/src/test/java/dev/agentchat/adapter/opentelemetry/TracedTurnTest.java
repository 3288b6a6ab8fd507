package dev.agentchat.adapter.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentchat.adapter.memory.model.Reply;
import dev.agentchat.domain.agent.ModelSettings;
import dev.agentchat.domain.chat.FinishReason;
import dev.agentchat.domain.run.Run;
import dev.agentchat.domain.usage.Usage;
import dev.agentchat.ports.chat.ChatOutcome;
import dev.agentchat.ports.tool.ToolOutcome;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real turns through the chat service, traced by the real SDK into its in-memory exporter. */
class TracedTurnTest {
    /** How long a test waits for what happens on another thread: long, since a busy machine is slow, not wrong. */
    private static final Duration PATIENCE = Duration.ofSeconds(10);
    private static final String CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CALLER_SPAN = "00f067aa0ba902b7";

    private final InMemorySpanExporter exported = InMemorySpanExporter.create();
    private OpenTelemetryTracing tracing;

    @AfterEach
    void closeTracing() {
        if (tracing != null) {
            tracing.close();
        }
    }

    @Test
    void a_turn_with_a_tool_call_is_its_request_over_its_run_over_its_model_and_tool_calls() {
        ChatOnMemory chat = new ChatOnMemory(tracing(false));
        scriptATurnWithALookup(chat);

        chat.chatInRequest("Is web-01 up?", Map.of("traceparent", "00-" + CALLER_TRACE + "-" + CALLER_SPAN + "-01"),
                new ChatOnMemory.Sink());

        SpanData request = awaitSpan("POST /api/agents/{agentId}/chat");
        SpanData run = awaitSpan("invoke_agent helper");
        List<SpanData> modelCalls = spansNamed("chat scripted");
        SpanData tool = span("execute_tool lookup");
        assertThat(request.getKind()).isEqualTo(SpanKind.SERVER);
        assertThat(request.getTraceId()).as("the caller's trace goes on").isEqualTo(CALLER_TRACE);
        assertThat(request.getParentSpanId()).isEqualTo(CALLER_SPAN);
        assertThat(run.getKind()).isEqualTo(SpanKind.INTERNAL);
        assertThat(run.getParentSpanId()).isEqualTo(request.getSpanId());
        assertThat(modelCalls).hasSize(2).allSatisfy(call -> {
            assertThat(call.getKind()).isEqualTo(SpanKind.CLIENT);
            assertThat(call.getParentSpanId()).isEqualTo(run.getSpanId());
        });
        assertThat(tool.getKind()).isEqualTo(SpanKind.INTERNAL);
        assertThat(tool.getParentSpanId()).isEqualTo(run.getSpanId());
        assertThat(exported.getFinishedSpanItems()).allSatisfy(span -> assertThat(span.getTraceId()).isEqualTo(CALLER_TRACE));
        // in the order they happened: the first call asked for the tool, the second answered with its result
        List<SpanData> inOrder = exported.getFinishedSpanItems().stream()
                .filter(span -> span.getParentSpanId().equals(run.getSpanId()))
                .sorted(java.util.Comparator.comparingLong(SpanData::getStartEpochNanos)).toList();
        assertThat(inOrder).extracting(SpanData::getName).containsExactly("chat scripted", "execute_tool lookup", "chat scripted");
    }

    @Test
    void the_spans_carry_the_gen_ai_attributes_and_the_token_counts_of_the_runs_usage() {
        ChatOnMemory chat = new ChatOnMemory(tracing(false), new ModelSettings(null, 0.2, 500));
        scriptATurnWithALookup(chat);

        ChatOutcome outcome = chat.chatInRequest("Is web-01 up?");

        SpanData runSpan = awaitSpan("invoke_agent helper");
        Run run = chat.run(outcome.threadId(), outcome.runId());
        assertThat(runSpan.getAttributes().asMap()).containsAllEntriesOf(Map.of(
                key("gen_ai.operation.name"), "invoke_agent",
                key("gen_ai.agent.id"), "helper",
                key("gen_ai.agent.name"), "Helper",
                key("gen_ai.agent.description"), "Looks things up.",
                key("gen_ai.agent.version"), Long.toString(run.agentVersion()),
                key("gen_ai.provider.name"), "agentchat.scripted",
                key("gen_ai.request.model"), "scripted",
                key("gen_ai.conversation.id"), outcome.threadId().value(),
                key("agentchat.run.id"), outcome.runId().value(),
                key("agentchat.run.status"), "completed"));
        assertThat(runSpan.getAttributes().get(AttributeKey.booleanKey("agentchat.run.resumed"))).isFalse();
        assertThat(runSpan.getAttributes().get(Conventions.GEN_AI_USAGE_INPUT_TOKENS)).isEqualTo(run.usage().promptTokens())
                .isEqualTo(250);
        assertThat(runSpan.getAttributes().get(Conventions.GEN_AI_USAGE_OUTPUT_TOKENS))
                .isEqualTo(run.usage().completionTokens()).isEqualTo(15);
        assertThat(runSpan.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);

        List<SpanData> calls = spansNamed("chat scripted").stream()
                .sorted(java.util.Comparator.comparingLong(SpanData::getStartEpochNanos)).toList();
        assertThat(calls).allSatisfy(call -> {
            assertThat(call.getAttributes().asMap()).containsAllEntriesOf(Map.of(
                    key("gen_ai.operation.name"), "chat",
                    key("gen_ai.provider.name"), "agentchat.scripted",
                    key("gen_ai.request.model"), "scripted",
                    key("gen_ai.conversation.id"), outcome.threadId().value()));
            assertThat(call.getAttributes().get(Conventions.GEN_AI_REQUEST_TEMPERATURE)).isEqualTo(0.2);
            assertThat(call.getAttributes().get(Conventions.GEN_AI_REQUEST_MAX_TOKENS)).isEqualTo(500);
            assertThat(call.getAttributes().get(Conventions.GEN_AI_REQUEST_STREAM)).isTrue();
            assertThat(call.getAttributes().get(Conventions.GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK)).isNotNull().isNotNegative();
            assertThat(call.getEvents()).extracting(event -> event.getName()).containsExactly("first_chunk");
            assertThat(call.getAttributes().get(Conventions.ERROR_TYPE)).isNull();
        });
        assertThat(calls.get(0).getAttributes().get(Conventions.GEN_AI_RESPONSE_FINISH_REASONS)).containsExactly("tool_calls");
        assertThat(calls.get(0).getAttributes().get(Conventions.GEN_AI_USAGE_INPUT_TOKENS)).isEqualTo(100);
        assertThat(calls.get(0).getAttributes().get(Conventions.GEN_AI_USAGE_OUTPUT_TOKENS)).isEqualTo(10);
        assertThat(calls.get(1).getAttributes().get(Conventions.GEN_AI_RESPONSE_FINISH_REASONS)).containsExactly("stop");
        assertThat(calls.get(1).getAttributes().get(Conventions.GEN_AI_USAGE_INPUT_TOKENS)).isEqualTo(150);
        assertThat(calls.get(1).getAttributes().get(Conventions.GEN_AI_USAGE_OUTPUT_TOKENS)).isEqualTo(5);
        assertThat(calls.stream().mapToLong(call -> call.getAttributes().get(Conventions.GEN_AI_USAGE_INPUT_TOKENS)).sum())
                .as("the calls' tokens add up to the run's").isEqualTo(run.usage().promptTokens());

        assertThat(span("execute_tool lookup").getAttributes().asMap()).containsAllEntriesOf(Map.of(
                key("gen_ai.operation.name"), "execute_tool",
                key("gen_ai.tool.name"), "lookup",
                key("gen_ai.tool.call.id"), "call_1",
                key("gen_ai.tool.type"), "function"));

        SpanData request = span("POST /api/agents/{agentId}/chat");
        assertThat(request.getAttributes().asMap()).containsAllEntriesOf(Map.of(
                key("http.request.method"), "POST",
                key("http.route"), ChatOnMemory.ROUTE,
                AttributeKey.longKey("http.response.status_code"), 200L));
    }

    @Test
    void message_contents_and_tool_arguments_stay_off_the_spans_by_default() {
        ChatOnMemory chat = new ChatOnMemory(tracing(false));
        scriptATurnWithALookup(chat);

        chat.chatInRequest("Is web-01 up?");

        awaitSpan("invoke_agent helper");
        assertThat(exported.getFinishedSpanItems()).allSatisfy(span -> assertThat(span.getAttributes().asMap().keySet())
                .extracting(AttributeKey::getKey)
                .doesNotContain("gen_ai.input.messages", "gen_ai.output.messages", "gen_ai.system_instructions",
                        "gen_ai.tool.call.arguments", "gen_ai.tool.call.result"));
        assertThat(exported.getFinishedSpanItems().toString()).doesNotContain("web-01", "running", "Use tools.");
    }

    @Test
    void message_contents_and_tool_arguments_go_on_the_spans_as_the_conventions_shape_them_when_asked() {
        ChatOnMemory chat = new ChatOnMemory(tracing(true));
        scriptATurnWithALookup(chat);

        chat.chatInRequest("Is web-01 up?");

        awaitSpan("invoke_agent helper");
        List<SpanData> calls = spansNamed("chat scripted").stream()
                .sorted(java.util.Comparator.comparingLong(SpanData::getStartEpochNanos)).toList();
        assertThat(calls.get(0).getAttributes().get(Conventions.GEN_AI_SYSTEM_INSTRUCTIONS))
                .isEqualTo("[{\"type\":\"text\",\"content\":\"Use tools.\"}]");
        assertThat(calls.get(0).getAttributes().get(Conventions.GEN_AI_INPUT_MESSAGES))
                .isEqualTo("[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Is web-01 up?\"}]}]");
        assertThat(calls.get(0).getAttributes().get(Conventions.GEN_AI_OUTPUT_MESSAGES)).isEqualTo("[{\"role\":\"assistant\","
                + "\"parts\":[{\"type\":\"text\",\"content\":\"Checking. \"},{\"type\":\"tool_call\",\"id\":\"call_1\","
                + "\"name\":\"lookup\",\"arguments\":{\"vm\":\"web-01\"}}],\"finish_reason\":\"tool_call\"}]");
        assertThat(calls.get(1).getAttributes().get(Conventions.GEN_AI_INPUT_MESSAGES)).isEqualTo("["
                + "{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Is web-01 up?\"}]},"
                + "{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"Checking. \"},{\"type\":\"tool_call\","
                + "\"id\":\"call_1\",\"name\":\"lookup\",\"arguments\":{\"vm\":\"web-01\"}}]},"
                + "{\"role\":\"tool\",\"parts\":[{\"type\":\"tool_call_response\",\"id\":\"call_1\","
                + "\"response\":\"{\\\"vm\\\":\\\"running\\\"}\"}]}]");
        assertThat(calls.get(1).getAttributes().get(Conventions.GEN_AI_OUTPUT_MESSAGES)).isEqualTo("[{\"role\":\"assistant\","
                + "\"parts\":[{\"type\":\"text\",\"content\":\"It is running.\"}],\"finish_reason\":\"stop\"}]");
        SpanData tool = span("execute_tool lookup");
        assertThat(tool.getAttributes().get(Conventions.GEN_AI_TOOL_CALL_ARGUMENTS)).isEqualTo("{\"vm\":\"web-01\"}");
        assertThat(tool.getAttributes().get(Conventions.GEN_AI_TOOL_CALL_RESULT)).isEqualTo("{\"vm\":\"running\"}");
    }

    @Test
    void a_model_fault_is_an_error_on_the_model_call_and_on_the_run_it_failed() {
        ChatOnMemory chat = new ChatOnMemory(tracing(false));
        chat.model.reply(Reply.builder().text("Let me ").fail("model_overloaded", "The model is busy.").build());

        ChatOutcome outcome = chat.chatInRequest("Hello?");

        assertThat(outcome).isInstanceOf(ChatOutcome.Ended.class);
        SpanData run = awaitSpan("invoke_agent helper");
        SpanData call = span("chat scripted");
        assertThat(call.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(call.getAttributes().get(Conventions.ERROR_TYPE)).isEqualTo("model_overloaded");
        assertThat(call.getAttributes().get(Conventions.GEN_AI_RESPONSE_FINISH_REASONS)).isNull();
        assertThat(run.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(run.getAttributes().get(Conventions.ERROR_TYPE)).isEqualTo("model_overloaded");
        assertThat(run.getAttributes().get(Conventions.AGENTCHAT_RUN_STATUS)).isEqualTo("failed");
        assertThat(span("POST /api/agents/{agentId}/chat").getStatus().getStatusCode())
                .as("the request was answered: the failure is the run's, told in its stream").isEqualTo(StatusCode.UNSET);
    }

    @Test
    void a_failed_tool_call_is_an_error_on_its_span_only() {
        ChatOnMemory chat = new ChatOnMemory(tracing(false));
        chat.tools.tool("lookup", (args, progress) -> new ToolOutcome.Failed("The VM service is down."));
        chat.model.reply(Reply.builder().toolCall("call_1", "lookup", "{}").finish(FinishReason.TOOL_CALLS).build())
                .reply(Reply.text("I could not look."));

        chat.chatInRequest("Is web-01 up?");

        SpanData run = awaitSpan("invoke_agent helper");
        SpanData tool = span("execute_tool lookup");
        assertThat(tool.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(tool.getAttributes().get(Conventions.ERROR_TYPE)).isEqualTo("tool_error");
        assertThat(run.getStatus().getStatusCode()).as("the model heard of it and answered").isEqualTo(StatusCode.UNSET);
    }

    @Test
    void a_client_that_follows_the_run_from_another_request_is_linked_to_the_runs_span() throws Exception {
        ChatOnMemory chat = new ChatOnMemory(tracing(false));
        CountDownLatch finish = new CountDownLatch(1);
        chat.tools.tool("lookup", (args, progress) -> {
            try {
                return finish.await(PATIENCE.toSeconds(), TimeUnit.SECONDS) ? new ToolOutcome.Succeeded("done")
                        : new ToolOutcome.Failed("not released");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new ToolOutcome.Failed("interrupted");
            }
        });
        chat.model.reply(Reply.builder().toolCall("call_1", "lookup", "{}").finish(FinishReason.TOOL_CALLS).build())
                .reply(Reply.text("Done."));
        ChatOnMemory.Sink first = new ChatOnMemory.Sink();
        CompletableFuture<ChatOutcome> chatting = CompletableFuture.supplyAsync(
                () -> chat.chatInRequest("Go", Map.of(), first), runnable -> Thread.ofVirtual().start(runnable));
        await().atMost(PATIENCE).until(() -> !chat.tools.invocations().isEmpty());

        // when another client follows the run from a request of its own, while the run goes on
        Run running = chat.run(first.threadId, first.runId);
        ChatOnMemory.Sink follower = new ChatOnMemory.Sink();
        CompletableFuture<Boolean> following = CompletableFuture.supplyAsync(() -> chat.followInRequest(running, follower),
                runnable -> Thread.ofVirtual().start(runnable));
        await().atMost(PATIENCE).until(() -> !follower.events.isEmpty());   // it follows from here: the tool's start came
        assertThat(spansNamed("invoke_agent helper")).as("the run goes on").isEmpty();
        finish.countDown();

        // then the run's span links to the follower's request span
        assertThat(chatting).succeedsWithin(PATIENCE);
        assertThat(following).succeedsWithin(PATIENCE).isEqualTo(true);
        SpanData run = awaitSpan("invoke_agent helper");
        SpanData followerRequest = awaitSpan("GET /api/threads/{threadId}/runs/{runId}/events");
        assertThat(run.getLinks()).extracting(LinkData::getSpanContext)
                .anySatisfy(linked -> assertThat(linked.getSpanId()).isEqualTo(followerRequest.getSpanId()));
        assertThat(followerRequest.getTraceId()).as("the follower's own trace").isNotEqualTo(run.getTraceId());
    }

    private void scriptATurnWithALookup(ChatOnMemory chat) {
        chat.tools.tool("lookup", (args, progress) -> new ToolOutcome.Succeeded("{\"vm\":\"running\"}"));
        chat.model.reply(Reply.builder().text("Checking. ").toolCall("call_1", "lookup", "{\"vm\":\"web-01\"}")
                        .usage(Usage.reported(100, 10)).finish(FinishReason.TOOL_CALLS).build())
                .reply(Reply.builder().text("It is running.").usage(Usage.reported(150, 5)).finish(FinishReason.STOP).build());
    }

    private OpenTelemetryTracing tracing(boolean captureContent) {
        tracing = OpenTelemetryTracing.of(OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exported)).build())
                .build(), captureContent);
        return tracing;
    }

    /** The span named so, once it has ended: a run's span ends on the run's thread, after its client had the answer. */
    private SpanData awaitSpan(String name) {
        await().atMost(PATIENCE).until(() -> !spansNamed(name).isEmpty());
        return span(name);
    }

    private SpanData span(String name) {
        assertThat(spansNamed(name)).as("spans named " + name).hasSize(1);
        return spansNamed(name).getFirst();
    }

    private List<SpanData> spansNamed(String name) {
        return exported.getFinishedSpanItems().stream().filter(span -> span.getName().equals(name)).toList();
    }

    private static AttributeKey<String> key(String name) {
        return AttributeKey.stringKey(name);
    }
}
