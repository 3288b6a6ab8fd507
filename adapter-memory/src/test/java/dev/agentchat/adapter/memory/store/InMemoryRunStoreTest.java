package dev.agentchat.adapter.memory.store;

import dev.agentchat.ports.contract.RunStoreContract;
import dev.agentchat.ports.run.RunStore;

class InMemoryRunStoreTest extends RunStoreContract {

    @Override
    protected RunStore createSubject() {
        return new InMemoryRunStore();
    }
}
