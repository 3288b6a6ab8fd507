package dev.agentchat.ports.health;

import java.util.List;

/**
 * Whether the instance should be sent requests: ready, or not while {@code problems} stand in the way (a required
 * dependency that does not answer, the drain before shutdown), each said in a line an operator reads.
 */
public record Readiness(List<String> problems) {
    public static final Readiness READY = new Readiness(List.of());

    public Readiness {
        problems = List.copyOf(problems);
    }

    public boolean isReady() {
        return problems.isEmpty();
    }
}
