package dev.agentchat.ports.contract.model;

import dev.agentchat.ports.chat.ChatModel;
import dev.agentchat.ports.contract.ChatModelContract;
import dev.agentchat.ports.contract.model.FakeOpenAiServer.Reply;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;

/**
 * The chat model contract for an adapter that speaks the chat completions wire format, against a local
 * server speaking Azure's: each adapter's test says how to make its model from {@link ModelServiceSettings}.
 */
public abstract class FakeServerChatModelContract extends ChatModelContract<ChatModel> {
    private final Map<ChatModel, FakeOpenAiServer> servers = new IdentityHashMap<>();

    /** The adapter's model for these settings. */
    protected abstract ChatModel createModel(ModelServiceSettings settings);

    @AfterEach
    void stopServers() {
        servers.values().forEach(FakeOpenAiServer::close);
    }

    @Override
    protected final ChatModel createSubject() {
        FakeOpenAiServer server = FakeOpenAiServer.start();
        ChatModel model = createModel(ModelServiceSettings.azure(server));
        servers.put(model, server);
        return model;
    }

    @Override
    protected final void prepareAnswer(ChatModel subject) {
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
    protected final ChatModel createSlowSubject() {
        ChatModel model = createSubject();
        servers.get(model).enqueue(Reply.stream()
                .data(Chunks.role())
                .data(Chunks.text("Once upon a time"))
                .holdUntilClientCloses(new CountDownLatch(1)));
        return model;
    }
}
