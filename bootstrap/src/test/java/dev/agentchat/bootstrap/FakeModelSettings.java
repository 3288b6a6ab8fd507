package dev.agentchat.bootstrap;

import dev.agentchat.adapter.openai.AzureOpenAiSettings;
import dev.agentchat.ports.contract.model.Chunks;
import dev.agentchat.ports.contract.model.FakeOpenAiServer;
import java.time.Duration;
import java.util.Optional;

/** The model settings the service reads, for the fake model service: both model clients are made from them. */
final class FakeModelSettings {
    private FakeModelSettings() {
    }

    /** Azure on the fake server: its deployment, the test key, quick retries. */
    /**
     * Scripts a turn with a tool call on the fake server: the model asks the knowledge base (Azure's filter results
     * first, a keep-alive comment inside the call; 412 + 23 tokens), then answers in two pieces (1,288 + 9 tokens).
     */
    static void askTheKnowledgeBaseThenAnswer(FakeOpenAiServer server) {
        server.enqueue(FakeOpenAiServer.Reply.stream()
                        .data(Chunks.promptFilterResults())
                        .data(Chunks.role())
                        .data(Chunks.toolCallStart(0, "call_kb", "search_knowledge_base", "{\"query\":"))
                        .comment("keep-alive")
                        .data(Chunks.toolCallArguments(0, "\"vm cannot reach the internet\"}"))
                        .data(Chunks.finish("tool_calls"))
                        .data(Chunks.usage(412, 23))
                        .done())
                .enqueue(FakeOpenAiServer.Reply.stream()
                        .data(Chunks.role())
                        .data(Chunks.text("Check the network "))
                        .data(Chunks.text("security group rules."))
                        .data(Chunks.finish("stop"))
                        .data(Chunks.usage(1_288, 9))
                        .done());
    }

    static AzureOpenAiSettings azure(FakeOpenAiServer server) {
        return AzureOpenAiSettings.azure(server.endpoint(), FakeOpenAiServer.API_VERSION, FakeOpenAiServer.DEPLOYMENT,
                        Optional.of(FakeOpenAiServer.TEST_KEY))
                .withRetries(new AzureOpenAiSettings.Retries(3, Duration.ofMillis(10), Duration.ofSeconds(2)));
    }
}
