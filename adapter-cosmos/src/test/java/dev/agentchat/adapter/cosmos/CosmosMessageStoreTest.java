package dev.agentchat.adapter.cosmos;

import dev.agentchat.ports.contract.MessageStoreContract;
import dev.agentchat.ports.message.MessageStore;

class CosmosMessageStoreTest extends MessageStoreContract {
    @Override
    protected MessageStore createSubject() {
        return CosmosTestServer.stores().messages();
    }
}
