package dev.agentchat.adapter.http.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentchat.adapter.http.problem.ProblemException;
import dev.agentchat.domain.thread.ThreadId;
import org.junit.jupiter.api.Test;

class ChatRequestTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void stream_defaults_to_true_and_unknown_members_are_ignored() throws Exception {
        ChatRequest request = ChatRequest.from(JSON.readTree("{\"message\":\"hi\",\"temperature\":0.2}"));

        assertThat(request.stream()).isTrue();
        assertThat(request.threadId()).isEmpty();
        assertThat(request.message()).isEqualTo("hi");
    }

    @Test
    void a_null_thread_id_starts_a_new_thread() throws Exception {
        ChatRequest request = ChatRequest.from(JSON.readTree("{\"message\":\"hi\",\"thread_id\":null,\"stream\":false}"));

        assertThat(request.threadId()).isEmpty();
        assertThat(request.stream()).isFalse();
    }

    @Test
    void a_thread_id_is_read() throws Exception {
        assertThat(ChatRequest.from(JSON.readTree("{\"message\":\"hi\",\"thread_id\":\"thread_9\"}")).threadId())
                .contains(ThreadId.of("thread_9"));
    }

    @Test
    void a_message_over_the_limit_is_413_and_one_at_the_limit_is_accepted() {
        String atLimit = "a".repeat(32_768);

        assertThat(ChatRequest.from(JSON.createObjectNode().put("message", atLimit)).message()).hasSize(32_768);
        assertThatThrownBy(() -> ChatRequest.from(JSON.createObjectNode().put("message", atLimit + "a")))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.problem().status()).isEqualTo(413));
    }
}
