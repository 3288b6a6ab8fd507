package dev.agentchat.adapter.openaijava;

import dev.agentchat.ports.chat.ChatModel;
import dev.agentchat.ports.contract.model.ModelServiceContract;
import dev.agentchat.ports.contract.model.ModelServiceSettings;

/** The wire format suite for the openai-java adapter: through the real SDK and OkHttp. */
class OpenAiJavaModelServiceTest extends ModelServiceContract {
    @Override
    protected ChatModel createModel(ModelServiceSettings settings) {
        return OpenAiJavaChatModel.create(TestSettings.of(settings));
    }
}
