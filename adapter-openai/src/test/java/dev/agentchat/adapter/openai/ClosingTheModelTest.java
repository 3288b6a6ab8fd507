package dev.agentchat.adapter.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.agentchat.domain.agent.AgentId;
import dev.agentchat.domain.chat.ModelStreamItem;
import dev.agentchat.domain.chat.ModelStreamItem.TextDelta;
import dev.agentchat.ports.chat.ModelFailure;
import dev.agentchat.ports.chat.ModelMessage;
import dev.agentchat.ports.chat.ModelRequest;
import dev.agentchat.ports.chat.ModelStream;
import dev.agentchat.ports.contract.model.Chunks;
import dev.agentchat.ports.contract.model.FakeOpenAiServer;
import dev.agentchat.ports.contract.model.FakeOpenAiServer.Reply;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A closed model has closed its connections: it reaches the service no more. */
class ClosingTheModelTest {
    private static final Duration LIMIT = Duration.ofSeconds(30);

    private final FakeOpenAiServer server = FakeOpenAiServer.start();

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void a_closed_model_fails_its_next_stream_without_sending_a_request() {
        // given a model that has answered once
        AzureOpenAiChatModel model = AzureOpenAiChatModel.create(TestSettings.azure(server));
        server.enqueue(Reply.stream().data(Chunks.text("Hi")).data(Chunks.finish("stop")).done())
                .enqueue(Reply.stream().data(Chunks.text("Again")).data(Chunks.finish("stop")).done());
        try (ModelStream first = model.stream(aQuestion())) {
            Optional<ModelStreamItem> item = assertTimeoutPreemptively(LIMIT, first::next);
            assertThat(item).contains(new TextDelta("Hi"));
        }

        // when
        model.close();

        // then
        try (ModelStream second = model.stream(aQuestion())) {
            assertThatThrownBy(() -> assertTimeoutPreemptively(LIMIT, second::next)).isInstanceOf(ModelFailure.class);
        }
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void closing_a_model_twice_is_harmless() {
        AzureOpenAiChatModel model = AzureOpenAiChatModel.create(TestSettings.azure(server));

        model.close();
        model.close();

        try (ModelStream stream = model.stream(aQuestion())) {
            assertThatThrownBy(() -> assertTimeoutPreemptively(LIMIT, stream::next)).isInstanceOf(ModelFailure.class);
        }
        assertThat(server.requests()).isEmpty();
    }

    private static ModelRequest aQuestion() {
        return new ModelRequest(AgentId.of("support-triage"), "You are a helpful assistant.", List.of(ModelMessage.user("Hello?")));
    }
}
