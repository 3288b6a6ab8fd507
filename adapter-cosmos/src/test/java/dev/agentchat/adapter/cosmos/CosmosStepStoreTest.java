package dev.agentchat.adapter.cosmos;

import dev.agentchat.ports.contract.StepStoreContract;
import dev.agentchat.ports.step.StepStore;

class CosmosStepStoreTest extends StepStoreContract {
    @Override
    protected StepStore createSubject() {
        return CosmosTestServer.stores().steps();
    }
}
