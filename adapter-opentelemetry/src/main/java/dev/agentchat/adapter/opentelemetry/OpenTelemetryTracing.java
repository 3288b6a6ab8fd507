package dev.agentchat.adapter.opentelemetry;

import dev.agentchat.ports.telemetry.Observation;
import dev.agentchat.ports.telemetry.Telemetry;
import dev.agentchat.ports.telemetry.Work;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The telemetry port as OpenTelemetry traces: each piece of work a span, as the semantic conventions for
 * HTTP, generative AI (agents, inference, tools), databases and MCP name and describe it, exported over OTLP.
 *
 * <p>The SDK is its own, never the global one: the service's other parts do not trace through
 * {@code GlobalOpenTelemetry}, and tests build several side by side. Every method returns at once and
 * throws nothing (a fault while tracing loses a span, never a turn); work is described only on spans that
 * record, so an unsampled turn costs little more than the calls.
 */
public final class OpenTelemetryTracing implements Telemetry, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(OpenTelemetryTracing.class.getName());
    /** The instrumentation scope the spans are made in. */
    static final String SCOPE = "dev.agentchat";
    /** How long closing waits for the last spans to be sent. */
    private static final long CLOSE_WAIT_SECONDS = 10;

    private final OpenTelemetrySdk sdk;
    private final WorkSpans spans;
    private final String exporter;

    private OpenTelemetryTracing(OpenTelemetrySdk sdk, boolean captureContent, String exporter) {
        this.sdk = Objects.requireNonNull(sdk, "sdk");
        this.spans = new WorkSpans(sdk.getTracer(SCOPE), captureContent);
        this.exporter = exporter;
    }

    /**
     * Tracing as the standard {@code OTEL_*} variables of {@code env} configure it (the exporter's endpoint,
     * protocol, headers and timeout, the sampler, the service's name and resource attributes, the batch
     * processor), through the SDK's autoconfiguration; {@code OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT}
     * {@code true} puts message contents and tool arguments and results on the spans. The protocol is
     * {@code http/protobuf} unless {@code OTEL_EXPORTER_OTLP_PROTOCOL} says {@code grpc}, as the specification has it
     * (the SDK's own default is still {@code grpc}). The SDK reads the process's own environment and system
     * properties too; {@code env} wins over them.
     *
     * @return empty, tracing off, unless an OTLP endpoint is set ({@code OTEL_EXPORTER_OTLP_ENDPOINT} or
     *         {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}), or when {@code OTEL_SDK_DISABLED} is {@code true}
     *         or {@code OTEL_TRACES_EXPORTER} is {@code none}
     * @throws IllegalArgumentException naming the variable, when one has a value tracing cannot work with
     */
    public static Optional<OpenTelemetryTracing> fromEnvironment(Map<String, String> env) {
        TracingSettings settings = TracingSettings.from(env);
        if (!settings.on()) {
            return Optional.empty();
        }
        AtomicReference<SpanExporter> exporter = new AtomicReference<>();
        try {
            OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
                    .disableShutdownHook()   // the service closes it, after its last requests
                    .addPropertiesCustomizer(config -> settings.properties())
                    .addResourceCustomizer((resource, config) -> TracingSettings.namedByDefault(resource))
                    .addSpanExporterCustomizer((configured, config) -> {
                        exporter.set(configured);
                        return configured;
                    })
                    .build()
                    .getOpenTelemetrySdk();
            return Optional.of(new OpenTelemetryTracing(sdk, settings.captureContent(), String.valueOf(exporter.get())));
        } catch (ConfigurationException e) {
            throw settings.refused(e);
        }
    }

    /** Tracing through {@code sdk} as it is built (its processors and exporters: an in-memory one, say); closing closes it. */
    public static OpenTelemetryTracing of(OpenTelemetrySdk sdk, boolean captureContent) {
        return new OpenTelemetryTracing(sdk, captureContent, "given");
    }

    @Override
    public Observation begin(Work work, Observation parent) {
        try {
            Context within = parent instanceof Traced traced ? traced.context()
                    // A server span's parent is its caller (the trace context it sent), not what the thread has current.
                    : work instanceof Work.HttpRequest ? Context.root() : Context.current();
            Span span = switch (work) {
                case Work.HttpRequest request -> spans.httpRequest(request, within);
                case Work.AgentRun run -> spans.agentRun(run, within);
                case Work.ModelCall call -> spans.modelCall(call, within);
                case Work.ToolCall call -> spans.toolCall(call, within);
                case Work.StoreCall call -> spans.storeCall(call, within);
                case Work.ToolServerCall call -> spans.toolServerCall(call, within);
                // An open stream is no unit of work a trace shows: its request's span covers it.
                case Work.EventStream stream -> null;
            };
            if (span == null) {
                return Observation.NONE;
            }
            return new SpanObservation(span, within, work, spans.capturesContent());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "Could not begin a span", e);
            return Observation.NONE;
        }
    }

    @Override
    public Observation current() {
        return new Traced.Current(Context.current());
    }

    /** The trace and span ids of the span current on this thread, if one is: for the log lines written meanwhile. */
    public Optional<TraceIds> currentIds() {
        SpanContext current = Span.current().getSpanContext();
        return current.isValid() ? Optional.of(new TraceIds(current.getTraceId(), current.getSpanId())) : Optional.empty();
    }

    /** Whether message contents and tool arguments and results go on the spans. */
    public boolean capturesContent() {
        return spans.capturesContent();
    }

    /** The exporter the environment configured, as the SDK describes it (its kind and endpoint). */
    String exporter() {
        return exporter;
    }

    /** Sends the spans not sent yet and shuts the SDK down, waiting a bounded time for both. */
    @Override
    public void close() {
        CompletableResultCode shutdown = sdk.shutdown().join(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
        if (!shutdown.isSuccess()) {
            LOG.log(System.Logger.Level.WARNING, "Tracing did not shut down cleanly within " + CLOSE_WAIT_SECONDS
                    + " seconds: some spans may not have been sent");
        }
    }
}
