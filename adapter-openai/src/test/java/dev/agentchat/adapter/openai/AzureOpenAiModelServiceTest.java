package dev.agentchat.adapter.openai;

import dev.agentchat.ports.chat.ChatModel;
import dev.agentchat.ports.contract.model.ModelServiceContract;
import dev.agentchat.ports.contract.model.ModelServiceSettings;

/** The wire format suite for the azure-ai-openai adapter: through the real SDK and Netty. */
class AzureOpenAiModelServiceTest extends ModelServiceContract {
    @Override
    protected ChatModel createModel(ModelServiceSettings settings) {
        return AzureOpenAiChatModel.create(TestSettings.of(settings));
    }
}
