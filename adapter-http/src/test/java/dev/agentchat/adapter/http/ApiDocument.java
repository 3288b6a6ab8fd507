package dev.agentchat.adapter.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;

/**
 * The OpenAPI document served at /openapi, as a test oracle: every answer a test receives is held
 * against the response its (path, method, status, media type) documents, and its JSON body (a
 * problem, a page, each event of a stream) is validated against that response's schema by
 * networknt's JSON Schema validator in its OpenAPI 3.0 dialect. An answer with a status the
 * operation does not document fails the test that received it.
 */
public final class ApiDocument {
    private static final String DOCUMENT = "META-INF/openapi.yaml";
    /** The name the document is known by inside the validator; nothing is fetched from it. */
    private static final String ID = "https://agentchat.dev/openapi.json";
    /** What is served beside the API: the document itself and its UI, which are not described in it. */
    private static final List<String> DOCUMENTATION = List.of("/openapi", "/docs");
    private static final List<String> METHODS = List.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern REQUEST_LINE = Pattern.compile("([A-Z]+) (/[^ ?#\\r\\n]*)[^ \\r\\n]* HTTP/1\\.1\\r\\n");
    private static final ApiDocument INSTANCE = new ApiDocument();

    private final JsonNode document;
    private final SchemaRegistry schemas;
    private final Map<String, Schema> byPointer = new ConcurrentHashMap<>();
    private final List<Template> templates = new ArrayList<>();
    private final AtomicInteger bodies = new AtomicInteger();
    private final AtomicInteger events = new AtomicInteger();
    private final Map<String, AtomicInteger> eventsByType = new ConcurrentHashMap<>();

    /** A documented path, as a pattern that a request's path matches. */
    private record Template(String path, Pattern pattern) {
    }

    private ApiDocument() {
        Object yaml = new Yaml().load(text(DOCUMENT));
        this.document = JSON.valueToTree(yaml);
        this.schemas = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi30(),
                builder -> builder.schemas(Map.of(ID, document.toString())));
        document.path("paths").fieldNames().forEachRemaining(path -> templates.add(new Template(path,
                Pattern.compile(Pattern.quote(path).replaceAll("\\{[^}/]+}", "\\\\E[^/]+\\\\Q")))));
        Runtime.getRuntime().addShutdownHook(new Thread(this::writeCounts, "api-document-counts"));
    }

    /** The document, read once for the whole test run. */
    public static ApiDocument get() {
        return INSTANCE;
    }

    /** The documented operations, as "METHOD /path/{template}". */
    public List<String> operations() {
        List<String> operations = new ArrayList<>();
        document.path("paths").properties().forEach(path -> path.getValue().fieldNames().forEachRemaining(method -> {
            if (METHODS.contains(method)) {
                operations.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
            }
        }));
        return operations;
    }

    /**
     * Whether a path is one of the web UI's: its page's addresses, its files. They are pages, not operations, so
     * the document leaves them out as it does {@code /docs}; only a refusal there is held to it.
     */
    private static boolean isWebUi(String path) {
        return path.equals("/") || path.startsWith("/agents/") || path.startsWith("/assets/") || path.equals("/favicon.svg");
    }

    /** The documented path a request's path falls under. */
    public Optional<String> template(String requestPath) {
        String path = routedPath(requestPath);
        return templates.stream().filter(template -> template.pattern().matcher(path).matches()).map(Template::path)
                .findFirst();
    }

    /**
     * Fails unless the answer is one the document describes: its status documented for the operation
     * and its JSON body valid against the schema of that status and media type. A method the path does
     * not document, or a path it does not document, may only be refused with a problem.
     */
    public void checkAnswer(String method, String requestPath, int status, String contentType, String body) {
        String media = mediaType(contentType);
        String what = method + " " + requestPath + " answered " + status + " " + media;
        String routed = routedPath(requestPath);
        if (DOCUMENTATION.stream().anyMatch(routed::startsWith)) {
            return;
        }
        if (isWebUi(routed)) {
            checkRefusal(status, contentType, body);
            return;
        }
        Optional<JsonNode> operation = template(requestPath).map(path -> document.path("paths").path(path)
                .path(documentedMethod(method))).filter(JsonNode::isObject);
        if (operation.isEmpty()) {
            assertThat(status >= 400, what + ": only a refusal may answer what the document does not describe");
            if (!body.isEmpty()) {
                assertThat(media.equals("application/problem+json"), what + ": a refusal must be a problem");
                validate("/components/schemas/Problem", body, what);
            }
            return;
        }
        JsonNode response = resolve(operation.get().path("responses").path(String.valueOf(status)));
        assertThat(!response.isMissingNode(), what + ": the document gives no response " + status + " for this operation");
        if (body.isEmpty() || !media.endsWith("json")) {
            return;
        }
        JsonNode content = response.path("content").path(media);
        assertThat(!content.isMissingNode(), what + ": the document gives response " + status + " no " + media + " body");
        validate(schemaPointer(content, what), body, what);
        bodies.incrementAndGet();
    }

    /**
     * Checks the answer to a request written byte for byte: as {@link #checkAnswer} when it begins with a
     * well-formed request line, else (a request the server cannot route) as {@link #checkRefusal}.
     */
    public void checkRawAnswer(String request, int status, String contentType, String body) {
        Matcher line = REQUEST_LINE.matcher(request);
        if (line.lookingAt()) {
            checkAnswer(line.group(1), line.group(2), status, contentType, body);
        } else {
            checkRefusal(status, contentType, body);
        }
    }

    /**
     * Fails unless a JSON answer to a request written by hand (often one no route ever sees: a malformed
     * request refused at the connection's edge) is a problem valid against the document's Problem schema.
     */
    public void checkRefusal(int status, String contentType, String body) {
        String media = mediaType(contentType);
        if (body.isEmpty() || !media.endsWith("json")) {
            return;
        }
        String what = "an answer " + status + " " + media + " to a raw request";
        if (status >= 400) {
            assertThat(media.equals("application/problem+json"), what + ": a refusal must be a problem");
            validate("/components/schemas/Problem", body, what);
            bodies.incrementAndGet();
        }
    }

    /** Fails unless {@code data}, one event of the stream the request opened, is valid against the stream's schema. */
    public void checkEvent(String method, String requestPath, String data) {
        String what = "an event of " + method + " " + requestPath;
        String path = template(requestPath).orElseThrow(() -> new AssertionError(what + ": no documented path"));
        JsonNode content = resolve(document.path("paths").path(path).path(documentedMethod(method)).path("responses")
                .path("200")).path("content").path("text/event-stream");
        assertThat(!content.isMissingNode(), what + ": the document gives it no event stream");
        validate(schemaPointer(content, what), data, what + ": " + data);
        events.incrementAndGet();
        eventsByType.computeIfAbsent(typeOf(data), key -> new AtomicInteger()).incrementAndGet();
    }

    /** How many bodies and events were validated so far. */
    public String counts() {
        return bodies.get() + " bodies and " + events.get() + " events " + new TreeMap<>(eventsByType)
                + " validated against the OpenAPI document";
    }

    private static String typeOf(String event) {
        try {
            return JSON.readTree(event).path("type").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void validate(String pointer, String json, String what) {
        Schema schema = byPointer.computeIfAbsent(pointer, at -> schemas.getSchema(SchemaLocation.of(ID + "#" + at)));
        List<Error> errors = schema.validate(json, InputFormat.JSON);
        assertThat(errors.isEmpty(), what + ": the body does not match " + pointer + ": " + errors + "\n" + json);
    }

    /** Response schemas are named, so that a body is checked against one definition a reader can find. */
    private static String schemaPointer(JsonNode content, String what) {
        String ref = content.path("schema").path("$ref").asText("");
        assertThat(ref.startsWith("#/components/schemas/"), what + ": the body's schema should be a $ref to a named schema");
        return ref.substring(1);
    }

    private JsonNode resolve(JsonNode node) {
        JsonNode resolved = node;
        while (resolved.has("$ref")) {
            resolved = document.at(resolved.get("$ref").asText().substring(1));
        }
        return resolved;
    }

    /**
     * The path as the server routes it: without its query, with its dot segments removed (RFC 3986
     * section 5.2.4) and empty ones dropped, then percent-decoded, so that {@code //api/./agents/} is
     * {@code /api/agents}.
     */
    private static String routedPath(String requestPath) {
        Deque<String> segments = new ArrayDeque<>();
        for (String segment : requestPath.split("[?#]", 2)[0].split("/")) {
            if (segment.isEmpty()) {
                continue;
            }
            if (segment.equals("..")) {
                segments.pollLast();
            } else if (!segment.equals(".")) {
                segments.addLast(decoded(segment));
            }
        }
        return "/" + String.join("/", segments);
    }

    /** Dot segments are removed before decoding: an encoded dot ({@code %2e}) is a name, not a step. */
    private static String decoded(String segment) {
        try {
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return segment;
        }
    }

    /** HEAD is answered wherever GET is, as the document's description says. */
    private static String documentedMethod(String method) {
        String lower = method.toLowerCase(Locale.ROOT);
        return lower.equals("head") ? "get" : lower;
    }

    private static String mediaType(String contentType) {
        return contentType == null ? "" : contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    }

    private static void assertThat(boolean holds, String otherwise) {
        if (!holds) {
            throw new AssertionError(otherwise);
        }
    }

    /** Leaves the counts where a reader of the build can see that the checks ran. */
    private void writeCounts() {
        try {
            Path target = Path.of("target");
            if (Files.isDirectory(target)) {
                Files.writeString(target.resolve("api-document-checks.txt"), counts() + "\n");
            }
        } catch (IOException e) {
            // only a report
        }
    }

    private static String text(String resource) {
        try (InputStream in = ApiDocument.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no " + resource + " on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
