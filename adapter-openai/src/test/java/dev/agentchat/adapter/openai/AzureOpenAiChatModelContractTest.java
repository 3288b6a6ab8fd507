package dev.agentchat.adapter.openai;

import dev.agentchat.adapter.openai.FakeOpenAiServer.Reply;
import dev.agentchat.ports.contract.ChatModelContract;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;

/** The chat model contract, for the Azure OpenAI adapter against a local server speaking Azure's wire format. */
class AzureOpenAiChatModelContractTest extends ChatModelContract<AzureOpenAiChatModel> {
    private final Map<AzureOpenAiChatModel, FakeOpenAiServer> servers = new IdentityHashMap<>();

    @AfterEach
    void stopServers() {
        servers.values().forEach(FakeOpenAiServer::close);
    }

    @Override
    protected AzureOpenAiChatModel createSubject() {
        FakeOpenAiServer server = FakeOpenAiServer.start();
        AzureOpenAiChatModel model = AzureOpenAiChatModel.create(server.azureSettings());
        servers.put(model, server);
        return model;
    }

    @Override
    protected void prepareAnswer(AzureOpenAiChatModel subject) {
        servers.get(subject).enqueue(Reply.stream()
                .data(Chunks.promptFilterResults())
                .data(Chunks.role())
                .data(Chunks.text("Hello"))
                .comment("keep-alive")
                .data(Chunks.text(" there."))
                .data(Chunks.finish("stop"))
                .data(Chunks.usage(21, 3))
                .done());
    }

    @Override
    protected AzureOpenAiChatModel createSlowSubject() {
        AzureOpenAiChatModel model = createSubject();
        servers.get(model).enqueue(Reply.stream()
                .data(Chunks.role())
                .data(Chunks.text("Once upon a time"))
                .holdUntilClientCloses(new CountDownLatch(1)));
        return model;
    }
}
