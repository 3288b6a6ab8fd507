package dev.agentchat.adapter.memory.store;

import dev.agentchat.ports.contract.ThreadStoreContract;
import dev.agentchat.ports.thread.ThreadStore;

class InMemoryThreadStoreTest extends ThreadStoreContract {

    @Override
    protected ThreadStore createSubject() {
        return new InMemoryThreadStore();
    }
}
