package dev.agentchat.adapter.memory.agent;

import dev.agentchat.ports.agent.AgentStore;
import dev.agentchat.ports.contract.AgentStoreContract;

class InMemoryAgentStoreTest extends AgentStoreContract {
    @Override
    protected AgentStore createSubject() {
        return new InMemoryAgentStore();
    }
}
