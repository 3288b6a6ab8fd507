package dev.agentchat.ports.health;

import java.util.Optional;

/**
 * Outbound port: something the service cannot serve without (the store its conversations are kept in), asked
 * whether it answers now. Readiness goes by it: while it does not answer, the instance is taken out of rotation.
 */
public interface RequiredDependency {

    /** What it is, as an operator knows it ({@code cosmos-db}). */
    String name();

    /**
     * Why it does not answer now, or empty when it does. Cheap enough for every readiness probe: an implementation
     * that must ask over the network keeps its last answer for a few seconds and never waits long.
     */
    Optional<String> problem();
}
