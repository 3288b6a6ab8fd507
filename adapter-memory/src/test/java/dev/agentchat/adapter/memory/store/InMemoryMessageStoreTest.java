package dev.agentchat.adapter.memory.store;

import dev.agentchat.ports.contract.MessageStoreContract;
import dev.agentchat.ports.message.MessageStore;

class InMemoryMessageStoreTest extends MessageStoreContract {

    @Override
    protected MessageStore createSubject() {
        return new InMemoryMessageStore();
    }
}
