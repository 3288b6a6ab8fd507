package dev.agentchat.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentchat.adapter.openai.AzureOpenAiChatModel;
import dev.agentchat.adapter.openai.AzureOpenAiSettings;
import dev.agentchat.adapter.openaijava.OpenAiJavaChatModel;
import dev.agentchat.domain.agent.AgentId;
import dev.agentchat.domain.agent.ModelSettings;
import dev.agentchat.domain.chat.ModelStreamItem;
import dev.agentchat.domain.chat.ModelStreamItem.ToolCallRequest;
import dev.agentchat.domain.tool.ToolDefinition;
import dev.agentchat.ports.chat.ChatModel;
import dev.agentchat.ports.chat.ModelMessage;
import dev.agentchat.ports.chat.ModelRequest;
import dev.agentchat.ports.chat.ModelStream;
import dev.agentchat.ports.contract.model.Chunks;
import dev.agentchat.ports.contract.model.FakeOpenAiServer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The two model clients side by side on one fake service: the same request on the wire and the same
 * items out of the same answer, so that which one is the default changes nothing a user can see.
 */
class ModelClientsOnTheWireTest {
    private final FakeOpenAiServer server = FakeOpenAiServer.start();

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void both_clients_send_the_same_request_but_the_model_field_azure_ignores() throws Exception {
        // given
        AzureOpenAiSettings settings = FakeModelSettings.azure(server);
        ModelRequest request = aConversationWithToolsAndSettings();

        // when
        List<ModelStreamItem> viaAzure = askOnce(AzureOpenAiChatModel.create(settings), request);
        List<ModelStreamItem> viaOpenAiJava = askOnce(OpenAiJavaChatModel.create(Main.openAiJava(settings)), request);

        // then
        server.awaitRequests(2);
        FakeOpenAiServer.Recorded azure = server.requests().get(0);
        FakeOpenAiServer.Recorded openAiJava = server.requests().get(1);
        assertThat(openAiJava.target()).isEqualTo(azure.target())
                .isEqualTo("/openai/deployments/gpt-4.1/chat/completions?api-version=2024-10-21");
        assertThat(openAiJava.header("api-key")).isEqualTo(azure.header("api-key")).isEqualTo(FakeOpenAiServer.TEST_KEY);
        assertThat(openAiJava.header("authorization")).isNull();
        Map<String, Object> openAiJavaBody = new LinkedHashMap<>(openAiJava.json());
        assertThat(openAiJavaBody.remove("model")).as("the deployment, which Azure reads from the URL").isEqualTo("gpt-4.1");
        assertThat(openAiJavaBody).isEqualTo(azure.json());
        assertThat(viaOpenAiJava).isEqualTo(viaAzure);
    }

    private List<ModelStreamItem> askOnce(ChatModel model, ModelRequest request) throws Exception {
        server.enqueue(FakeOpenAiServer.Reply.stream().data(Chunks.promptFilterResults()).data(Chunks.role())
                .data(Chunks.toolCallStart(0, "call_9", "get_weather", "{\"city\":"))
                .comment("keep-alive")
                .data(Chunks.toolCallArguments(0, "\"Bergen\"}"))
                .data(Chunks.text("Checking."))
                .data(Chunks.finish("tool_calls")).data(Chunks.usage(80, 12)).done());
        List<ModelStreamItem> items = new ArrayList<>();
        try (ModelStream stream = model.stream(request)) {
            for (Optional<ModelStreamItem> item = stream.next(); item.isPresent(); item = stream.next()) {
                items.add(item.get());
            }
        } finally {
            ((AutoCloseable) model).close();
        }
        return items;
    }

    private static ModelRequest aConversationWithToolsAndSettings() {
        ToolCallRequest call = new ToolCallRequest("call_7", "get_weather", "{\"city\":\"Oslo\"}");
        String schema = "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\",\"minLength\":1}},"
                + "\"required\":[\"city\"],\"additionalProperties\":false}";
        return new ModelRequest(AgentId.of("support-triage"), "You are terse.\nAnswer in \"one\" line: ü, 日本.", List.of(
                ModelMessage.user("Weather in Oslo?"),
                new ModelMessage.Assistant("", List.of(call)),
                new ModelMessage.ToolResult("call_7", "{\"sky\":\"clear\"}"),
                new ModelMessage.Assistant("Clear in Oslo.", List.of()),
                ModelMessage.user("And Bergen?")),
                List.of(new ToolDefinition("get_weather", "Looks the weather up.", schema)),
                new ModelSettings("gpt-4.1", 0.2, 300));
    }
}
