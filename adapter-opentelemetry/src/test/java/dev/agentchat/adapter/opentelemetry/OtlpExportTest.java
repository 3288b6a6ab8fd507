package dev.agentchat.adapter.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentchat.adapter.memory.model.Reply;
import dev.agentchat.domain.chat.FinishReason;
import dev.agentchat.domain.usage.Usage;
import dev.agentchat.ports.chat.ChatOutcome;
import dev.agentchat.ports.telemetry.Outcome;
import dev.agentchat.ports.telemetry.Work;
import dev.agentchat.ports.tool.ToolOutcome;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Tracing configured as the environment says, exporting over OTLP/HTTP to a receiver on loopback. */
class OtlpExportTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private final OtlpReceiver collector = OtlpReceiver.start();

    @AfterEach
    void stopCollector() {
        collector.close();
    }

    @Test
    void a_turn_with_a_tool_call_reaches_the_collector_as_its_gen_ai_spans() {
        try (OpenTelemetryTracing tracing = OpenTelemetryTracing.fromEnvironment(Map.of(
                "OTEL_EXPORTER_OTLP_ENDPOINT", collector.endpoint(),
                "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf",
                "OTEL_BSP_SCHEDULE_DELAY", "10")).orElseThrow()) {
            ChatOnMemory chat = new ChatOnMemory(tracing);
            chat.tools.tool("lookup", (args, progress) -> new ToolOutcome.Succeeded("{\"vm\":\"running\"}"));
            chat.model.reply(Reply.builder().toolCall("call_1", "lookup", "{\"vm\":\"web-01\"}")
                            .usage(Usage.reported(100, 10)).finish(FinishReason.TOOL_CALLS).build())
                    .reply(Reply.builder().text("It is running.").usage(Usage.reported(150, 5)).finish(FinishReason.STOP).build());

            ChatOutcome outcome = chat.chatInRequest("Is web-01 up?");

            await().atMost(PATIENCE).until(() -> collector.spanNamed("invoke_agent helper").isPresent()
                    && collector.spans().size() == 5);
            OtlpReceiver.ReceivedSpan run = collector.spanNamed("invoke_agent helper").orElseThrow();
            OtlpReceiver.ReceivedSpan request = collector.spanNamed("POST /api/agents/{agentId}/chat").orElseThrow();
            List<OtlpReceiver.ReceivedSpan> modelCalls = collector.spans().stream()
                    .filter(span -> span.name().equals("chat scripted")).toList();
            OtlpReceiver.ReceivedSpan tool = collector.spanNamed("execute_tool lookup").orElseThrow();

            assertThat(collector.failures()).isEmpty();
            assertThat(run.resource()).containsEntry("service.name", "agentchat");
            assertThat(run.scope()).isEqualTo("dev.agentchat");
            assertThat(run.parentSpanId()).isEqualTo(request.spanId());
            assertThat(run.attributes()).containsEntry("gen_ai.operation.name", "invoke_agent")
                    .containsEntry("gen_ai.conversation.id", outcome.threadId().value())
                    .containsEntry("gen_ai.usage.input_tokens", 250L)
                    .containsEntry("gen_ai.usage.output_tokens", 15L);
            assertThat(modelCalls).hasSize(2).allSatisfy(call -> {
                assertThat(call.kind()).isEqualTo("CLIENT");
                assertThat(call.parentSpanId()).isEqualTo(run.spanId());
                assertThat(call.attributes()).containsEntry("gen_ai.operation.name", "chat")
                        .containsEntry("gen_ai.provider.name", "agentchat.scripted")
                        .containsEntry("gen_ai.request.model", "scripted");
            });
            assertThat(modelCalls).extracting(call -> call.attributes().get("gen_ai.response.finish_reasons"))
                    .containsExactlyInAnyOrder(List.of("tool_calls"), List.of("stop"));
            assertThat(tool.parentSpanId()).isEqualTo(run.spanId());
            assertThat(tool.attributes()).containsEntry("gen_ai.tool.name", "lookup").containsEntry("gen_ai.tool.call.id", "call_1");
            assertThat(collector.spans()).extracting(OtlpReceiver.ReceivedSpan::traceId).containsOnly(request.traceId());
        }
    }

    @Test
    void closing_sends_the_spans_not_sent_yet_under_the_service_name_and_resource_the_environment_gives() {
        OpenTelemetryTracing tracing = OpenTelemetryTracing.fromEnvironment(Map.of(
                "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", collector.endpoint() + "/v1/traces",
                "OTEL_SERVICE_NAME", "agentchat-eu",
                "OTEL_RESOURCE_ATTRIBUTES", "deployment.environment.name=test",
                "OTEL_BSP_SCHEDULE_DELAY", "3600000")).orElseThrow();
        tracing.begin(new Work.HttpRequest("GET", name -> Optional.empty())).end(new Outcome.Responded(200, Optional.of("/health")));
        assertThat(collector.spans()).as("held for the next batch, an hour away").isEmpty();

        tracing.close();

        assertThat(collector.spans()).singleElement().satisfies(span -> {
            assertThat(span.name()).isEqualTo("GET /health");
            assertThat(span.kind()).isEqualTo("SERVER");
            assertThat(span.resource()).containsEntry("service.name", "agentchat-eu")
                    .containsEntry("deployment.environment.name", "test");
        });
    }
}
