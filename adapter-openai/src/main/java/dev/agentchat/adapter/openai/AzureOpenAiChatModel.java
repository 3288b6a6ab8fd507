package dev.agentchat.adapter.openai;

import com.azure.ai.openai.OpenAIAsyncClient;
import com.azure.core.http.rest.RequestOptions;
import com.azure.core.util.BinaryData;
import dev.agentchat.ports.chat.ChatModel;
import dev.agentchat.ports.chat.ModelRequest;
import dev.agentchat.ports.chat.ModelStream;
import java.nio.ByteBuffer;
import reactor.core.publisher.Flux;

/**
 * The chat model on Azure OpenAI, or on any OpenAI-compatible server, through the azure-ai-openai SDK.
 *
 * <p>Streams through the SDK's protocol method ({@code getChatCompletionsWithResponse} with a raw body)
 * rather than its {@code getChatCompletionsStream}: see {@link AnswerStream} and {@link RequestBodyWriter}
 * for why. {@link #stream} returns at once; the request is sent, and retried, in the background, so that
 * a close ends it at any moment, even during a retry's wait. A service that cannot be reached or refuses
 * the request fails the first {@code next()} with a {@link dev.agentchat.ports.chat.ModelFailure}.
 * Thread-safe: one model serves many streams at once. {@link #close()} closes its connections: whoever
 * creates the model closes it once no stream is left.
 */
public final class AzureOpenAiChatModel implements ChatModel, AutoCloseable {
    private final OpenAIAsyncClient client;
    private final OpenAiClients.Transport transport;
    private final String deployment;
    private final String provider;
    private final ModelFailures failures;

    private AzureOpenAiChatModel(OpenAIAsyncClient client, OpenAiClients.Transport transport, String deployment,
            String provider, ModelFailures failures) {
        this.client = client;
        this.transport = transport;
        this.deployment = deployment;
        this.provider = provider;
        this.failures = failures;
    }

    /** A model asking the service the settings name; nothing is sent until the first stream. */
    public static AzureOpenAiChatModel create(AzureOpenAiSettings settings) {
        OpenAiClients.Transport transport = OpenAiClients.transport(settings);
        return new AzureOpenAiChatModel(OpenAiClients.build(settings, transport), transport, settings.deployment(),
                switch (settings.service()) {
                    case AZURE_OPENAI -> "azure.ai.openai";
                    case OPENAI_COMPATIBLE -> "openai";
                }, new ModelFailures(settings));
    }

    /** Closes the model's connections; a stream asked for afterwards fails without reaching the service. */
    @Override
    public void close() {
        transport.close();
    }

    @Override
    public String modelName() {
        return deployment;
    }

    @Override
    public String provider() {
        return provider;
    }

    @Override
    public ModelStream stream(ModelRequest request) {
        BinaryData body = BinaryData.fromString(RequestBodyWriter.write(request));
        // An agent may name its own deployment (or model, for an OpenAI-compatible server) on the same service.
        String target = request.settings().deploymentOr(deployment);
        Flux<ByteBuffer> answer = client.getChatCompletionsWithResponse(target, body, new RequestOptions())
                .onErrorMap(failures::beforeAnswer)
                .flatMapMany(response -> response.getValue().toFluxByteBuffer().onErrorMap(failures::midAnswer));
        return AnswerStream.reading(answer, failures, new UsageEstimate(target, request));
    }
}
