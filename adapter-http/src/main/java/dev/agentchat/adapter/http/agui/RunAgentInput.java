package dev.agentchat.adapter.http.agui;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentchat.adapter.http.problem.Problem;
import dev.agentchat.adapter.http.problem.ProblemException;
import dev.agentchat.domain.step.StepId;
import dev.agentchat.domain.tool.ToolDefinition;
import dev.agentchat.ports.chat.ApprovalChoice;
import dev.agentchat.ports.chat.ChatCommand;
import dev.agentchat.ports.thread.ClientThreadKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What an AG-UI client sends to run an agent, as far as this service uses it: the client's name for
 * the thread, its name for the run, what the run is for (a new user message, or the answers to what the
 * thread's run waits on) and the client's own tools.
 *
 * <p>AG-UI clients send the whole conversation every time, but the service keeps the history itself, so
 * what is new is told from the end of {@code messages}. A run that paused left the client's copy ending in
 * the paused call: its answers come as {@code resume} entries (decisions on interrupts) and as {@code tool}
 * messages after that call (results of the client's own tools), and such a request is a resume. Otherwise
 * the last message is the new one, and must be the user's. The earlier messages are the client's copy of
 * what is stored already and are not read, so they may be of any role or shape. Members this service does
 * not use ({@code context}, {@code state}, {@code forwardedProps}, {@code protocolVersion}, and any a newer
 * client adds) are tolerated.
 *
 * @param threadId the client's key for the thread (often a UUID), not one of this service's thread ids
 * @param runId    the client's name for the run, echoed in the events
 * @param turn     what the run is for
 * @param tools    the client's own tools, offered to the model beside the agent's
 */
record RunAgentInput(String threadId, String runId, Turn turn, List<ToolDefinition> tools) {
    /** The longest client thread key, in characters. */
    static final int MAX_THREAD_KEY_LENGTH = ClientThreadKey.MAX_LENGTH;
    /** The longest client run id echoed back, in characters. */
    static final int MAX_RUN_ID_LENGTH = 128;
    /** Parameters of a client tool that declares none: an object with no members, as a model is told. */
    static final String NO_PARAMETERS = "{\"type\":\"object\",\"properties\":{}}";

    RunAgentInput {
        Objects.requireNonNull(threadId, "threadId");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(turn, "turn");
        tools = List.copyOf(tools);
    }

    /** What a run is for. */
    sealed interface Turn permits NewMessage, Answers {
    }

    /** The user's new message. */
    record NewMessage(String text) implements Turn {
        NewMessage {
            Objects.requireNonNull(text, "text");
        }
    }

    /** Answers to every call the thread's run waits on, in the order they came. */
    record Answers(List<Answer> answers) implements Turn {
        Answers {
            answers = List.copyOf(answers);
            if (answers.isEmpty()) {
                throw new IllegalArgumentException("a resume answers at least one call");
            }
        }

        /** The calls answered: those the client was told of before the pause. */
        Set<String> callIds() {
            return answers.stream().map(Answer::callId).collect(Collectors.toUnmodifiableSet());
        }

        /** The calls of the client's own tools it answered with their results. */
        Set<String> clientResults() {
            return answers.stream().filter(answer -> answer.output().isPresent()).map(Answer::callId)
                    .collect(Collectors.toUnmodifiableSet());
        }
    }

    /**
     * One answer, naming the call by the {@code toolCallId} (our step id) the client was given; the id is
     * checked against the run's pause, not here, so that one that names no call is refused as AG-UI says.
     */
    record Answer(String callId, boolean approved, Optional<String> reason, Optional<String> arguments,
                  Optional<String> output) {
        Answer {
            Objects.requireNonNull(callId, "callId");
        }

        /** The answer as the ports take it. @throws IllegalArgumentException when the id cannot be one of ours */
        ApprovalChoice choice() {
            return new ApprovalChoice(StepId.of(callId), approved, reason, arguments, output);
        }
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
        List<ToolDefinition> tools = ClientTools.from(body.get("tools"));
        List<Answer> answers = new ArrayList<>(ResumeEntries.from(body.get("resume")));
        int firstResult = messages.size();
        while (firstResult > 0 && isRole(messages.get(firstResult - 1), "tool")) {
            firstResult--;
        }
        for (int i = firstResult; i < messages.size(); i++) {
            // The client keeps the results this service streamed as tool messages too, and puts them after the
            // text the calls followed: in a round that ran some calls before pausing for others, they end its
            // copy. They answer nothing.
            if (!streamedHere(messages.get(i))) {
                answers.add(toolResult(messages.get(i), "messages[" + i + "]"));
            }
        }
        int last = messages.size() - 1;
        if (!answers.isEmpty()) {
            // A paused run's copy ends in its paused call; a user message after it would be a new message that
            // the answers would silently pass over.
            if (isRole(messages.get(last), "user")) {
                throw invalid("'messages[" + last + "]' is a new user message, but the request also answers the "
                        + "calls its thread's run waits on ('resume', or 'tool' messages): answer them first, then "
                        + "send the message in a run of its own.");
            }
            return new RunAgentInput(threadId, runId, new Answers(answers), tools);
        }
        return new RunAgentInput(threadId, runId, new NewMessage(userText(messages.get(last), "messages[" + last + "]")),
                tools);
    }

    /** Whether a {@code tool} message is the client's copy of a {@code TOOL_CALL_RESULT} this service sent. */
    private static boolean streamedHere(JsonNode message) {
        JsonNode id = message.get("id");
        JsonNode callId = message.get("toolCallId");
        return id != null && id.isTextual() && callId != null && callId.isTextual()
                && id.asText().equals(AgUiEvents.resultMessageId(callId.asText()));
    }

    private static boolean isRole(JsonNode message, String role) {
        return message.isObject() && message.path("role").isTextual() && message.get("role").asText().equals(role);
    }

    /**
     * A {@code tool} message after the paused call: the result of a call of the client's own tool. A result the
     * client reports as an error ({@code error}) is told to the model as one.
     */
    private static Answer toolResult(JsonNode message, String at) {
        JsonNode callId = message.get("toolCallId");
        if (callId == null || !callId.isTextual() || callId.asText().isBlank()) {
            throw invalid("'" + at + ".toolCallId' must name the call the tool message answers.");
        }
        String content = content(message.get("content"), at + ".content");
        JsonNode error = message.get("error");
        if (error != null && !error.isNull() && !error.isTextual()) {
            throw invalid("'" + at + ".error' must be a string.");
        }
        String output = error != null && error.isTextual() ? "Error: " + error.asText() : content;
        if (output.length() > ChatCommand.MAX_MESSAGE_LENGTH) {
            throw new ProblemException(new Problem(413, "message_too_large", "Message too large",
                    "'" + at + ".content' may be at most " + ChatCommand.MAX_MESSAGE_LENGTH + " characters, was "
                            + output.length() + "."));
        }
        return new Answer(callId.asText(), true, Optional.empty(), Optional.empty(), Optional.of(output));
    }

    /** A message's content: a string, or its text parts joined. */
    private static String content(JsonNode content, String at) {
        if (content != null && content.isTextual()) {
            return content.asText();
        }
        if (content != null && content.isArray()) {
            return joinedTextParts(content, at);
        }
        throw invalid("'" + at + "' must be a string or an array of content parts.");
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
        String text = content(message.get("content"), at + ".content");
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

    static ProblemException invalid(String detail) {
        return new ProblemException(Problem.badRequest(detail));
    }
}
