package dev.agentchat.ports.health;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Tells readiness from the dependencies the service cannot serve without, asked at each probe, and from whether
 * the service drains for shutdown: from {@link #drain()} on, the instance is never ready again, so that the load
 * balancer stops sending it requests while the runs going on end.
 */
public final class ReadinessService implements CheckReadiness {
    static final String DRAINING = "the service is draining for shutdown";

    private final List<RequiredDependency> dependencies;
    private volatile boolean draining;

    public ReadinessService(List<RequiredDependency> dependencies) {
        this.dependencies = List.copyOf(dependencies);
    }

    /** Takes the instance out of rotation for good: it is stopping. */
    public void drain() {
        draining = true;
    }

    @Override
    public Readiness readiness() {
        if (draining) {
            return new Readiness(List.of(DRAINING));
        }
        return new Readiness(dependencies.stream().flatMap(dependency -> problemOf(dependency).stream()).toList());
    }

    /** A dependency whose own check throws is one that does not answer: the probe still answers. */
    private static Optional<String> problemOf(RequiredDependency dependency) {
        Optional<String> problem;
        try {
            problem = Objects.requireNonNull(dependency.problem(), "problem");
        } catch (RuntimeException e) {
            problem = Optional.of("its check failed: " + e.getClass().getSimpleName());
        }
        return problem.map(why -> dependency.name() + ": " + why);
    }
}
