package dev.agentchat.adapter.openaijava;

import dev.agentchat.ports.chat.ChatModel;
import dev.agentchat.ports.contract.model.FakeServerChatModelContract;
import dev.agentchat.ports.contract.model.ModelServiceSettings;

/** The chat model contract, for the openai-java adapter against a local server speaking Azure's wire format. */
class OpenAiJavaChatModelContractTest extends FakeServerChatModelContract {
    @Override
    protected ChatModel createModel(ModelServiceSettings settings) {
        return OpenAiJavaChatModel.create(TestSettings.of(settings));
    }
}
