package dev.agentchat.adapter.cosmos;

import dev.agentchat.ports.contract.RunStoreContract;
import dev.agentchat.ports.run.RunStore;

class CosmosRunStoreTest extends RunStoreContract {
    @Override
    protected RunStore createSubject() {
        return CosmosTestServer.stores().runs();
    }
}
