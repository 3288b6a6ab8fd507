package dev.agentchat.ports.health;

/** Use case: a load balancer or an operator asks how the service stands. */
public interface CheckHealth {

    Health health();
}
