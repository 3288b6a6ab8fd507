package dev.agentchat.adapter.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class McpServersTest {
    @TempDir
    Path folder;

    private Path file(String json) throws IOException {
        return Files.writeString(folder.resolve("mcp.json"), json);
    }

    @Test
    void a_local_server_has_its_command_arguments_and_environment() throws IOException {
        // given
        Path file = file("""
                {"mcpServers": {"files": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem", "/data"],
                                          "env": {"LOG_LEVEL": "debug"}}}}""");

        // when
        McpServers servers = McpServers.read(file, Map.of());

        // then
        assertThat(servers.servers()).containsExactly(new McpServer.Stdio("files", "npx",
                List.of("-y", "@modelcontextprotocol/server-filesystem", "/data"), Map.of("LOG_LEVEL", "debug")));
    }

    @Test
    void a_remote_server_has_its_url_and_headers() throws IOException {
        // given
        Path file = file("""
                {"mcpServers": {"azure": {"url": "https://mcp.example.com/mcp", "headers": {"X-Api-Key": "k"}}}}""");

        // when
        McpServers servers = McpServers.read(file, Map.of());

        // then
        assertThat(servers.servers()).containsExactly(
                new McpServer.Http("azure", URI.create("https://mcp.example.com/mcp"), Map.of("X-Api-Key", "k")));
    }

    @Test
    void servers_keep_the_order_of_the_file() throws IOException {
        // given
        Path file = file("""
                {"mcpServers": {"b": {"command": "b"}, "a": {"url": "http://localhost:1/mcp"}, "c": {"command": "c"}}}""");

        // when
        McpServers servers = McpServers.read(file, Map.of());

        // then
        assertThat(servers.servers()).extracting(McpServer::name).containsExactly("b", "a", "c");
    }

    @Test
    void variables_are_replaced_from_the_environment_in_every_string() throws IOException {
        // given
        Path file = file("""
                {"mcpServers": {
                  "local": {"command": "${HOME_DIR}/bin/server", "args": ["--token=${TOKEN}"], "env": {"KEY": "${TOKEN}"}},
                  "remote": {"url": "https://${HOST}/mcp", "headers": {"Authorization": "Bearer ${TOKEN}"}}}}""");
        Map<String, String> environment = Map.of("HOME_DIR", "/opt", "TOKEN", "s3cr$t", "HOST", "mcp.example.com");

        // when
        McpServers servers = McpServers.read(file, environment);

        // then
        assertThat(servers.servers()).containsExactly(
                new McpServer.Stdio("local", "/opt/bin/server", List.of("--token=s3cr$t"), Map.of("KEY", "s3cr$t")),
                new McpServer.Http("remote", URI.create("https://mcp.example.com/mcp"), Map.of("Authorization", "Bearer s3cr$t")));
    }

    @Test
    void a_missing_variable_is_an_error_naming_it_the_file_the_server_and_the_member() throws IOException {
        // given
        Path file = file("""
                {"mcpServers": {"remote": {"url": "https://mcp.example.com/mcp", "headers": {"Authorization": "Bearer ${API_TOKEN}"}}}}""");

        // when / then
        assertThatThrownBy(() -> McpServers.read(file, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("\"remote\"")
                .hasMessageContaining("headers.Authorization").hasMessageContaining("API_TOKEN");
    }

    @Test
    void a_server_with_both_command_and_url_is_an_error() throws IOException {
        // given
        Path file = file("""
                {"mcpServers": {"both": {"command": "x", "url": "http://localhost:1/mcp"}}}""");

        // when / then
        assertThatThrownBy(() -> McpServers.read(file, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("\"both\"").hasMessageContaining("both \"command\" and \"url\"");
    }

    @Test
    void a_server_with_neither_command_nor_url_is_an_error() throws IOException {
        // given
        Path file = file("""
                {"mcpServers": {"neither": {"args": ["x"]}}}""");

        // when / then
        assertThatThrownBy(() -> McpServers.read(file, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"neither\"").hasMessageContaining("neither \"command\"");
    }

    @Test
    void a_server_name_outside_the_rule_is_an_error() throws IOException {
        for (String name : List.of("has space", "a/b", "x".repeat(65), "")) {
            // given
            Path file = file("{\"mcpServers\": {\"" + name + "\": {\"command\": \"x\"}}}");

            // when / then
            assertThatThrownBy(() -> McpServers.read(file, Map.of())).as(name)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("\"" + name + "\"").hasMessageContaining("member \"name\"");
        }
    }

    @Test
    void members_of_the_wrong_type_are_errors_naming_them() throws IOException {
        Map<String, String> entries = Map.of(
                "{\"command\": 3}", "command",
                "{\"command\": \"x\", \"args\": \"-v\"}", "args",
                "{\"command\": \"x\", \"env\": {\"A\": 1}}", "env.A",
                "{\"url\": \"ftp://example.com/mcp\"}", "url",
                "{\"url\": \"https://example.com/mcp\", \"headers\": []}", "headers");
        for (Map.Entry<String, String> entry : entries.entrySet()) {
            // given
            Path file = file("{\"mcpServers\": {\"s\": " + entry.getKey() + "}}");

            // when / then
            assertThatThrownBy(() -> McpServers.read(file, Map.of())).as(entry.getKey())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("member \"" + entry.getValue() + "\"");
        }
    }

    @Test
    void a_file_that_is_not_the_mcp_servers_shape_is_an_error_naming_it() throws IOException {
        for (String json : List.of("not json", "{\"servers\": {}}", "[]", "{\"mcpServers\": []}")) {
            // given
            Path file = file(json);

            // when / then
            assertThatThrownBy(() -> McpServers.read(file, Map.of())).as(json)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(file.toString());
        }
    }

    @Test
    void a_missing_file_is_an_error_naming_it() {
        Path missing = folder.resolve("missing.json");

        assertThatThrownBy(() -> McpServers.read(missing, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(missing.toString());
    }
}
