package dev.agentchat.adapter.opentelemetry;

import dev.agentchat.ports.telemetry.Observation;
import io.opentelemetry.context.Context;

/** An observation of this adapter: what it stands for in OpenTelemetry's terms, the context work within it has. */
sealed interface Traced extends Observation permits SpanObservation, Traced.Current {

    Context context();

    @Override
    default Scope makeCurrent() {
        io.opentelemetry.context.Scope scope = context().makeCurrent();
        return scope::close;
    }

    /** What was current on a thread, handed on: work within it is traced within it; it ends nothing. */
    record Current(Context context) implements Traced {
    }
}
