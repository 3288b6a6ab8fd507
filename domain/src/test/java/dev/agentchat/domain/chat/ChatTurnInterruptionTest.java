package dev.agentchat.domain.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentchat.domain.message.Message;
import dev.agentchat.domain.run.RunFailure;
import dev.agentchat.domain.usage.Usage;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ChatTurnInterruptionTest {
    private static final Instant NOW = Instant.parse("2026-11-25T00:00:00Z");

    @Test
    void an_interrupted_turn_keeps_its_partial_answer_and_usage_and_ends_as_the_interruption_says() {
        ChatTurn turn = ChatTurn.begin()
                .accept(new ModelStreamItem.TextDelta("half \uD83D"), NOW).turn()
                .accept(new ModelStreamItem.UsageReport(Usage.reported(3, 1)), NOW).turn();
        Duration limit = Duration.ofSeconds(30);

        RunOutcome cancelled = turn.interrupt(Interruption.cancelled());
        RunOutcome left = turn.interrupt(Interruption.clientLeft());
        RunOutcome timedOut = turn.interrupt(Interruption.runTimedOut(limit));
        RunOutcome silent = turn.interrupt(Interruption.modelTimedOut(limit));

        assertThat(cancelled).isEqualTo(new RunOutcome.Cancel("half \uFFFD", RunFailure.CANCELLED,
                Usage.reported(3, 1)));
        assertThat(left).isEqualTo(new RunOutcome.Cancel("half \uFFFD", RunFailure.CLIENT_DISCONNECTED,
                Usage.reported(3, 1)));
        assertThat(timedOut).isEqualTo(new RunOutcome.EndIncomplete("half \uFFFD", RunFailure.runTimeout(limit),
                Usage.reported(3, 1)));
        assertThat(silent).isEqualTo(new RunOutcome.Fail("half \uFFFD", RunFailure.modelTimeout(limit),
                Usage.reported(3, 1)));
        assertThat(RunFailure.runTimeout(limit).message()).contains("30 seconds");
    }

    @Test
    void a_failed_turn_keeps_its_partial_answer() {
        ChatTurn turn = ChatTurn.begin().accept(new ModelStreamItem.TextDelta("so far"), NOW).turn();

        assertThat(turn.fail(RunFailure.STORE_ERROR))
                .isEqualTo(new RunOutcome.Fail("so far", RunFailure.STORE_ERROR, Usage.NONE));
    }

    @Test
    void an_answer_is_cut_at_the_longest_message_and_the_turn_decides_to_end_there() {
        ChatTurn turn = ChatTurn.begin().accept(new ModelStreamItem.TextDelta("a".repeat(ChatTurn.MAX_ANSWER_LENGTH - 3)), NOW).turn();

        TurnStep step = turn.accept(new ModelStreamItem.TextDelta("bcdef"), NOW);

        assertThat(step.events()).containsExactly(new ChatEvent.Token("bcd", NOW));
        assertThat(step.action()).isInstanceOfSatisfying(RunOutcome.EndIncomplete.class, end -> {
            assertThat(end.answer()).hasSize(Message.MAX_CONTENT_LENGTH).endsWith("abcd");
            assertThat(end.reason().code()).isEqualTo("answer_too_long");
        });
    }

    @Test
    void the_cut_never_splits_a_surrogate_pair() {
        ChatTurn turn = ChatTurn.begin().accept(new ModelStreamItem.TextDelta("a".repeat(ChatTurn.MAX_ANSWER_LENGTH - 1)), NOW).turn();

        TurnStep step = turn.accept(new ModelStreamItem.TextDelta("\uD83D\uDE00"), NOW);

        assertThat(step.events()).isEmpty();
        assertThat(((RunOutcome.EndIncomplete) step.action()).answer()).hasSize(ChatTurn.MAX_ANSWER_LENGTH - 1);
    }
}
