package dev.agentchat.domain.message;

import dev.agentchat.domain.Require;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.thread.ThreadId;
import java.time.Instant;
import java.util.Objects;

/**
 * One message of a thread.
 *
 * @param runId the run that this message opened (user) or produced (assistant)
 */
public record Message(
        MessageId id,
        ThreadId threadId,
        RunId runId,
        Role role,
        String content,
        MessageStatus status,
        Instant createdAt) {

    /** A bound on any stored message, far above what a chat turn produces, so that no record grows without limit. */
    public static final int MAX_CONTENT_LENGTH = 1_000_000;

    public Message {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(threadId, "threadId");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
        Require.maxLength(content, MAX_CONTENT_LENGTH, "message content");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    public static Message fromUser(MessageId id, ThreadId threadId, RunId runId, String content, Instant now) {
        Require.nonBlank(content, "message");
        return new Message(id, threadId, runId, Role.USER, content, MessageStatus.COMPLETE, now);
    }

    public static Message answer(MessageId id, ThreadId threadId, RunId runId, String content, MessageStatus status,
                                 Instant now) {
        return new Message(id, threadId, runId, Role.ASSISTANT, content, status, now);
    }
}
