package dev.agentchat.adapter.openaijava;

import dev.agentchat.ports.contract.model.FakeOpenAiServer;
import dev.agentchat.ports.contract.model.ModelServiceSettings;
import java.net.URI;

/** This adapter's settings for the shared fake model service and its test settings. */
final class TestSettings {
    private TestSettings() {
    }

    /** Azure on the fake server: deployment gpt-4o-mini, the test key, quick retries. */
    static OpenAiJavaSettings azure(FakeOpenAiServer server) {
        return of(ModelServiceSettings.azure(server));
    }

    static OpenAiJavaSettings of(ModelServiceSettings wanted) {
        return new OpenAiJavaSettings(URI.create(wanted.endpoint()), wanted.apiVersion(), wanted.deployment(), wanted.apiKey(),
                wanted.azure() ? OpenAiJavaSettings.Dialect.AZURE_OPENAI : OpenAiJavaSettings.Dialect.OPENAI_COMPATIBLE,
                new OpenAiJavaSettings.Retries(wanted.maxRetries(), wanted.baseDelay(), wanted.maxDelay()), wanted.readTimeout());
    }
}
