package dev.agentchat.ports.health;

/** Use case: a load balancer asks whether this instance should be sent requests now. */
public interface CheckReadiness {

    Readiness readiness();
}
