package dev.agentchat.ports.chat;

import dev.agentchat.domain.chat.RequestRetry;
import dev.agentchat.domain.message.Message;
import dev.agentchat.domain.run.Run;
import dev.agentchat.ports.message.MessageStore;
import java.time.Instant;

/**
 * How a run a caller followed without executing it (a retried request, a client's answer to its pause) came
 * out, as the caller's outcome: its stored answer, whole or partial, or that it waits again.
 */
final class SettledRuns {
    private SettledRuns() {
    }

    /** The outcome of {@code followed}, read as it stands once settled (ended, or waiting for an answer). */
    static ChatOutcome outcomeOf(Run followed, MessageStore messages, Instant now) {
        return switch (RequestRetry.ending(followed, now)) {
            case RequestRetry.Ending.Answered(Run done) ->
                    new ChatOutcome.Answered(done.id(), done.threadId(), done.answerMessageId(), answerOf(done, messages),
                            done.usage());
            case RequestRetry.Ending.Ended(Run ended) -> new ChatOutcome.Ended(ended, answerOf(ended, messages));
            case RequestRetry.Ending.Waiting(Run waiting) ->
                    new ChatOutcome.AwaitingApproval(waiting, waiting.approvals().answerSoFar());
        };
    }

    /** The text of the run's stored answer, whole or partial; empty when it has none. */
    private static String answerOf(Run run, MessageStore messages) {
        return run.answerMessageId() == null ? "" : messages.listByThread(run.threadId()).stream()
                .filter(message -> message.id().equals(run.answerMessageId()))
                .map(Message::content).findFirst().orElse("");
    }
}
