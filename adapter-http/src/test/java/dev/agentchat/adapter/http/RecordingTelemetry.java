package dev.agentchat.adapter.http;

import dev.agentchat.ports.telemetry.Observation;
import dev.agentchat.ports.telemetry.Outcome;
import dev.agentchat.ports.telemetry.Telemetry;
import dev.agentchat.ports.telemetry.Work;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A telemetry that writes down what it is told: every piece of work begun, within what, and how it ended. It
 * implements the port as an adapter would, with what is current kept per thread.
 */
final class RecordingTelemetry implements Telemetry {
    private final List<Watched> begun = new CopyOnWriteArrayList<>();
    private final ThreadLocal<Watched> current = new ThreadLocal<>();

    /** One piece of work as told: what it was, its parent (null: none), and its outcome once ended. */
    final class Watched implements Observation {
        final Work work;
        final Watched parent;
        private volatile Outcome outcome;
        private volatile int ends;

        private Watched(Work work, Watched parent) {
            this.work = work;
            this.parent = parent;
        }

        @Override
        public Scope makeCurrent() {
            Watched before = current.get();
            current.set(this);
            return () -> current.set(before);
        }

        @Override
        public synchronized void end(Outcome outcome) {
            this.outcome = outcome;
            ends++;
        }

        Optional<Outcome> outcome() {
            return Optional.ofNullable(outcome);
        }

        int ends() {
            return ends;
        }

        @Override
        public String toString() {
            return work + " -> " + outcome;
        }
    }

    @Override
    public Observation begin(Work work, Observation parent) {
        Watched within = parent instanceof Watched watched ? watched : current.get();
        Watched watched = new Watched(work, within);
        begun.add(watched);
        return watched;
    }

    @Override
    public Observation current() {
        Watched watched = current.get();
        return watched == null ? Observation.NONE : watched;
    }

    /** Everything begun so far, in the order begun. */
    List<Watched> begun() {
        return List.copyOf(begun);
    }

    /** What was begun of {@code type} that {@code matches}, in the order begun. */
    <W extends Work> List<Watched> begun(Class<W> type, Predicate<W> matches) {
        return begun.stream().filter(watched -> type.isInstance(watched.work) && matches.test(type.cast(watched.work)))
                .toList();
    }
}
