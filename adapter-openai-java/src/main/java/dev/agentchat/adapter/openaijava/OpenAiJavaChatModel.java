package dev.agentchat.adapter.openaijava;

import com.openai.client.OpenAIClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.agentchat.ports.chat.ChatModel;
import dev.agentchat.ports.chat.ModelRequest;
import dev.agentchat.ports.chat.ModelStream;
import okhttp3.OkHttpClient;

/**
 * The chat model on Azure OpenAI, or on any OpenAI-compatible server, through the openai-java SDK over
 * OkHttp. {@link #stream} returns at once; the request is sent, retried and read on the thread that reads
 * the stream (see {@link StreamedAnswer}). A service that cannot be reached or refuses the request fails the
 * first {@code next()} with a {@link dev.agentchat.ports.chat.ModelFailure}. Thread-safe: one model serves
 * many streams at once. {@link #close()} closes its connections: whoever creates the model closes it once
 * no stream is left.
 */
public final class OpenAiJavaChatModel implements ChatModel, AutoCloseable {
    private final OkHttpClient transport;
    private final OpenAIClient client;
    private final CallTracker calls;
    private final OpenAiJavaSettings settings;
    private final ServiceFailures failures;
    private final Retrying retrying;

    private OpenAiJavaChatModel(OpenAiJavaSettings settings, CallTracker calls, OkHttpClient transport) {
        this.settings = settings;
        this.calls = calls;
        this.transport = transport;
        this.client = OpenAiJavaClients.build(settings, transport);
        this.failures = new ServiceFailures(settings);
        this.retrying = new Retrying(settings.retries());
    }

    /** A model asking the service the settings name; nothing is sent until a stream is read. */
    public static OpenAiJavaChatModel create(OpenAiJavaSettings settings) {
        CallTracker calls = new CallTracker();
        return new OpenAiJavaChatModel(settings, calls, OpenAiJavaClients.transport(settings, calls));
    }

    @Override
    public String modelName() {
        return settings.deployment();
    }

    @Override
    public String provider() {
        return switch (settings.dialect()) {
            case AZURE_OPENAI -> "azure.ai.openai";
            case OPENAI_COMPATIBLE -> "openai";
        };
    }

    @Override
    public ModelStream stream(ModelRequest request) {
        // An agent may name its own deployment (or model, for an OpenAI-compatible server) on the same service.
        String target = request.settings().deploymentOr(settings.deployment());
        ChatCompletionCreateParams params = RequestParams.of(request, target);
        return new StreamedAnswer(client, params, calls, retrying, failures, new UsageCount(target, request));
    }

    /**
     * Closes the model's connections; a stream read afterwards fails without reaching the service. The
     * OkHttp client is ours (the SDK only borrows it), so its connections are closed here.
     */
    @Override
    public void close() {
        client.close();
        // Calls are made with execute() only, so the dispatcher never started a thread: the pool is all there is.
        transport.connectionPool().evictAll();
    }
}
