package dev.agentchat.adapter.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentchat.ports.telemetry.Observation;
import dev.agentchat.ports.telemetry.Outcome;
import dev.agentchat.ports.telemetry.Work;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The spans of the work around a turn: store and tool server calls, requests, streams, and the ids log lines carry. */
class WorkSpansTest {
    private final InMemorySpanExporter exported = InMemorySpanExporter.create();
    private final OpenTelemetryTracing tracing = OpenTelemetryTracing.of(OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exported)).build())
            .build(), false);

    @AfterEach
    void closeTracing() {
        tracing.close();
    }

    @Test
    void a_store_call_is_a_client_span_named_and_described_as_the_database_conventions_say() {
        Observation run = tracing.begin(new Work.ToolCall("lookup", "call_1", "{}"));
        try (Observation.Scope inRun = run.makeCurrent()) {
            Observation store = tracing.begin(new Work.StoreCall("azure.cosmosdb", "runs", "replace_item"));
            store.end(new Outcome.StoreEnded(Optional.of("412"), Optional.of(10.29)));
        }
        run.end(Outcome.DONE);

        SpanData store = only("replace_item runs");
        assertThat(store.getKind()).isEqualTo(SpanKind.CLIENT);
        assertThat(store.getParentSpanId()).as("within what was current").isEqualTo(only("execute_tool lookup").getSpanId());
        assertThat(store.getAttributes().asMap()).containsAllEntriesOf(Map.of(
                AttributeKey.stringKey("db.system.name"), "azure.cosmosdb",
                AttributeKey.stringKey("db.collection.name"), "runs",
                AttributeKey.stringKey("db.operation.name"), "replace_item",
                AttributeKey.stringKey("error.type"), "412",
                AttributeKey.doubleKey("azure.cosmosdb.operation.request_charge"), 10.29));
        assertThat(store.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    }

    @Test
    void a_call_of_a_tool_the_turn_did_not_offer_is_named_without_the_models_made_up_name() {
        tracing.begin(new Work.ToolCall("made_up_tool", "call_9", "{}", false)).end(Outcome.DONE);

        SpanData call = only("execute_tool");
        assertThat(call.getAttributes().get(AttributeKey.stringKey("gen_ai.tool.name"))).isEqualTo("made_up_tool");
    }

    @Test
    void a_tool_server_call_is_a_client_span_as_the_mcp_conventions_say() {
        Observation call = tracing.begin(new Work.ToolServerCall("vms", "tools/call", Optional.of("power_on"), "tcp"));
        call.end(Outcome.DONE);
        Observation list = tracing.begin(new Work.ToolServerCall("vms", "tools/list", Optional.empty(), "tcp"));
        list.end(Outcome.failed("-32603"));

        SpanData toolCall = only("tools/call power_on");
        assertThat(toolCall.getKind()).isEqualTo(SpanKind.CLIENT);
        assertThat(toolCall.getAttributes().asMap()).containsAllEntriesOf(Map.of(
                AttributeKey.stringKey("mcp.method.name"), "tools/call",
                AttributeKey.stringKey("gen_ai.tool.name"), "power_on",
                AttributeKey.stringKey("network.transport"), "tcp",
                AttributeKey.stringKey("agentchat.tool_server.name"), "vms"));
        assertThat(toolCall.getAttributes().get(Conventions.GEN_AI_OPERATION_NAME))
                .as("the execute_tool span it is within is the tool call, counted once").isNull();
        SpanData listing = only("tools/list");
        assertThat(listing.getAttributes().get(Conventions.GEN_AI_OPERATION_NAME)).isNull();
        assertThat(listing.getAttributes().get(Conventions.ERROR_TYPE)).isEqualTo("-32603");
        assertThat(listing.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    }

    @Test
    void a_request_answered_with_a_server_error_is_an_error_span_and_a_client_error_is_not() {
        tracing.begin(new Work.HttpRequest("GET", name -> Optional.empty()))
                .end(new Outcome.Responded(503, Optional.of("/api/threads")));
        tracing.begin(new Work.HttpRequest("DELETE", name -> Optional.empty()))
                .end(new Outcome.Responded(404, Optional.empty()));

        SpanData failed = only("GET /api/threads");
        assertThat(failed.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(failed.getAttributes().get(Conventions.ERROR_TYPE)).isEqualTo("503");
        SpanData unrouted = only("DELETE");
        assertThat(unrouted.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        assertThat(unrouted.getAttributes().get(Conventions.HTTP_ROUTE)).isNull();
        assertThat(unrouted.getAttributes().get(Conventions.HTTP_RESPONSE_STATUS_CODE)).isEqualTo(404);
    }

    @Test
    void a_request_begins_a_trace_of_its_own_whatever_the_thread_has_current() {
        Observation earlier = tracing.begin(new Work.ToolCall("lookup", "call_1", "{}"));
        try (Observation.Scope stale = earlier.makeCurrent()) {
            tracing.begin(new Work.HttpRequest("GET", name -> Optional.empty())).end(new Outcome.Responded(200, Optional.of("/health")));
        }
        earlier.end(Outcome.DONE);

        assertThat(only("GET /health").getParentSpanContext().isValid()).isFalse();
    }

    @Test
    void an_event_stream_is_no_span_of_its_own() {
        Observation stream = tracing.begin(new Work.EventStream("chat"));
        stream.end(Outcome.DONE);

        assertThat(stream).isSameAs(Observation.NONE);
        assertThat(exported.getFinishedSpanItems()).isEmpty();
    }

    @Test
    void the_ids_of_the_span_current_on_a_thread_are_there_for_its_log_lines_and_only_while_it_is_current() {
        Observation call = tracing.begin(new Work.ToolCall("lookup", "call_1", "{}"));
        Optional<TraceIds> within;
        try (Observation.Scope inCall = call.makeCurrent()) {
            within = tracing.currentIds();
        }
        Optional<TraceIds> after = tracing.currentIds();
        call.end(Outcome.DONE);

        SpanData span = only("execute_tool lookup");
        assertThat(within).contains(new TraceIds(span.getTraceId(), span.getSpanId()));
        assertThat(after).isEmpty();
    }

    @Test
    void work_handed_to_another_thread_is_traced_within_what_was_current_where_it_was_handed_on() throws Exception {
        Observation run = tracing.begin(new Work.ToolCall("outer", "call_1", "{}"));
        Observation handedOn;
        try (Observation.Scope inRun = run.makeCurrent()) {
            handedOn = tracing.current();
        }
        Thread other = Thread.ofVirtual().start(() -> tracing.begin(new Work.ToolCall("inner", "call_2", "{}"), handedOn)
                .end(Outcome.DONE));
        other.join();
        run.end(Outcome.DONE);

        assertThat(only("execute_tool inner").getParentSpanId()).isEqualTo(only("execute_tool outer").getSpanId());
    }

    @Test
    void a_turn_the_sampler_leaves_out_is_told_nothing_and_fails_nothing() {
        InMemorySpanExporter none = InMemorySpanExporter.create();
        try (OpenTelemetryTracing sampledOut = OpenTelemetryTracing.of(OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().setSampler(Sampler.alwaysOff())
                        .addSpanProcessor(SimpleSpanProcessor.create(none)).build()).build(), true)) {
            ChatOnMemory chat = new ChatOnMemory(sampledOut);
            chat.model.reply(dev.agentchat.adapter.memory.model.Reply.text("Hi."));

            assertThat(chat.chatInRequest("Hello?")).isInstanceOf(dev.agentchat.ports.chat.ChatOutcome.Answered.class);
        }
        assertThat(none.getFinishedSpanItems()).isEmpty();
    }

    private SpanData only(String name) {
        return exported.getFinishedSpanItems().stream().filter(span -> span.getName().equals(name))
                .reduce((one, two) -> {
                    throw new AssertionError("more than one span named " + name);
                }).orElseThrow(() -> new AssertionError("no span named " + name + " in " + exported.getFinishedSpanItems()));
    }
}
