package dev.agentchat.adapter.http.chat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentchat.adapter.http.JsonRequests;
import dev.agentchat.adapter.http.problem.Problem;
import dev.agentchat.adapter.http.problem.ProblemException;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.ports.chat.ChatCommand;
import java.util.Optional;

/**
 * The body of a chat request: {@code {"message": "...", "thread_id": "...", "stream": true}}.
 * Members this version does not know are ignored, so that newer clients keep working.
 */
record ChatRequest(String message, Optional<ThreadId> threadId, boolean stream) {

    /** The members as sent: each may be absent or null. */
    private record Body(String message, String threadId, Boolean stream) {
    }

    static ChatRequest from(JsonNode json) {
        Body body = JsonRequests.bind(json, Body.class);
        String message = body.message();
        if (message == null) {
            throw invalid("'message' is required.");
        }
        if (message.isBlank()) {
            throw invalid("'message' must not be blank.");
        }
        if (message.length() > ChatCommand.MAX_MESSAGE_LENGTH) {
            throw new ProblemException(new Problem(413, "message_too_large", "Message too large",
                    "'message' may be at most " + ChatCommand.MAX_MESSAGE_LENGTH + " characters, was "
                            + message.length() + "."));
        }
        return new ChatRequest(message, threadId(body.threadId()), body.stream() == null || body.stream());
    }

    private static Optional<ThreadId> threadId(String id) {
        if (id == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(ThreadId.of(id));
        } catch (IllegalArgumentException e) {
            throw invalid("'thread_id' is not a valid thread id: " + e.getMessage() + ".");
        }
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(Problem.badRequest(detail));
    }
}
