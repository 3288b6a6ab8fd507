package dev.agentchat.adapter.openai;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import dev.agentchat.adapter.openai.AzureOpenAiSettings.Service;
import reactor.core.publisher.Mono;

/**
 * Sends the API key: {@code api-key} to Azure, {@code Authorization: Bearer} to OpenAI-compatible servers.
 *
 * <p>Why not the SDK's KeyCredential: its KeyCredentialPolicy refuses any plain-http URL, so a local or
 * test server could not be reached with a key. AzureOpenAiSettings keeps the point of that refusal: it
 * accepts a key with plain http only for a loopback address.
 */
final class ApiKeyPolicy implements HttpPipelinePolicy {
    private static final HttpHeaderName API_KEY = HttpHeaderName.fromString("api-key");

    private final HttpHeaderName header;
    private final String value;

    ApiKeyPolicy(Service service, String key) {
        this.header = service == Service.AZURE_OPENAI ? API_KEY : HttpHeaderName.AUTHORIZATION;
        this.value = service == Service.AZURE_OPENAI ? key : "Bearer " + key;
    }

    @Override
    public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
        context.getHttpRequest().setHeader(header, value);
        return next.process();
    }

    @Override
    public String toString() {
        return "ApiKeyPolicy[" + header + "]"; // never the key
    }
}
