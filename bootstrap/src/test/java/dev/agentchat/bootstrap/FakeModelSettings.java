package dev.agentchat.bootstrap;

import dev.agentchat.adapter.openai.AzureOpenAiSettings;
import dev.agentchat.ports.contract.model.FakeOpenAiServer;
import java.time.Duration;
import java.util.Optional;

/** The model settings the service reads, for the fake model service: both model clients are made from them. */
final class FakeModelSettings {
    private FakeModelSettings() {
    }

    /** Azure on the fake server: its deployment, the test key, quick retries. */
    static AzureOpenAiSettings azure(FakeOpenAiServer server) {
        return AzureOpenAiSettings.azure(server.endpoint(), FakeOpenAiServer.API_VERSION, FakeOpenAiServer.DEPLOYMENT,
                        Optional.of(FakeOpenAiServer.TEST_KEY))
                .withRetries(new AzureOpenAiSettings.Retries(3, Duration.ofMillis(10), Duration.ofSeconds(2)));
    }
}
