package dev.agentchat.bootstrap.logging;

import dev.agentchat.domain.run.Run;
import dev.agentchat.ports.telemetry.Observation;
import dev.agentchat.ports.telemetry.Telemetry;
import dev.agentchat.ports.telemetry.Work;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The ids a log line carries: those of the run whose work the thread does, and those of the trace and
 * span the tracing says are current. A run's ids are the thread's while its observation is current there
 * (from {@link Observation#makeCurrent()} to the scope's close); what is begun within the run (its model
 * calls, its tool calls on their own threads, its store calls) carries the same ids when made current.
 *
 * <p>Only runs have ids of their own here, so only their observations cost anything: the rest are the
 * run's observation itself, or nothing outside a run.
 */
public final class LogContext implements Telemetry {
    private final Supplier<Optional<TraceIds>> traces;
    /** The run the thread works for; set and reset by the scopes of the thread's own observations. */
    private final ThreadLocal<InRun> current = new ThreadLocal<>();

    /** Log lines carry the run's ids and the trace ids {@code traces} gives for the thread that logs. */
    public LogContext(Supplier<Optional<TraceIds>> traces) {
        this.traces = Objects.requireNonNull(traces, "traces");
    }

    /** Log lines carry the run's ids alone: nothing traces the service. */
    public static LogContext withoutTraces() {
        return new LogContext(Optional::empty);
    }

    @Override
    public Observation begin(Work work, Observation parent) {
        if (work instanceof Work.AgentRun agentRun) {
            Run run = agentRun.run();
            return new InRun(new RunIds(run.id(), run.threadId(), run.agentId()));
        }
        if (parent instanceof InRun within) {
            return within;
        }
        return current();
    }

    @Override
    public Observation current() {
        InRun here = current.get();
        return here != null ? here : Observation.NONE;
    }

    /** The ids of the run the calling thread works for, if it works for one. */
    public Optional<RunIds> runHere() {
        InRun here = current.get();
        return here != null ? Optional.of(here.ids) : Optional.empty();
    }

    /** The ids of the trace and span current on the calling thread, if something traces it. */
    public Optional<TraceIds> traceHere() {
        try {
            return traces.get();
        } catch (RuntimeException e) {
            return Optional.empty();   // a log line is written without them rather than lost
        }
    }

    /** Within a run: making it current gives the thread the run's ids until the scope closes. */
    private final class InRun implements Observation {
        private final RunIds ids;

        InRun(RunIds ids) {
            this.ids = ids;
        }

        @Override
        public Scope makeCurrent() {
            InRun before = current.get();
            current.set(this);
            // A virtual thread's locals go with it; removing the last one keeps a pooled platform thread clean.
            return before == null ? current::remove : () -> current.set(before);
        }
    }
}
