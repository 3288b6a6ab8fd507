package dev.agentchat.adapter.http.chat;

import com.fasterxml.jackson.databind.JsonNode;
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

    static ChatRequest from(JsonNode body) {
        JsonNode message = body.get("message");
        if (message == null || message.isNull()) {
            throw invalid("'message' is required.");
        }
        if (!message.isTextual()) {
            throw invalid("'message' must be a string.");
        }
        if (message.textValue().isBlank()) {
            throw invalid("'message' must not be blank.");
        }
        if (message.textValue().length() > ChatCommand.MAX_MESSAGE_LENGTH) {
            throw new ProblemException(new Problem(413, "message_too_large", "Message too large",
                    "'message' may be at most " + ChatCommand.MAX_MESSAGE_LENGTH + " characters, was "
                            + message.textValue().length() + "."));
        }
        return new ChatRequest(message.textValue(), threadId(body.get("thread_id")), stream(body.get("stream")));
    }

    private static Optional<ThreadId> threadId(JsonNode node) {
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isTextual()) {
            throw invalid("'thread_id' must be a string.");
        }
        try {
            return Optional.of(ThreadId.of(node.textValue()));
        } catch (IllegalArgumentException e) {
            throw invalid("'thread_id' is not a valid thread id: " + e.getMessage() + ".");
        }
    }

    private static boolean stream(JsonNode node) {
        if (node == null || node.isNull()) {
            return true;
        }
        if (!node.isBoolean()) {
            throw invalid("'stream' must be true or false.");
        }
        return node.booleanValue();
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(Problem.badRequest(detail));
    }
}
