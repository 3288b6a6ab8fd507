package dev.agentchat.adapter.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentchat.adapter.openai.AzureOpenAiSettings.Service;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AzureOpenAiSettingsTest {

    @Test
    void azure_settings_are_read_by_their_environment_names() {
        // when
        Optional<AzureOpenAiSettings> settings = AzureOpenAiSettings.from(lookup(Map.of(
                "AZURE_OPENAI_ENDPOINT", "https://contoso.openai.azure.com/",
                "AZURE_OPENAI_DEPLOYMENT_NAME", "gpt-4o-mini",
                "AZURE_OPENAI_API_KEY", "secret-key")));

        // then
        assertThat(settings).hasValueSatisfying(s -> {
            assertThat(s.service()).isEqualTo(Service.AZURE_OPENAI);
            assertThat(s.endpoint()).isEqualTo(URI.create("https://contoso.openai.azure.com/"));
            assertThat(s.apiVersion()).isEqualTo(AzureOpenAiSettings.DEFAULT_API_VERSION);
            assertThat(s.deployment()).isEqualTo("gpt-4o-mini");
            assertThat(s.apiKey()).contains("secret-key");
        });
    }

    @Test
    void azure_without_a_deployment_is_refused_naming_the_missing_setting() {
        assertThatThrownBy(() -> AzureOpenAiSettings.from(lookup(Map.of("AZURE_OPENAI_ENDPOINT", "https://contoso.openai.azure.com"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("AZURE_OPENAI_DEPLOYMENT_NAME");
    }

    @Test
    void openai_compatible_settings_are_read_when_azure_is_not_configured() {
        // when
        Optional<AzureOpenAiSettings> settings = AzureOpenAiSettings.from(lookup(Map.of(
                "OPENAI_BASE_URL", "http://localhost:11434/v1", "OPENAI_MODEL", "llama3.1")));

        // then
        assertThat(settings).hasValueSatisfying(s -> {
            assertThat(s.service()).isEqualTo(Service.OPENAI_COMPATIBLE);
            assertThat(s.endpoint()).isEqualTo(URI.create("http://localhost:11434/v1"));
            assertThat(s.deployment()).isEqualTo("llama3.1");
            assertThat(s.apiKey()).isEmpty();
        });
    }

    @Test
    void an_openai_key_alone_means_openai_itself_and_needs_a_model() {
        assertThat(AzureOpenAiSettings.from(lookup(Map.of("OPENAI_API_KEY", "sk-1", "OPENAI_MODEL", "gpt-4o"))))
                .hasValueSatisfying(s -> assertThat(s.endpoint()).isEqualTo(URI.create(AzureOpenAiSettings.OPENAI_BASE_URL)));
        assertThatThrownBy(() -> AzureOpenAiSettings.from(lookup(Map.of("OPENAI_API_KEY", "sk-1"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("OPENAI_MODEL");
    }

    @Test
    void nothing_configured_is_no_settings() {
        assertThat(AzureOpenAiSettings.from(lookup(Map.of("AZURE_OPENAI_ENDPOINT", "  ")))).isEmpty();
    }

    @Test
    void the_key_never_shows_in_the_settings_text() {
        AzureOpenAiSettings settings = AzureOpenAiSettings.azure("https://contoso.openai.azure.com", "2024-10-21", "gpt-4o",
                Optional.of("secret-key"));

        assertThat(settings.toString()).doesNotContain("secret-key").contains("gpt-4o");
    }

    @Test
    void a_key_goes_over_plain_http_only_to_a_loopback_address() {
        assertThatThrownBy(() -> AzureOpenAiSettings.azure("http://contoso.example", "2024-10-21", "gpt-4o", Optional.of("k")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("https");
        assertThat(AzureOpenAiSettings.azure("http://127.0.0.1:8080", "2024-10-21", "gpt-4o", Optional.of("k")).apiKey()).contains("k");
        assertThat(AzureOpenAiSettings.openAiCompatible("http://[::1]:8080/v1", "m", Optional.of("k")).apiKey()).contains("k");
        assertThat(AzureOpenAiSettings.openAiCompatible("http://ollama:11434/v1", "m", Optional.empty()).apiKey()).isEmpty();
    }

    @Test
    void entra_id_needs_https() {
        assertThatThrownBy(() -> AzureOpenAiSettings.azure("http://127.0.0.1:8080", "2024-10-21", "gpt-4o", Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Entra ID");
    }

    @Test
    void an_endpoint_that_is_not_an_http_url_is_refused() {
        assertThatThrownBy(() -> AzureOpenAiSettings.azure("contoso.openai.azure.com", "2024-10-21", "gpt-4o", Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http(s) URL");
    }

    private static java.util.function.Function<String, Optional<String>> lookup(Map<String, String> values) {
        return name -> Optional.ofNullable(values.get(name));
    }
}
