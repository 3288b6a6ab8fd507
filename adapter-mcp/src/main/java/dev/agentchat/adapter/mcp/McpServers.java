package dev.agentchat.adapter.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Map.Entry;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The MCP servers whose tools agents may use, as read from a file in the {@code mcpServers} shape other MCP clients
 * read too: {@code {"mcpServers": {"NAME": {"command": "...", "args": [...], "env": {...}}}}} for a local server and
 * {@code {"mcpServers": {"NAME": {"url": "https://.../mcp", "headers": {...}}}}} for a remote one. Any string value
 * may name environment variables as {@code ${VAR}}, so that secrets stay out of the file.
 */
public record McpServers(List<McpServer> servers) {
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}]*)}");

    public McpServers {
        servers = List.copyOf(servers);
    }

    /** No servers: the service offers only its own tools. */
    public static McpServers none() {
        return new McpServers(List.of());
    }

    /**
     * Reads {@code file}. Every problem is an {@link IllegalArgumentException} whose message names the file, and the
     * server and member at fault, so that a person can fix the file from the message alone.
     */
    public static McpServers read(Path file, Map<String, String> environment) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + ": not JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot be read: " + e.getMessage(), e);
        }
        JsonNode servers = root == null ? null : root.get("mcpServers");
        if (servers == null || !servers.isObject()) {
            throw new IllegalArgumentException(file + ": has no \"mcpServers\" object");
        }
        List<McpServer> read = new ArrayList<>();
        for (Entry<String, JsonNode> server : servers.properties()) {
            read.add(new ServerEntry(file, server.getKey(), environment).server(server.getValue()));
        }
        return new McpServers(read);
    }

    /** Reads one server's entry, naming the file and the server in every complaint. */
    private record ServerEntry(Path file, String name, Map<String, String> environment) {

        McpServer server(JsonNode entry) {
            if (!McpServer.NAME.matcher(name).matches()) {
                throw problem("name", "a server name has 1 to 64 letters, digits, '_' or '-'");
            }
            if (!entry.isObject()) {
                throw problem(null, "is not an object");
            }
            boolean local = entry.has("command");
            boolean remote = entry.has("url");
            if (local == remote) {
                throw problem(null, local
                        ? "has both \"command\" and \"url\"; a server is either a local process or a remote endpoint"
                        : "has neither \"command\" (a local server) nor \"url\" (a remote one)");
            }
            return local
                    ? new McpServer.Stdio(name, text(entry, "command"), texts(entry, "args"), textMap(entry, "env"))
                    : new McpServer.Http(name, url(entry), textMap(entry, "headers"));
        }

        private URI url(JsonNode entry) {
            String url = text(entry, "url");
            try {
                URI uri = new URI(url);
                if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                    throw problem("url", "is not an http or https URL: " + url);
                }
                return uri;
            } catch (URISyntaxException e) {
                throw problem("url", "is not a URL: " + e.getMessage());
            }
        }

        private String text(JsonNode entry, String member) {
            JsonNode value = entry.get(member);
            if (value == null || !value.isTextual() || value.asText().isBlank()) {
                throw problem(member, "must be a non-empty string");
            }
            return substitute(value.asText(), member);
        }

        private List<String> texts(JsonNode entry, String member) {
            JsonNode value = entry.get(member);
            if (value == null) {
                return List.of();
            }
            if (!value.isArray()) {
                throw problem(member, "must be an array of strings");
            }
            List<String> texts = new ArrayList<>();
            for (JsonNode item : value) {
                if (!item.isTextual()) {
                    throw problem(member, "must be an array of strings");
                }
                texts.add(substitute(item.asText(), member));
            }
            return texts;
        }

        private Map<String, String> textMap(JsonNode entry, String member) {
            JsonNode value = entry.get(member);
            if (value == null) {
                return Map.of();
            }
            if (!value.isObject()) {
                throw problem(member, "must be an object of strings");
            }
            Map<String, String> map = new LinkedHashMap<>();
            for (Entry<String, JsonNode> item : value.properties()) {
                if (!item.getValue().isTextual()) {
                    throw problem(member + "." + item.getKey(), "must be a string");
                }
                map.put(item.getKey(), substitute(item.getValue().asText(), member + "." + item.getKey()));
            }
            return map;
        }

        /** Replaces each {@code ${VAR}} with the variable's value; a variable that is not set is an error, not "". */
        private String substitute(String value, String member) {
            Matcher matcher = VARIABLE.matcher(value);
            StringBuilder result = new StringBuilder();
            while (matcher.find()) {
                String variable = matcher.group(1);
                String replacement = environment.get(variable);
                if (replacement == null) {
                    throw problem(member, "names the environment variable " + variable + ", which is not set");
                }
                matcher.appendReplacement(result, Matcher.quoteReplacement(replacement));
            }
            return matcher.appendTail(result).toString();
        }

        private IllegalArgumentException problem(String member, String what) {
            return new IllegalArgumentException(file + ": server \"" + name + "\""
                    + (member == null ? "" : ", member \"" + member + "\"") + ": " + what);
        }
    }
}
