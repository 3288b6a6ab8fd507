package dev.agentchat.adapter.mcp;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/** One MCP server of the {@code mcpServers} file: a local process spoken to over stdio, or a Streamable HTTP endpoint. */
public sealed interface McpServer {
    /** Letters, digits, '_' and '-', as in a model's tool names, so that a server's name can lead its tools' names. */
    Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    String name();

    /** A server this service starts as a process and speaks to over its standard input and output. */
    record Stdio(String name, String command, List<String> args, Map<String, String> env) implements McpServer {
        public Stdio {
            requireName(name);
            Objects.requireNonNull(command, "command");
            args = List.copyOf(args);
            env = Map.copyOf(env);
        }
    }

    /** A server at a Streamable HTTP endpoint, with the headers every request carries (e.g. an API key). */
    record Http(String name, URI url, Map<String, String> headers) implements McpServer {
        public Http {
            requireName(name);
            Objects.requireNonNull(url, "url");
            headers = Map.copyOf(headers);
        }
    }

    private static void requireName(String name) {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a server name has 1 to 64 letters, digits, '_' or '-', was '" + name + "'");
        }
    }
}
