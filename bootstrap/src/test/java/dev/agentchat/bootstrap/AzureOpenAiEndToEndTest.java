package dev.agentchat.bootstrap;

import static dev.agentchat.bootstrap.ServiceUnderTest.body;
import static dev.agentchat.bootstrap.ServiceUnderTest.parse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentchat.ports.contract.model.Chunks;
import dev.agentchat.ports.contract.model.FakeOpenAiServer;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The service pointed at a local server that speaks the Azure OpenAI wire format, through each model
 * client's real SDK: a chat whose model asks for the knowledge base, with the built-in tools.
 */
@ParameterizedClass
@EnumSource(Settings.ModelClient.class)
class AzureOpenAiEndToEndTest {
    @Parameter
    Settings.ModelClient client;

    private FakeOpenAiServer openAi;
    private ServiceUnderTest service;

    @BeforeEach
    void start() {
        openAi = FakeOpenAiServer.start();
        service = new ServiceUnderTest(Map.of("MODEL_PRICES", "gpt-4o-mini=0.15/0.60"),
                components -> Main.withModel(components, client, FakeModelSettings.azure(openAi)));
    }

    @AfterEach
    void stop() {
        service.close();
        openAi.close();
    }

    @Test
    void a_chat_that_triggers_a_tool_streams_its_traces_and_records_steps_tokens_and_cost() throws Exception {
        FakeModelSettings.askTheKnowledgeBaseThenAnswer(openAi);

        SseStream.Frames frames;
        try (SseStream stream = service.chat("support-triage", body("message", "My VM cannot reach the internet"))) {
            frames = stream.readToEnd();
        }

        List<String> types = frames.types();
        assertThat(types.subList(0, 3)).containsExactly("trace_start", "trace_update", "trace_end");
        assertThat(types.subList(3, types.size())).containsExactly("token", "token", "done");
        JsonNode start = frames.events().get(0).data();
        assertThat(start.get("tool").asText()).isEqualTo("search_knowledge_base");
        assertThat(start.get("arguments").asText()).isEqualTo("{\"query\":\"vm cannot reach the internet\"}");
        JsonNode end = frames.events().get(2).data();
        assertThat(end.get("status").asText()).isEqualTo("completed");
        assertThat(end.get("output").asText()).contains("VM cannot reach the internet");
        JsonNode done = frames.last("done");
        assertThat(done.get("tokens_used").asLong()).as("the server's reported usage").isEqualTo(412 + 23 + 1_288 + 9);

        openAi.awaitRequests(2);
        JsonNode second = parse(openAi.requests().get(1).body());
        JsonNode result = second.get("messages").get(second.get("messages").size() - 1);
        assertThat(result.get("role").asText()).isEqualTo("tool");
        assertThat(result.get("tool_call_id").asText()).isEqualTo("call_kb");

        JsonNode thread = parse(service.get("/api/agents/support-triage/threads/" + done.get("thread_id").asText()).body());
        assertThat(thread.get("messages").get(1).get("content").asText()).isEqualTo("Check the network security group rules.");
        JsonNode run = thread.get("runs").get(0);
        assertThat(run.get("status").asText()).isEqualTo("completed");
        assertThat(run.get("usage").get("prompt_tokens").asLong()).isEqualTo(1_700);
        assertThat(run.get("usage").get("completion_tokens").asLong()).isEqualTo(32);
        assertThat(run.get("usage").get("estimated").asBoolean()).isFalse();
        // 1,700 prompt tokens at $0.15 and 32 completion tokens at $0.60 per million
        assertThat(new BigDecimal(run.get("cost_usd").asText())).isEqualByComparingTo("0.0002742");
        List<JsonNode> steps = new ArrayList<>();
        run.get("steps").forEach(steps::add);
        assertThat(steps).extracting(step -> step.get("type").asText())
                .containsExactlyInAnyOrder("model_call", "tool_call", "model_call");
        assertThat(steps).allSatisfy(step -> assertThat(step.get("latency_ms").asLong()).isNotNegative());
        assertThat(steps).filteredOn(step -> step.get("type").asText().equals("model_call"))
                .extracting(step -> step.get("model").asText() + ":" + step.get("usage").get("total_tokens").asLong())
                .containsExactlyInAnyOrder("gpt-4o-mini:435", "gpt-4o-mini:1297");
        assertThat(steps).filteredOn(step -> step.get("type").asText().equals("model_call"))
                .allSatisfy(step -> assertThat(step.get("cost_usd").isNull()).isFalse());
    }

    @Test
    void cancelling_a_run_mid_answer_closes_the_connection_to_the_model_service() throws Exception {
        CountDownLatch closed = new CountDownLatch(1);
        openAi.enqueue(FakeOpenAiServer.Reply.stream()
                .data(Chunks.role())
                .data(Chunks.text("The first half "))
                .holdUntilClientCloses(closed));

        try (SseStream stream = service.chat("support-triage", body("message", "Explain everything"))) {
            String threadId = stream.header("X-Thread-Id");
            String runId = stream.header("X-Run-Id");
            assertThat(stream.next(Duration.ofSeconds(10)).data().get("content").asText()).isEqualTo("The first half ");

            var cancel = service.post("/api/agents/support-triage/threads/" + threadId + "/runs/" + runId + "/cancel");

            assertThat(cancel.statusCode()).isEqualTo(200);
            assertThat(closed.await(5, TimeUnit.SECONDS)).as("the model service saw its connection closed").isTrue();
            assertThat(stream.readToEnd().last("error").get("code").asText()).isEqualTo("cancelled");
            JsonNode thread = parse(service.get("/api/agents/support-triage/threads/" + threadId).body());
            assertThat(thread.get("messages").get(1).get("content").asText()).isEqualTo("The first half ");
            assertThat(thread.get("messages").get(1).get("status").asText()).isEqualTo("incomplete");
            assertThat(thread.get("runs").get(0).get("status").asText()).isEqualTo("cancelled");
        }
    }
}
