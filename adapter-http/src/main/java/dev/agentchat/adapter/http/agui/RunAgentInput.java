package dev.agentchat.adapter.http.agui;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentchat.adapter.http.problem.Problem;
import dev.agentchat.adapter.http.problem.ProblemException;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.ports.chat.ChatCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What an AG-UI client sends to run an agent, as far as this service uses it: the client's name for
 * the thread, its name for the run, and the one new user message.
 *
 * <p>AG-UI clients send the whole conversation every time, but the service keeps the history itself:
 * only the last message is new, and it must be the user's. The earlier ones are the client's copy of
 * what is stored already and are not read, so they may be of any role or shape. Members this service
 * does not use ({@code tools}, {@code context}, {@code state}, {@code forwardedProps},
 * {@code protocolVersion}, and any a newer client adds) are tolerated.
 *
 * @param threadId the client's key for the thread (often a UUID), not one of this service's thread ids
 * @param runId    the client's name for the run, echoed in the events
 * @param message  the text of the new user message
 */
record RunAgentInput(String threadId, String runId, String message) {
    /** The longest client thread key, in characters. */
    static final int MAX_THREAD_KEY_LENGTH = ThreadId.MAX_CLIENT_KEY_LENGTH;
    /** The longest client run id echoed back, in characters. */
    static final int MAX_RUN_ID_LENGTH = 128;

    RunAgentInput {
        Objects.requireNonNull(threadId, "threadId");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(message, "message");
    }

    /**
     * Reads the body of a run request.
     *
     * @throws ProblemException 400 naming the member that is missing or wrong, 413 for a message too long
     */
    static RunAgentInput from(JsonNode body) {
        String threadId = printable(body, "threadId", MAX_THREAD_KEY_LENGTH);
        String runId = printable(body, "runId", MAX_RUN_ID_LENGTH);
        JsonNode messages = body.get("messages");
        if (messages == null || !messages.isArray()) {
            throw invalid("'messages' is required and must be an array of messages.");
        }
        if (messages.isEmpty()) {
            throw invalid("'messages' must end with the new user message.");
        }
        JsonNode resume = body.get("resume");
        // Answering an interrupt is not served: reading past it would drop the client's decision silently.
        if (resume != null && !resume.isNull() && !(resume.isArray() && resume.isEmpty())) {
            throw invalid("'resume' is not supported: this service does not interrupt runs for AG-UI clients yet.");
        }
        int last = messages.size() - 1;
        return new RunAgentInput(threadId, runId, userText(messages.get(last), "messages[" + last + "]"));
    }

    /** The text of the new message, which must be the user's: a string, or its text parts joined. */
    private static String userText(JsonNode message, String at) {
        if (!message.isObject()) {
            throw invalid("'" + at + "' must be a message object.");
        }
        JsonNode role = message.get("role");
        if (role == null || !role.isTextual() || !role.asText().equals("user")) {
            throw invalid("'" + at + ".role' must be \"user\": the last message is the new one, and only a user's "
                    + "message starts a run.");
        }
        JsonNode content = message.get("content");
        String text;
        if (content != null && content.isTextual()) {
            text = content.asText();
        } else if (content != null && content.isArray()) {
            text = joinedTextParts(content, at + ".content");
        } else {
            throw invalid("'" + at + ".content' must be a string or an array of content parts.");
        }
        if (text.isBlank()) {
            throw invalid("'" + at + ".content' must have some text.");
        }
        if (text.length() > ChatCommand.MAX_MESSAGE_LENGTH) {
            throw new ProblemException(new Problem(413, "message_too_large", "Message too large",
                    "'" + at + ".content' may be at most " + ChatCommand.MAX_MESSAGE_LENGTH + " characters, was "
                            + text.length() + "."));
        }
        return text;
    }

    /** The text parts, joined; a part of another kind (an image, a document) is not something the agents can read. */
    private static String joinedTextParts(JsonNode parts, String at) {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            JsonNode part = parts.get(i);
            String where = at + "[" + i + "]";
            if (!part.isObject() || !part.path("type").isTextual()) {
                throw invalid("'" + where + "' must be a content part with a 'type'.");
            }
            if (!part.get("type").asText().equals("text")) {
                throw invalid("'" + where + ".type' is \"" + part.get("type").asText()
                        + "\": only text parts are supported.");
            }
            JsonNode text = part.get("text");
            if (text == null || !text.isTextual()) {
                throw invalid("'" + where + ".text' must be a string.");
            }
            texts.add(text.asText());
        }
        return String.join("\n", texts);
    }

    /** A required string member of 1 to {@code maxLength} printable characters, no surrounding space. */
    private static String printable(JsonNode body, String member, int maxLength) {
        JsonNode value = body.get(member);
        if (value == null || !value.isTextual()) {
            throw invalid("'" + member + "' is required and must be a string.");
        }
        String text = value.asText();
        if (text.isEmpty() || text.length() > maxLength || !text.strip().equals(text)
                || text.codePoints().anyMatch(c -> Character.isISOControl(c) || !Character.isDefined(c))) {
            throw invalid("'" + member + "' must be 1 to " + maxLength
                    + " printable characters without surrounding spaces.");
        }
        return text;
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(Problem.badRequest(detail));
    }
}
