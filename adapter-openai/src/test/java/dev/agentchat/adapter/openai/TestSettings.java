package dev.agentchat.adapter.openai;

import dev.agentchat.ports.contract.model.FakeOpenAiServer;
import dev.agentchat.ports.contract.model.ModelServiceSettings;

/** This adapter's settings for the shared fake model service and its test settings. */
final class TestSettings {
    private TestSettings() {
    }

    /** Azure on the fake server: deployment gpt-4o-mini, the test key, quick retries. */
    static AzureOpenAiSettings azure(FakeOpenAiServer server) {
        return of(ModelServiceSettings.azure(server));
    }

    static AzureOpenAiSettings of(ModelServiceSettings wanted) {
        AzureOpenAiSettings settings = wanted.azure()
                ? AzureOpenAiSettings.azure(wanted.endpoint(), wanted.apiVersion(), wanted.deployment(), wanted.apiKey())
                : AzureOpenAiSettings.openAiCompatible(wanted.endpoint(), wanted.deployment(), wanted.apiKey());
        return settings.withRetries(new AzureOpenAiSettings.Retries(wanted.maxRetries(), wanted.baseDelay(), wanted.maxDelay()))
                .withReadTimeout(wanted.readTimeout());
    }
}
