package dev.agentchat.domain.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentchat.domain.message.Message;
import dev.agentchat.domain.run.RunFailure;
import dev.agentchat.domain.usage.Usage;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ChatTurnInterruptionTest {
    private static final Instant NOW = Instant.parse("2026-11-25T00:00:00Z");

    @Test
    void a_cancelled_turn_keeps_its_partial_answer_and_usage() {
        ChatTurn turn = ChatTurn.begin()
                .accept(new ModelStreamItem.TextDelta("half \uD83D"), NOW).turn()
                .accept(new ModelStreamItem.UsageReport(Usage.reported(3, 1)), NOW).turn();

        TurnStep step = turn.cancel(RunFailure.CLIENT_DISCONNECTED);

        assertThat(step.events()).isEmpty();
        assertThat(step.action()).isEqualTo(new NextAction.Cancel("half \uFFFD", RunFailure.CLIENT_DISCONNECTED,
                Usage.reported(3, 1)));
    }

    @Test
    void a_failed_turn_keeps_its_partial_answer() {
        ChatTurn turn = ChatTurn.begin().accept(new ModelStreamItem.TextDelta("so far"), NOW).turn();

        assertThat(turn.fail(RunFailure.STORE_ERROR).action())
                .isEqualTo(new NextAction.Fail("so far", RunFailure.STORE_ERROR, Usage.NONE));
    }

    @Test
    void an_answer_is_cut_at_the_longest_message_and_the_turn_decides_to_end_there() {
        ChatTurn turn = ChatTurn.begin().accept(new ModelStreamItem.TextDelta("a".repeat(ChatTurn.MAX_ANSWER_LENGTH - 3)), NOW).turn();

        TurnStep step = turn.accept(new ModelStreamItem.TextDelta("bcdef"), NOW);

        assertThat(step.events()).containsExactly(new ChatEvent.Token("bcd", NOW));
        assertThat(step.action()).isInstanceOfSatisfying(NextAction.EndIncomplete.class, end -> {
            assertThat(end.answer()).hasSize(Message.MAX_CONTENT_LENGTH).endsWith("abcd");
            assertThat(end.reason().code()).isEqualTo("answer_too_long");
        });
    }

    @Test
    void the_cut_never_splits_a_surrogate_pair() {
        ChatTurn turn = ChatTurn.begin().accept(new ModelStreamItem.TextDelta("a".repeat(ChatTurn.MAX_ANSWER_LENGTH - 1)), NOW).turn();

        TurnStep step = turn.accept(new ModelStreamItem.TextDelta("\uD83D\uDE00"), NOW);

        assertThat(step.events()).isEmpty();
        assertThat(((NextAction.EndIncomplete) step.action()).answer()).hasSize(ChatTurn.MAX_ANSWER_LENGTH - 1);
    }
}
