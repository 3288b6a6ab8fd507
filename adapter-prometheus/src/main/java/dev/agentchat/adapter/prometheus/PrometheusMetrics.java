package dev.agentchat.adapter.prometheus;

import dev.agentchat.ports.telemetry.Observation;
import dev.agentchat.ports.telemetry.Outcome;
import dev.agentchat.ports.telemetry.ReadMetrics;
import dev.agentchat.ports.telemetry.Telemetry;
import dev.agentchat.ports.telemetry.Work;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The service's metrics, in one Micrometer Prometheus registry: what it is told through the {@link Telemetry}
 * port (model calls and their tokens, runs, tool calls, store and tool server operations, HTTP requests,
 * event streams) beside the JVM's and the process's, read by {@link #scrape} in the Prometheus text format.
 *
 * <p>The names are OpenTelemetry's semantic conventions' where they have one, written as Micrometer's Prometheus
 * naming does (dots become underscores, a timer's name ends in {@code _seconds}, a counter's in {@code _total}):
 * the README lists them. Each label takes at most {@link #MAX_VALUES_PER_LABEL} values, later new ones counted
 * as {@code other}; no label carries an id of a run, thread, user or call.
 *
 * <p>Nothing is done per token: a model call's first chunk notes the time once. Nothing thrown by the metrics
 * reaches the work watched.
 */
public final class PrometheusMetrics implements Telemetry, ReadMetrics, AutoCloseable {
    /** The Prometheus text format, version 0.0.4: what every Prometheus server reads. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    /** How many values each label takes before later new ones are counted as {@code other}. */
    public static final int MAX_VALUES_PER_LABEL = 100;

    private final PrometheusMeterRegistry registry;
    private final Clock clock;
    private final JvmGcMetrics gc;
    private final ModelCallMeters modelCalls;
    private final RunMeters runs;
    private final ToolMeters tools;
    private final StoreMeters store;
    private final HttpMeters http;

    /** Metrics timed by the system's clock, with the JVM's and the process's. */
    public PrometheusMetrics() {
        this(Clock.SYSTEM, MAX_VALUES_PER_LABEL);
    }

    /** Metrics timed by {@code clock}, each label taking at most {@code maxValuesPerLabel} values. */
    PrometheusMetrics(Clock clock, int maxValuesPerLabel) {
        this.clock = clock;
        // A registry of its own, not the Prometheus client's default one, which is shared by the whole JVM.
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, new PrometheusRegistry(), clock);
        Labels labels = new Labels(maxValuesPerLabel);
        this.modelCalls = new ModelCallMeters(registry, labels);
        this.runs = new RunMeters(registry, labels);
        this.tools = new ToolMeters(registry, labels);
        this.store = new StoreMeters(registry, labels);
        this.http = new HttpMeters(registry, labels);
        this.gc = new JvmGcMetrics();
        for (MeterBinder binder : new MeterBinder[] {new JvmMemoryMetrics(), gc, new JvmThreadMetrics(),
                new ClassLoaderMetrics(), new ProcessorMetrics(), new UptimeMetrics(), new FileDescriptorMetrics()}) {
            binder.bindTo(registry);
        }
    }

    @Override
    public Observation begin(Work work, Observation parent) {
        try {
            return switch (work) {
                case Work.HttpRequest request -> measured((outcome, took) -> http.ended(request, outcome, took));
                case Work.AgentRun run -> {
                    runs.begun(run);
                    yield measured((outcome, took) -> runs.ended(run, outcome));
                }
                case Work.ModelCall call -> measured((outcome, took) -> modelCalls.ended(call, outcome, took));
                case Work.ToolCall call -> measured((outcome, took) -> tools.ended(call, outcome, took));
                case Work.StoreCall call -> measured((outcome, took) -> store.ended(call, outcome, took));
                case Work.ToolServerCall call -> measured((outcome, took) -> tools.ended(call, outcome, took));
                case Work.EventStream stream -> {
                    AtomicLong open = runs.opened(stream);
                    yield measured((outcome, took) -> open.decrementAndGet());
                }
            };
        } catch (RuntimeException e) {
            Measured.warnOnce(e);
            return Observation.NONE;
        }
    }

    private Observation measured(Measured.Ending ending) {
        return new Measured(clock, ending);
    }

    /** Metrics need no parent, so nothing is current: work begun anywhere is measured the same. */
    @Override
    public Observation current() {
        return Observation.NONE;
    }

    @Override
    public Exposition scrape() {
        ByteArrayOutputStream body = new ByteArrayOutputStream(16 * 1024);
        try {
            registry.scrape(body, CONTENT_TYPE);
        } catch (IOException e) {
            throw new UncheckedIOException("a byte array cannot fail to be written", e);
        }
        return new Exposition(CONTENT_TYPE, body.toByteArray());
    }

    /** Stops the garbage collector's listeners and closes the registry. */
    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
