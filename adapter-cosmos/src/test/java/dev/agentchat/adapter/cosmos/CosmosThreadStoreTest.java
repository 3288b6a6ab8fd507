package dev.agentchat.adapter.cosmos;

import dev.agentchat.ports.contract.ThreadStoreContract;
import dev.agentchat.ports.thread.ThreadStore;

class CosmosThreadStoreTest extends ThreadStoreContract {
    @Override
    protected ThreadStore createSubject() {
        return CosmosTestServer.stores().threads();
    }
}
