package dev.agentchat.ports.telemetry;

import java.util.List;

/** Several telemetries told of the same work, each with its own observation of it, in the order given. */
final class CombinedTelemetry implements Telemetry {
    private final List<Telemetry> parts;

    CombinedTelemetry(List<Telemetry> parts) {
        this.parts = List.copyOf(parts);
    }

    @Override
    public Observation begin(Work work, Observation parent) {
        Observation[] begun = new Observation[parts.size()];
        for (int i = 0; i < begun.length; i++) {
            begun[i] = parts.get(i).begin(work, parent instanceof Combined combined ? combined.parts[i] : Observation.NONE);
        }
        return new Combined(begun);
    }

    @Override
    public Observation current() {
        Observation[] current = new Observation[parts.size()];
        for (int i = 0; i < current.length; i++) {
            current[i] = parts.get(i).current();
        }
        return new Combined(current);
    }

    /** One observation per part, in the parts' order. */
    private record Combined(Observation[] parts) implements Observation {
        @Override
        public Scope makeCurrent() {
            Scope[] scopes = new Scope[parts.length];
            for (int i = 0; i < parts.length; i++) {
                scopes[i] = parts[i].makeCurrent();
            }
            return () -> {
                for (int i = scopes.length - 1; i >= 0; i--) {
                    scopes[i].close();
                }
            };
        }

        @Override
        public void firstChunk() {
            for (Observation part : parts) {
                part.firstChunk();
            }
        }

        @Override
        public void link(Observation other) {
            for (int i = 0; i < parts.length; i++) {
                parts[i].link(other instanceof Combined combined ? combined.parts[i] : Observation.NONE);
            }
        }

        @Override
        public void end(Outcome outcome) {
            for (Observation part : parts) {
                part.end(outcome);
            }
        }
    }
}
