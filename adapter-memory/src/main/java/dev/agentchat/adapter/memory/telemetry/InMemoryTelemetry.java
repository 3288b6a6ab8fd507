package dev.agentchat.adapter.memory.telemetry;

import dev.agentchat.ports.telemetry.Observation;
import dev.agentchat.ports.telemetry.Outcome;
import dev.agentchat.ports.telemetry.Telemetry;
import dev.agentchat.ports.telemetry.Work;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Telemetry kept in memory, for tests: every observation begun, in the order begun, with its parent (the one
 * given, or the one current on the beginning thread), the thread it was begun on, its first chunks, its links
 * and its outcome. What a tracing backend would make of the work, without one.
 */
public final class InMemoryTelemetry implements Telemetry {
    private final List<Watched> begun = new CopyOnWriteArrayList<>();
    private final ThreadLocal<Watched> current = new ThreadLocal<>();

    @Override
    public Observation begin(Work work, Observation parent) {
        Watched within = parent instanceof Watched given ? given : current.get();
        Watched watched = new Watched(work, Optional.ofNullable(within), Thread.currentThread().getName());
        begun.add(watched);
        return watched;
    }

    @Override
    public Observation current() {
        Watched watched = current.get();
        return watched != null ? watched : Observation.NONE;
    }

    /** Every observation begun so far, in the order begun. */
    public List<Watched> begun() {
        return List.copyOf(begun);
    }

    /** The observations begun so far of work of {@code kind}, in the order begun. */
    public <W extends Work> List<Watched> begun(Class<W> kind) {
        return begun.stream().filter(watched -> kind.isInstance(watched.work())).toList();
    }

    /** One piece of work as watched. */
    public final class Watched implements Observation {
        private final Work work;
        private final Optional<Watched> parent;
        private final String thread;
        private final AtomicInteger firstChunks = new AtomicInteger();
        private final List<Watched> links = new CopyOnWriteArrayList<>();
        private final AtomicReference<Outcome> outcome = new AtomicReference<>();
        private final AtomicInteger ends = new AtomicInteger();

        private Watched(Work work, Optional<Watched> parent, String thread) {
            this.work = work;
            this.parent = parent;
            this.thread = thread;
        }

        public Work work() {
            return work;
        }

        /** What it was begun within, if anything. */
        public Optional<Watched> parent() {
            return parent;
        }

        /** The name of the thread it was begun on. */
        public String thread() {
            return thread;
        }

        /** How many times a first chunk was reported. */
        public int firstChunks() {
            return firstChunks.get();
        }

        public List<Watched> links() {
            return List.copyOf(links);
        }

        /** How it ended; empty while it goes on. */
        public Optional<Outcome> outcome() {
            return Optional.ofNullable(outcome.get());
        }

        /** How many times it was ended: once, for work watched right. */
        public int ends() {
            return ends.get();
        }

        @Override
        public Scope makeCurrent() {
            Watched before = current.get();
            current.set(this);
            return () -> {
                if (before == null) {
                    current.remove();
                } else {
                    current.set(before);
                }
            };
        }

        @Override
        public void firstChunk() {
            firstChunks.incrementAndGet();
        }

        @Override
        public void link(Observation other) {
            if (other instanceof Watched watched) {
                links.add(watched);
            }
        }

        @Override
        public void end(Outcome ended) {
            ends.incrementAndGet();
            outcome.compareAndSet(null, ended);
        }

        @Override
        public String toString() {
            return work.getClass().getSimpleName() + (outcome.get() == null ? " (going on)" : " -> " + outcome.get());
        }
    }
}
