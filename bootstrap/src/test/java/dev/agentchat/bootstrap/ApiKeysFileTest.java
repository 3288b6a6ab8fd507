package dev.agentchat.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code API_KEYS_FILE} turns authentication on; {@code ADMIN_API_KEY} is then the administrator's key. */
class ApiKeysFileTest {
    private static final String SERVICE_KEY = "a-service-key-for-tests-0123";
    private static final String ADMIN_KEY = "an-admin-key-for-tests-0123";

    @TempDir
    Path directory;

    @Test
    void with_a_keys_file_the_api_needs_a_listed_key_and_agent_changes_the_admin_key() throws IOException {
        Path keys = Files.writeString(directory.resolve("api-keys"), "# service callers\n" + sha256(SERVICE_KEY) + " billing-service\n");
        try (ServiceUnderTest service = new ServiceUnderTest(Map.of("API_KEYS_FILE", keys.toString(), "ADMIN_API_KEY", ADMIN_KEY),
                UnaryOperator.identity())) {
            ServiceUnderTest client = service;
            String agent = "{\"id\":\"keyed\",\"name\":\"Keyed\",\"instructions\":\"Answer.\"}";

            HttpResponse<String> anonymous = client.get("/api/agents");
            HttpResponse<String> withKey = client.send(HttpRequest.newBuilder(client.uri("/api/agents"))
                    .header("Authorization", "Bearer " + SERVICE_KEY).GET());
            HttpResponse<String> changeWithServiceKey = client.send(HttpRequest.newBuilder(client.uri("/api/agents"))
                    .header("Authorization", "Bearer " + SERVICE_KEY).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(agent)));
            HttpResponse<String> changeWithAdminKey = client.send(HttpRequest.newBuilder(client.uri("/api/agents"))
                    .header("Authorization", "Bearer " + ADMIN_KEY).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(agent)));

            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("WWW-Authenticate")).contains("Bearer");
            assertThat(withKey.statusCode()).isEqualTo(200);
            assertThat(changeWithServiceKey.statusCode()).isEqualTo(403);
            assertThat(changeWithAdminKey.statusCode()).isEqualTo(201);
            assertThat(client.get("/health").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void a_keys_file_with_a_line_that_is_no_entry_stops_the_start() throws IOException {
        Path keys = Files.writeString(directory.resolve("api-keys"), "the-key-in-clear billing-service\n");

        assertThatThrownBy(() -> new ServiceUnderTest(Map.of("API_KEYS_FILE", keys.toString()), UnaryOperator.identity()).close())
                .isInstanceOf(Settings.InvalidSettings.class).hasMessageContaining("API_KEYS_FILE").hasMessageContaining("line 1")
                .hasMessageNotContaining("the-key-in-clear");
    }

    private static String sha256(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
