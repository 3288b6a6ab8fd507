package dev.agentchat.adapter.opentelemetry;

import com.google.protobuf.ByteString;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;

/**
 * An OTLP/HTTP trace receiver on loopback, as a collector would be: it takes the spans an exporter posts to
 * {@code /v1/traces} (protobuf, plain or gzip), answers as a collector answers, and keeps them, decoded with the
 * protocol's own classes, for a test to look at. Shared with other modules' tests through this module's test-jar
 * (they need {@code opentelemetry-proto} and {@code protobuf-java} on their test classpath too).
 *
 * <pre>{@code
 * try (OtlpReceiver collector = OtlpReceiver.start()) {
 *     env.put("OTEL_EXPORTER_OTLP_ENDPOINT", collector.endpoint());
 *     ...
 *     await().until(() -> collector.spanNamed("invoke_agent helper").isPresent());
 * }
 * }</pre>
 */
public final class OtlpReceiver implements AutoCloseable {
    private static final String TRACES = "/v1/traces";

    private final HttpServer server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();
    private final List<String> failures = new CopyOnWriteArrayList<>();

    private OtlpReceiver(HttpServer server) {
        this.server = server;
        server.createContext("/", this::receive);
        server.setExecutor(threads);
        server.start();
    }

    /** A receiver listening on a free loopback port; fails with the reason when it cannot listen. */
    public static OtlpReceiver start() {
        try {
            return new OtlpReceiver(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
        } catch (IOException e) {
            throw new UncheckedIOException("The OTLP receiver could not listen on a loopback port", e);
        }
    }

    /** The base address an exporter is given ({@code OTEL_EXPORTER_OTLP_ENDPOINT}): it posts to {@code /v1/traces} under it. */
    public String endpoint() {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort();
    }

    /** Every span received so far, in the order received. */
    public List<ReceivedSpan> spans() {
        return List.copyOf(spans);
    }

    /** The first span received with {@code name}, if one was. */
    public Optional<ReceivedSpan> spanNamed(String name) {
        return spans.stream().filter(span -> span.name().equals(name)).findFirst();
    }

    /** What the receiver refused, and why (a wrong path, a body it could not decode): empty when all went well. */
    public List<String> failures() {
        return List.copyOf(failures);
    }

    @Override
    public void close() {
        server.stop(0);
        threads.close();
    }

    private void receive(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("POST") || !exchange.getRequestURI().getPath().equals(TRACES)) {
                failures.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + ": not the traces path");
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            ExportTraceServiceRequest request;
            try (InputStream body = decoded(exchange)) {
                request = ExportTraceServiceRequest.parseFrom(body);
            } catch (IOException e) {
                failures.add("a body that is no trace export request: " + e.getMessage());
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            keep(request);
            byte[] answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) {
                exchange.getResponseBody().write(answer);
            }
        }
    }

    private static InputStream decoded(HttpExchange exchange) throws IOException {
        String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
        return "gzip".equalsIgnoreCase(encoding) ? new GZIPInputStream(exchange.getRequestBody()) : exchange.getRequestBody();
    }

    private void keep(ExportTraceServiceRequest request) {
        for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
            Map<String, Object> resource = attributes(resourceSpans.getResource());
            for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
                for (Span span : scopeSpans.getSpansList()) {
                    spans.add(new ReceivedSpan(resource, scopeSpans.getScope().getName(), span.getName(),
                            span.getKind().name().replace("SPAN_KIND_", ""), hex(span.getTraceId()), hex(span.getSpanId()),
                            hex(span.getParentSpanId()), attributes(span.getAttributesList()),
                            span.getStatus().getCode().name().replace("STATUS_CODE_", ""),
                            span.getLinksList().stream().map(link -> hex(link.getSpanId())).toList()));
                }
            }
        }
    }

    private static Map<String, Object> attributes(Resource resource) {
        return attributes(resource.getAttributesList());
    }

    private static Map<String, Object> attributes(List<KeyValue> pairs) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        for (KeyValue pair : pairs) {
            attributes.put(pair.getKey(), value(pair.getValue()));
        }
        return attributes;
    }

    private static Object value(AnyValue value) {
        return switch (value.getValueCase()) {
            case STRING_VALUE -> value.getStringValue();
            case BOOL_VALUE -> value.getBoolValue();
            case INT_VALUE -> value.getIntValue();
            case DOUBLE_VALUE -> value.getDoubleValue();
            case ARRAY_VALUE -> value.getArrayValue().getValuesList().stream().map(OtlpReceiver::value).toList();
            case KVLIST_VALUE -> attributes(value.getKvlistValue().getValuesList());
            case BYTES_VALUE -> hex(value.getBytesValue());
            case STRING_VALUE_STRINDEX, VALUE_NOT_SET -> "";
        };
    }

    private static String hex(ByteString bytes) {
        return HexFormat.of().formatHex(bytes.toByteArray());
    }

    /**
     * One span as it arrived.
     *
     * @param resource     its resource's attributes ({@code service.name}, ...)
     * @param scope        the name of the instrumentation scope that made it
     * @param kind         {@code SERVER}, {@code CLIENT}, {@code INTERNAL}, ...
     * @param parentSpanId empty for a root span
     * @param attributes   strings, booleans, longs, doubles, and lists of them
     * @param status       {@code UNSET}, {@code OK} or {@code ERROR}
     * @param linkedSpanIds the span ids of its links
     */
    public record ReceivedSpan(Map<String, Object> resource, String scope, String name, String kind, String traceId,
                               String spanId, String parentSpanId, Map<String, Object> attributes, String status,
                               List<String> linkedSpanIds) {
        public ReceivedSpan {
            resource = Map.copyOf(resource);
            Objects.requireNonNull(name, "name");
            attributes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
            linkedSpanIds = List.copyOf(linkedSpanIds);
        }

        /** An attribute's value, if the span has it. */
        public Optional<Object> attribute(String key) {
            return Optional.ofNullable(attributes.get(key));
        }
    }
}
