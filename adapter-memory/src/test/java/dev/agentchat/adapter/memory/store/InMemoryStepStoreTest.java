package dev.agentchat.adapter.memory.store;

import dev.agentchat.ports.contract.StepStoreContract;
import dev.agentchat.ports.step.StepStore;

class InMemoryStepStoreTest extends StepStoreContract {

    @Override
    protected StepStore createSubject() {
        return new InMemoryStepStore();
    }
}
