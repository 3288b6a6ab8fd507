package dev.agentchat.adapter.openai;

import dev.agentchat.ports.chat.ChatModel;
import dev.agentchat.ports.contract.model.FakeServerChatModelContract;
import dev.agentchat.ports.contract.model.ModelServiceSettings;

/** The chat model contract, for the Azure OpenAI adapter against a local server speaking Azure's wire format. */
class AzureOpenAiChatModelContractTest extends FakeServerChatModelContract {
    @Override
    protected ChatModel createModel(ModelServiceSettings settings) {
        return AzureOpenAiChatModel.create(TestSettings.of(settings));
    }
}
