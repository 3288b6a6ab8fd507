package dev.agentchat.bootstrap;

import static dev.agentchat.bootstrap.ServiceUnderTest.body;
import static dev.agentchat.bootstrap.ServiceUnderTest.parse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentchat.adapter.memory.model.Reply;
import dev.agentchat.adapter.memory.tool.ScriptedToolRuntime;
import dev.agentchat.domain.chat.FinishReason;
import dev.agentchat.domain.usage.Usage;
import dev.agentchat.ports.tool.ToolOutcome;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A chat that calls a tool, over real sockets: the traces in the stream, the steps in the thread. */
class ToolTracesTest {
    private ServiceUnderTest service;

    @AfterEach
    void stop() {
        service.close();
    }

    @Test
    void a_tool_call_is_streamed_as_traces_and_read_back_as_a_step_of_the_run() {
        ScriptedToolRuntime tools = new ScriptedToolRuntime().tool("search_knowledge_base", (args, progress) -> {
            progress.report("searched 8 documents");
            return new ToolOutcome.Succeeded("[{\"title\":\"VM cannot reach the internet\"}]");
        });
        service = new ServiceUnderTest(components -> components.tools(tools));
        service.model.reply(Reply.builder().toolCall("call_1", "search_knowledge_base", "{\"query\":\"vm offline\"}")
                        .usage(Usage.reported(120, 12)).finish(FinishReason.TOOL_CALLS).build())
                .reply(Reply.builder().text("Check the NSG rules.").usage(Usage.reported(180, 6)).finish(FinishReason.STOP).build());

        SseStream.Frames frames;
        try (SseStream stream = service.chat("support-triage", body("message", "My VM is offline"))) {
            frames = stream.readToEnd();
        }

        assertThat(frames.types()).containsExactly("trace_start", "trace_update", "trace_end", "token", "done");
        JsonNode start = frames.events().get(0).data();
        JsonNode end = frames.events().get(2).data();
        assertThat(start.get("tool").asText()).isEqualTo("search_knowledge_base");
        assertThat(start.get("arguments").asText()).isEqualTo("{\"query\":\"vm offline\"}");
        assertThat(end.get("step_id").asText()).isEqualTo(start.get("step_id").asText());
        assertThat(end.get("status").asText()).isEqualTo("completed");
        assertThat(end.get("latency_ms").asLong()).isNotNegative();
        JsonNode done = frames.last("done");
        assertThat(done.get("tokens_used").asLong()).isEqualTo(318);

        JsonNode thread = parse(service.get("/api/agents/support-triage/threads/" + done.get("thread_id").asText()).body());
        JsonNode run = thread.get("runs").get(0);
        assertThat(run.get("id").asText()).isEqualTo(done.get("run_id").asText());
        assertThat(run.get("status").asText()).isEqualTo("completed");
        assertThat(run.get("usage").get("total_tokens").asLong()).isEqualTo(318);
        assertThat(run.get("duration_ms").asLong()).isNotNegative();
        List<String> stepTypes = new java.util.ArrayList<>();
        run.get("steps").forEach(step -> stepTypes.add(step.get("type").asText()));
        assertThat(stepTypes).containsExactlyInAnyOrder("model_call", "tool_call", "model_call");
        JsonNode toolStep = null;
        for (JsonNode step : run.get("steps")) {
            if (step.get("type").asText().equals("tool_call")) {
                toolStep = step;
            }
        }
        assertThat(toolStep.get("id").asText()).isEqualTo(start.get("step_id").asText());
        assertThat(toolStep.get("tool").asText()).isEqualTo("search_knowledge_base");
        assertThat(toolStep.get("output").asText()).contains("VM cannot reach the internet");
        assertThat(toolStep.get("latency_ms").asLong()).isNotNegative();
    }
}
