package dev.agentchat.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentchat.bootstrap.logging.LogFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {
    private static final String[] NO_ARGS = new String[0];

    @Test
    void nothing_configured_gives_the_documented_defaults() {
        Settings settings = Settings.load(Map.of(), NO_ARGS);

        assertThat(settings.host()).isEqualTo("0.0.0.0");
        assertThat(settings.port()).isEqualTo(8000);
        assertThat(settings.logLevel()).isEqualTo(Level.INFO);
        assertThat(settings.heartbeatInterval()).isEqualTo(Duration.ofSeconds(15));
        assertThat(settings.maxRequestBytes()).isEqualTo(256 * 1024);
        assertThat(settings.requestReadTimeout()).as("longer than any heartbeat interval's half").isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.maxConnections()).as("above the 10,000 streams one instance holds").isEqualTo(20_000);
        assertThat(dev.agentchat.adapter.cosmos.CosmosSettings.from(settings.values()::get)).isEmpty();
        assertThat(settings.values().get("AZURE_OPENAI_ENDPOINT")).isEmpty();
        assertThat(settings.configFile()).isEmpty();
    }

    @Test
    void the_model_is_asked_through_azure_ai_openai_unless_openai_java_is_chosen() {
        assertThat(Settings.load(Map.of(), NO_ARGS).modelClient()).isEqualTo(Settings.ModelClient.AZURE_AI_OPENAI);
        assertThat(Settings.load(Map.of("OPENAI_CLIENT", "openai-java"), NO_ARGS).modelClient())
                .isEqualTo(Settings.ModelClient.OPENAI_JAVA);
        assertThat(Settings.load(Map.of("OPENAI_CLIENT", "azure-ai-openai"), NO_ARGS).modelClient())
                .isEqualTo(Settings.ModelClient.AZURE_AI_OPENAI);
    }

    @Test
    void logs_are_written_as_text_unless_json_is_chosen() {
        assertThat(Settings.load(Map.of(), NO_ARGS).logFormat()).isEqualTo(LogFormat.TEXT);
        assertThat(Settings.load(Map.of("LOG_FORMAT", "json"), NO_ARGS).logFormat()).isEqualTo(LogFormat.JSON);
        assertThat(Settings.load(Map.of("LOG_FORMAT", "text"), NO_ARGS).logFormat()).isEqualTo(LogFormat.TEXT);
    }

    @Test
    void an_unknown_log_format_refuses_to_start_naming_the_setting_and_the_formats() {
        assertThatThrownBy(() -> Settings.load(Map.of("LOG_FORMAT", "logfmt"), NO_ARGS))
                .isInstanceOf(Settings.InvalidSettings.class)
                .hasMessage("LOG_FORMAT must be one of text, json, was 'logfmt'");
    }

    @Test
    void an_unknown_model_client_refuses_to_start_naming_the_setting() {
        assertThatThrownBy(() -> Settings.load(Map.of("OPENAI_CLIENT", "langchain4j"), NO_ARGS))
                .isInstanceOf(Settings.InvalidSettings.class).hasMessageContaining("OPENAI_CLIENT")
                .hasMessageContaining("openai-java").hasMessageContaining("langchain4j");
    }

    @Test
    void both_model_clients_get_the_same_service_key_retries_and_timeout() {
        // given
        Settings settings = Settings.load(Map.of(
                "AZURE_OPENAI_ENDPOINT", "https://example.openai.azure.com", "AZURE_OPENAI_DEPLOYMENT_NAME", "gpt-4o",
                "AZURE_OPENAI_API_KEY", "k-123", "AZURE_OPENAI_API_VERSION", "2025-01-01-preview"), NO_ARGS);
        var model = dev.agentchat.adapter.openai.AzureOpenAiSettings.from(settings.values()::get).orElseThrow();

        // when
        var openAiJava = Main.openAiJava(model);

        // then
        assertThat(openAiJava.endpoint()).isEqualTo(model.endpoint());
        assertThat(openAiJava.apiVersion()).isEqualTo("2025-01-01-preview");
        assertThat(openAiJava.deployment()).isEqualTo("gpt-4o");
        assertThat(openAiJava.apiKey()).contains("k-123");
        assertThat(openAiJava.dialect()).isEqualTo(dev.agentchat.adapter.openaijava.OpenAiJavaSettings.Dialect.AZURE_OPENAI);
        assertThat(openAiJava.retries().maxRetries()).isEqualTo(model.retries().maxRetries());
        assertThat(openAiJava.retries().baseDelay()).isEqualTo(model.retries().baseDelay());
        assertThat(openAiJava.retries().maxDelay()).isEqualTo(model.retries().maxDelay());
        assertThat(openAiJava.readTimeout()).isEqualTo(model.readTimeout());
    }

    @Test
    void the_read_timeout_and_the_connection_cap_are_read_from_their_variables() {
        Settings settings = Settings.load(Map.of("REQUEST_READ_TIMEOUT_SECONDS", "5", "MAX_CONNECTIONS", "64"), NO_ARGS);

        assertThat(settings.requestReadTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.maxConnections()).isEqualTo(64);
    }

    @Test
    void runs_in_flight_get_ten_seconds_to_finish_at_shutdown_unless_set_from_zero_to_an_hour() {
        assertThat(Settings.load(Map.of(), NO_ARGS).drainTime()).isEqualTo(Duration.ofSeconds(10));
        assertThat(Settings.load(Map.of("DRAIN_SECONDS", "0"), NO_ARGS).drainTime()).isEqualTo(Duration.ZERO);
        assertThat(Settings.load(Map.of("DRAIN_SECONDS", "3600"), NO_ARGS).drainTime()).isEqualTo(Duration.ofHours(1));
        for (String bad : new String[] {"-1", "3601", "soon"}) {
            assertThatThrownBy(() -> Settings.load(Map.of("DRAIN_SECONDS", bad), NO_ARGS))
                    .isInstanceOf(Settings.InvalidSettings.class).hasMessageContaining("DRAIN_SECONDS");
        }
    }

    @Test
    void the_limit_on_a_users_runs_in_progress_is_four_unless_set_and_at_least_one() {
        assertThat(Settings.load(Map.of(), NO_ARGS).chat().activeRunLimit().max()).isEqualTo(4);
        assertThat(Settings.load(Map.of("MAX_ACTIVE_RUNS_PER_USER", "2"), NO_ARGS).chat().activeRunLimit().max()).isEqualTo(2);
        assertThatThrownBy(() -> Settings.load(Map.of("MAX_ACTIVE_RUNS_PER_USER", "0"), NO_ARGS))
                .isInstanceOf(Settings.InvalidSettings.class).hasMessageContaining("MAX_ACTIVE_RUNS_PER_USER");
    }

    @Test
    void a_tool_call_waits_fifteen_minutes_for_approval_unless_set_to_a_positive_number_of_seconds() {
        assertThat(Settings.load(Map.of(), NO_ARGS).chat().approvalTimeout()).isEqualTo(Duration.ofSeconds(900));
        assertThat(Settings.load(Map.of("APPROVAL_TIMEOUT_SECONDS", "30"), NO_ARGS).chat().approvalTimeout())
                .isEqualTo(Duration.ofSeconds(30));
        for (String bad : new String[] {"0", "-5", "soon", "1.5"}) {
            assertThatThrownBy(() -> Settings.load(Map.of("APPROVAL_TIMEOUT_SECONDS", bad), NO_ARGS))
                    .isInstanceOf(Settings.InvalidSettings.class).hasMessageContaining("APPROVAL_TIMEOUT_SECONDS")
                    .hasMessageContaining("'" + bad + "'");
        }
    }

    @Test
    void a_tool_call_may_not_wait_for_approval_longer_than_its_run_events_are_kept() {
        assertThat(Settings.load(Map.of("APPROVAL_TIMEOUT_SECONDS", "600", "EVENT_RETENTION_SECONDS", "600"), NO_ARGS)
                .chat().approvalTimeout()).isEqualTo(Duration.ofSeconds(600));
        assertThatThrownBy(() -> Settings.load(Map.of("EVENT_RETENTION_SECONDS", "600"), NO_ARGS))
                .isInstanceOf(Settings.InvalidSettings.class)
                .hasMessageContaining("APPROVAL_TIMEOUT_SECONDS (900) must not exceed EVENT_RETENTION_SECONDS (600)");
        assertThatThrownBy(() -> Settings.load(Map.of("APPROVAL_TIMEOUT_SECONDS", "7200"), NO_ARGS))
                .isInstanceOf(Settings.InvalidSettings.class).hasMessageContaining("EVENT_RETENTION_SECONDS (3600)");
    }

    @Test
    void the_environment_overrides_the_configuration_file(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("agentchat.properties");
        Files.writeString(file, "API_PORT=9000\nAPI_HOST=127.0.0.1\nLOG_LEVEL=debug\n");

        Settings settings = Settings.load(Map.of("API_PORT", "9100", "AGENTCHAT_CONFIG", file.toString()), NO_ARGS);

        assertThat(settings.port()).isEqualTo(9100);
        assertThat(settings.host()).isEqualTo("127.0.0.1");
        assertThat(settings.logLevel()).isEqualTo(Level.FINE);
        assertThat(settings.configFile()).contains(file);
    }

    @Test
    void the_config_argument_names_the_file(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("other.properties");
        Files.writeString(file, "COSMOS_DATABASE_NAME=chats\nAZURE_OPENAI_ENDPOINT=https://example.openai.azure.com\n");

        Settings settings = Settings.load(Map.of(), new String[] {"--config", file.toString()});

        assertThat(settings.values().get("COSMOS_DATABASE_NAME")).contains("chats");
        assertThat(settings.values().get("AZURE_OPENAI_ENDPOINT")).contains("https://example.openai.azure.com");
    }

    @Test
    void a_bad_value_is_refused_with_its_name() {
        assertThatThrownBy(() -> Settings.load(Map.of("API_PORT", "eighty"), NO_ARGS))
                .isInstanceOf(Settings.InvalidSettings.class).hasMessageContaining("API_PORT").hasMessageContaining("eighty");
        assertThatThrownBy(() -> Settings.load(Map.of("API_PORT", "70000"), NO_ARGS))
                .hasMessageContaining("API_PORT");
        assertThatThrownBy(() -> Settings.load(Map.of("LOG_LEVEL", "LOUD"), NO_ARGS))
                .hasMessageContaining("LOG_LEVEL");
        assertThatThrownBy(() -> Settings.load(Map.of(), new String[] {"--config", "/no/such/file.properties"}))
                .hasMessageContaining("/no/such/file.properties");
    }

    @Test
    void blank_variables_count_as_unset() {
        Settings settings = Settings.load(Map.of("API_PORT", " ", "COSMOS_ENDPOINT", ""), NO_ARGS);

        assertThat(settings.port()).isEqualTo(8000);
        assertThat(settings.values().get("COSMOS_ENDPOINT")).isEmpty();
    }
}
