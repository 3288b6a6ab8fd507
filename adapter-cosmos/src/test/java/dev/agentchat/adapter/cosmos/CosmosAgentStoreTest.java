package dev.agentchat.adapter.cosmos;

import dev.agentchat.ports.agent.AgentStore;
import dev.agentchat.ports.contract.AgentStoreContract;

class CosmosAgentStoreTest extends AgentStoreContract {
    @Override
    protected AgentStore createSubject() {
        return CosmosTestServer.stores().agents();
    }
}
