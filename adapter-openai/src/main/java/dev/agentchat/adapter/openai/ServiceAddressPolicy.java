package dev.agentchat.adapter.openai;

import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelinePosition;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.core.util.UrlBuilder;
import dev.agentchat.adapter.openai.AzureOpenAiSettings.Service;
import reactor.core.publisher.Mono;

/**
 * Points each request at the configured service, where the SDK has no setting for it.
 *
 * <ul>
 *   <li>OpenAI-compatible: the SDK's non-Azure client has its base URL {@code https://api.openai.com/v1}
 *       built in (the builder has no base-URL setter), so the URL is rewritten to the configured one.</li>
 *   <li>Azure: the SDK only sends the api-versions of its own enum (OpenAIServiceVersion, frozen with
 *       the SDK); the configured version is set instead, so a newer one needs no SDK.</li>
 * </ul>
 */
final class ServiceAddressPolicy implements HttpPipelinePolicy {
    private static final String SDK_OPENAI_BASE = "https://api.openai.com/v1";

    private final Service service;
    private final String baseUrl;
    private final String apiVersion;

    ServiceAddressPolicy(AzureOpenAiSettings settings) {
        this.service = settings.service();
        String endpoint = settings.endpoint().toString();
        this.baseUrl = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
        this.apiVersion = settings.apiVersion();
    }

    @Override
    public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
        HttpRequest request = context.getHttpRequest();
        String url = request.getUrl().toString();
        switch (service) {
            case OPENAI_COMPATIBLE -> {
                if (url.startsWith(SDK_OPENAI_BASE)) {
                    request.setUrl(baseUrl + url.substring(SDK_OPENAI_BASE.length()));
                }
            }
            case AZURE_OPENAI -> request.setUrl(UrlBuilder.parse(url).setQueryParameter("api-version", apiVersion).toString());
        }
        return next.process();
    }

    /** Once per call, before the retry policy: every try goes to the same address. */
    @Override
    public HttpPipelinePosition getPipelinePosition() {
        return HttpPipelinePosition.PER_CALL;
    }
}
