package dev.agentchat.domain.message;

import static dev.agentchat.domain.Times.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.thread.ThreadId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MessageTest {
    private static final MessageId ID = MessageId.of("msg-1");
    private static final ThreadId THREAD = ThreadId.of("thread-1");
    private static final RunId RUN = RunId.of("run-1");

    @Test
    void a_user_message_is_complete_and_said_by_the_user() {
        // when
        Message message = Message.fromUser(ID, THREAD, RUN, "What is a monad?", T0);

        // then
        assertThat(message.role()).isEqualTo(Role.USER);
        assertThat(message.status()).isEqualTo(MessageStatus.COMPLETE);
        assertThat(message.content()).isEqualTo("What is a monad?");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\n\t "})
    void a_user_message_must_say_something(String blank) {
        assertThatThrownBy(() -> Message.fromUser(ID, THREAD, RUN, blank, T0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void an_answer_is_said_by_the_assistant_with_the_status_given() {
        // when
        Message answer = Message.answer(ID, THREAD, RUN, "Half an answ", MessageStatus.INCOMPLETE, T0);

        // then
        assertThat(answer.role()).isEqualTo(Role.ASSISTANT);
        assertThat(answer.status()).isEqualTo(MessageStatus.INCOMPLETE);
    }

    @Test
    void content_of_exactly_the_maximum_length_is_accepted() {
        // given
        String longest = "x".repeat(Message.MAX_CONTENT_LENGTH);

        // when
        Message answer = Message.answer(ID, THREAD, RUN, longest, MessageStatus.COMPLETE, T0);

        // then
        assertThat(answer.content()).hasSize(Message.MAX_CONTENT_LENGTH);
    }

    @Test
    void content_over_the_maximum_length_is_refused() {
        // given
        String tooLong = "x".repeat(Message.MAX_CONTENT_LENGTH + 1);

        // when / then
        assertThatThrownBy(() -> Message.answer(ID, THREAD, RUN, tooLong, MessageStatus.COMPLETE, T0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(String.valueOf(Message.MAX_CONTENT_LENGTH));
        assertThatThrownBy(() -> Message.fromUser(ID, THREAD, RUN, tooLong, T0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
