package dev.agentchat.bootstrap;

import static dev.agentchat.bootstrap.ServiceUnderTest.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentchat.adapter.cosmos.CosmosTestServer;
import dev.agentchat.adapter.opentelemetry.OtlpReceiver;
import dev.agentchat.adapter.opentelemetry.OtlpReceiver.ReceivedSpan;
import dev.agentchat.ports.contract.model.Chunks;
import dev.agentchat.ports.contract.model.FakeOpenAiServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The service as an operator watches it: one chat with a tool call, as its spans arrive at an OTLP collector and
 * its metrics at {@code /metrics}; readiness while the store answers and once it does not.
 */
class ObservabilityEndToEndTest {
    private static final String CALLER_TRACE = "0af7651916cd43dd8448eb211c80319c";
    private static final String CALLER_SPAN = "b7ad6b7169203331";

    @Test
    void a_chat_with_a_tool_call_reaches_the_collector_as_genai_spans_and_the_metrics_as_token_usage() {
        try (OtlpReceiver collector = OtlpReceiver.start(); FakeOpenAiServer openAi = FakeOpenAiServer.start()) {
            FakeModelSettings.askTheKnowledgeBaseThenAnswer(openAi);
            Map<String, String> settings = Map.of(
                    "OTEL_EXPORTER_OTLP_ENDPOINT", collector.endpoint(),
                    "OTEL_SERVICE_NAME", "agentchat-e2e",
                    "OTEL_BSP_SCHEDULE_DELAY", "50");
            try (ServiceUnderTest service = new ServiceUnderTest(settings,
                    components -> Main.withModel(components, Settings.ModelClient.AZURE_AI_OPENAI, FakeModelSettings.azure(openAi)))) {
                try (SseStream stream = service.chat("support-triage", body("message", "My VM cannot reach the internet"),
                        "traceparent", "00-" + CALLER_TRACE + "-" + CALLER_SPAN + "-01")) {
                    assertThat(stream.readToEnd().types()).last().isEqualTo("done");
                }

                await().atMost(Duration.ofSeconds(20)).until(() -> collector.spans().stream()
                        .filter(span -> span.name().startsWith("chat ")).count() == 2
                        && collector.spanNamed("invoke_agent support-triage").isPresent()
                        && collector.spanNamed("POST /api/agents/{agentId}/chat").isPresent());
                assertThat(collector.failures()).isEmpty();

                ReceivedSpan request = collector.spanNamed("POST /api/agents/{agentId}/chat").orElseThrow();
                assertThat(request.kind()).isEqualTo("SERVER");
                assertThat(request.traceId()).as("the caller's trace, from its traceparent").isEqualTo(CALLER_TRACE);
                assertThat(request.parentSpanId()).isEqualTo(CALLER_SPAN);
                assertThat(request.resource()).containsEntry("service.name", "agentchat-e2e");
                assertThat(request.attributes()).containsEntry("url.path", "/api/agents/support-triage/chat")
                        .containsEntry("url.scheme", "http").containsEntry("http.response.status_code", 200L);

                ReceivedSpan run = collector.spanNamed("invoke_agent support-triage").orElseThrow();
                assertThat(run.parentSpanId()).isEqualTo(request.spanId());
                assertThat(run.attributes()).containsEntry("gen_ai.operation.name", "invoke_agent")
                        .containsEntry("gen_ai.agent.id", "support-triage")
                        .containsEntry("gen_ai.provider.name", "azure.ai.openai")
                        .containsEntry("gen_ai.usage.input_tokens", 1_700L)
                        .containsEntry("gen_ai.usage.output_tokens", 32L);
                String threadId = (String) run.attribute("gen_ai.conversation.id").orElseThrow();

                List<ReceivedSpan> calls = collector.spans().stream().filter(span -> span.name().startsWith("chat ")).toList();
                assertThat(calls).allSatisfy(call -> {
                    assertThat(call.name()).isEqualTo("chat " + FakeOpenAiServer.DEPLOYMENT);
                    assertThat(call.kind()).isEqualTo("CLIENT");
                    assertThat(call.parentSpanId()).isEqualTo(run.spanId());
                    assertThat(call.attributes()).containsEntry("gen_ai.operation.name", "chat")
                            .containsEntry("gen_ai.provider.name", "azure.ai.openai")
                            .containsEntry("gen_ai.request.model", FakeOpenAiServer.DEPLOYMENT)
                            .containsEntry("gen_ai.response.model", Chunks.RESPONSE_MODEL)
                            .containsEntry("gen_ai.conversation.id", threadId);
                });
                assertThat(calls).extracting(call -> call.attributes().get("gen_ai.usage.input_tokens"))
                        .containsExactlyInAnyOrder(412L, 1_288L);
                assertThat(calls).extracting(call -> call.attributes().get("gen_ai.response.finish_reasons"))
                        .containsExactlyInAnyOrder(List.of("tool_calls"), List.of("stop"));

                ReceivedSpan tool = collector.spanNamed("execute_tool search_knowledge_base").orElseThrow();
                assertThat(tool.parentSpanId()).isEqualTo(run.spanId());
                assertThat(tool.attributes()).containsEntry("gen_ai.operation.name", "execute_tool")
                        .containsEntry("gen_ai.tool.name", "search_knowledge_base")
                        .containsEntry("gen_ai.tool.call.id", "call_kb")
                        .doesNotContainKey("gen_ai.tool.call.arguments");
                assertThat(calls.getFirst().attributes()).as("no content unless asked for").doesNotContainKey("gen_ai.input.messages");

                HttpResponse<String> metrics = service.get("/metrics");
                assertThat(metrics.statusCode()).isEqualTo(200);
                assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
                assertThat(sample(metrics.body(), "gen_ai_client_token_usage_sum", "gen_ai_token_type=\"input\"")).isEqualTo(1_700.0);
                assertThat(sample(metrics.body(), "gen_ai_client_token_usage_sum", "gen_ai_token_type=\"output\"")).isEqualTo(32.0);
                assertThat(sample(metrics.body(), "gen_ai_client_token_usage_count", "gen_ai_token_type=\"input\"")).isEqualTo(2.0);
                assertThat(sample(metrics.body(), "http_server_request_duration_seconds_count",
                        "http_route=\"/api/agents/{agentId}/chat\"")).isEqualTo(1.0);
                assertThat(metrics.body()).doesNotContain(threadId);
            }
        }
    }

    @Test
    void the_service_is_ready_while_cosmos_db_answers_and_not_once_it_stopped_while_it_stays_alive() {
        try (CosmosTestServer.LocalServer cosmos = CosmosTestServer.startLocal()) {
            Settings settings = Settings.forTests(Map.of(
                    "COSMOS_ENDPOINT", cosmos.endpoint(),
                    "COSMOS_KEY", CosmosTestServer.localKey(),
                    "COSMOS_DATABASE_NAME", "agentchat-ready-" + UUID.randomUUID()));
            try (Components components = Main.chooseComponents(settings).build();
                 Application application = Application.start(settings, components);
                 ServiceClient client = new ServiceClient(application.port())) {
                assertThat(client.get("/health/ready").statusCode()).isEqualTo(200);

                cosmos.close();

                // The last answer is kept for a few seconds, so that probes do not each ask the store.
                await().atMost(Duration.ofSeconds(30)).until(() -> client.get("/health/ready").statusCode() == 503);
                assertThat(client.get("/health/ready").body()).contains("NOT_READY").contains("Cosmos DB");
                assertThat(client.get("/health/live").statusCode()).isEqualTo(200);
            }
        }
    }

    /** The value of the sample of {@code metric} whose labels include {@code label}. */
    private static double sample(String exposition, String metric, String label) {
        Matcher line = Pattern.compile("(?m)^" + Pattern.quote(metric) + "\\{(.*)\\} (\\S+)$").matcher(exposition);
        while (line.find()) {
            if (line.group(1).contains(label)) {
                return Double.parseDouble(line.group(2));
            }
        }
        throw new AssertionError("no sample of " + metric + " with " + label + " in:\n" + exposition);
    }
}
