package dev.agentchat.adapter.openaijava;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OpenAiJavaSettingsTest {
    private static final OpenAiJavaSettings.Retries RETRIES =
            new OpenAiJavaSettings.Retries(3, Duration.ofMillis(800), Duration.ofSeconds(20));

    @Test
    void the_key_never_shows_in_the_settings_text() {
        OpenAiJavaSettings settings = new OpenAiJavaSettings(URI.create("https://example.openai.azure.com"), "2024-10-21",
                "gpt-4o", Optional.of("k-secret-123"), OpenAiJavaSettings.Dialect.AZURE_OPENAI, RETRIES, Duration.ofSeconds(60));

        assertThat(settings.toString()).doesNotContain("k-secret-123").contains("apiKey=(set)").contains("gpt-4o");
    }

    @Test
    void a_blank_deployment_is_refused() {
        assertThatThrownBy(() -> new OpenAiJavaSettings(URI.create("http://127.0.0.1:1"), "", " ", Optional.empty(),
                OpenAiJavaSettings.Dialect.OPENAI_COMPATIBLE, RETRIES, Duration.ofSeconds(60)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("deployment");
    }
}
