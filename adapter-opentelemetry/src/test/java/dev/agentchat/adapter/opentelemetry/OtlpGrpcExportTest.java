package dev.agentchat.adapter.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentchat.ports.telemetry.Outcome;
import dev.agentchat.ports.telemetry.Work;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Headers;
import okhttp3.Protocol;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Tracing over OTLP's {@code grpc} protocol, to a receiver on loopback that speaks gRPC as a collector does:
 * cleartext HTTP/2, the export request in one length-prefixed message, the status in the trailers.
 */
class OtlpGrpcExportTest {
    private static final String EXPORT = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";

    private final List<ExportTraceServiceRequest> received = new CopyOnWriteArrayList<>();
    private final List<String> refused = new CopyOnWriteArrayList<>();
    private final MockWebServer collector = new MockWebServer();

    @AfterEach
    void stopCollector() {
        collector.close();
    }

    @Test
    void the_grpc_protocol_sends_the_spans_to_a_grpc_collector() throws IOException {
        collector.setProtocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE));
        collector.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return export(request);
            }
        });
        collector.start(InetAddress.getLoopbackAddress(), 0);
        OpenTelemetryTracing tracing = OpenTelemetryTracing.fromEnvironment(Map.of(
                "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + collector.getPort(),
                "OTEL_EXPORTER_OTLP_PROTOCOL", "grpc",
                "OTEL_BSP_SCHEDULE_DELAY", "3600000")).orElseThrow();
        tracing.begin(new Work.HttpRequest("GET", name -> Optional.empty())).end(new Outcome.Responded(200, Optional.of("/health")));

        tracing.close();   // sends what the batch holds

        assertThat(refused).isEmpty();
        assertThat(received).flatExtracting(request -> request.getResourceSpansList().stream()
                        .flatMap(spans -> spans.getScopeSpansList().stream()).flatMap(spans -> spans.getSpansList().stream())
                        .toList())
                .singleElement().satisfies(span -> {
                    assertThat(span.getName()).isEqualTo("GET /health");
                    assertThat(span.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
                });
    }

    /** One export call: its message decoded and kept, answered with an empty response and an OK status. */
    private MockResponse export(RecordedRequest request) {
        byte[] body = request.getBody() == null ? new byte[0] : request.getBody().toByteArray();
        if (!EXPORT.equals(request.getUrl().encodedPath()) || body.length < 5 || body[0] != 0
                || ByteBuffer.wrap(body, 1, 4).getInt() != body.length - 5) {
            refused.add(request.getRequestLine() + " with " + body.length + " bytes");
            return new MockResponse.Builder().code(404).build();
        }
        try {
            received.add(ExportTraceServiceRequest.parseFrom(Arrays.copyOfRange(body, 5, body.length)));
        } catch (IOException e) {
            refused.add("an export request that does not decode: " + e.getMessage());
        }
        return new MockResponse.Builder().code(200).addHeader("content-type", "application/grpc")
                .body(new Buffer().writeByte(0).writeInt(0))   // not compressed, and empty: an ExportTraceServiceResponse
                .trailers(Headers.of("grpc-status", "0")).build();
    }
}
