package dev.agentchat.adapter.memory.model;

import dev.agentchat.domain.chat.FinishReason;
import dev.agentchat.domain.chat.ModelStreamItem;
import dev.agentchat.domain.usage.Usage;
import dev.agentchat.ports.chat.ChatModel;
import dev.agentchat.ports.chat.ModelMessage;
import dev.agentchat.ports.chat.ModelRequest;
import dev.agentchat.ports.chat.ModelStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The offline demo model of the embedded default: no network, no language model. It streams a short
 * answer, word by word at a reading pace, that says plainly it is the demo and how to configure a real
 * model. When the user asks for something one of the offered tools does (the time, a sum, a support
 * question), or names one of the offered tools it has no rule for (a client's own tool, such as an AG-UI
 * front end's), it calls that tool first and then reports the result, so the embedded default shows tool
 * traces. Its usage is an estimate (about four characters a token) and is marked so.
 */
public final class DemoChatModel implements ChatModel {
    private static final Pattern WORD_AND_SPACE = Pattern.compile("\\S+\\s*|\\s+");
    private static final int QUOTE_LIMIT = 120;

    private final Duration pace;

    /** @param pace the pause before each word; zero streams as fast as the reader reads */
    public DemoChatModel(Duration pace) {
        this.pace = pace;
    }

    @Override
    public String modelName() {
        return "offline-demo";
    }

    /** No provider: the answers are made here. */
    @Override
    public String provider() {
        return "agentchat.demo";
    }

    @Override
    public ModelStream stream(ModelRequest request) {
        long promptTokens = estimateTokens(request.instructions().length()
                + request.messages().stream().mapToLong(message -> message.content().length()).sum());
        if (request.last() instanceof ModelMessage.User user) {
            Optional<ModelStreamItem.ToolCallRequest> call = DemoToolChoice.choose(user.content(), request.tools(),
                    request.messages().size());
            if (call.isPresent()) {
                return new CueStream(Reply.builder().send(call.get())
                        .usage(Usage.estimated(promptTokens, estimateTokens(call.get().arguments().length())))
                        .finish(FinishReason.TOOL_CALLS).build(), () -> { });
            }
        }
        String answer = request.last() instanceof ModelMessage.ToolResult
                ? answerWithToolResults(request)
                : answerTo(request.lastUserMessage());
        Reply.Builder reply = Reply.builder();
        Matcher words = WORD_AND_SPACE.matcher(answer);
        while (words.find()) {
            if (!pace.isZero()) {
                reply.pause(pace);
            }
            reply.text(words.group());
        }
        return new CueStream(reply
                .usage(Usage.estimated(promptTokens, estimateTokens(answer.length())))
                .finish(FinishReason.STOP)
                .build(), () -> { });
    }

    static String answerTo(String message) {
        String oneLine = message.strip().replaceAll("\\s+", " ");
        String quote = oneLine.length() <= QUOTE_LIMIT ? oneLine : oneLine.substring(0, QUOTE_LIMIT) + "\u2026";
        return "I am agentchat's offline demo model, not a real language model, so I cannot really answer. "
                + "You said: \"" + quote + "\". "
                + "To talk to a real model, set AZURE_OPENAI_ENDPOINT and AZURE_OPENAI_DEPLOYMENT_NAME and restart the service.";
    }

    /** The answer after tools ran: what they returned, quoted, since the demo cannot reason about it. */
    static String answerWithToolResults(ModelRequest request) {
        StringBuilder answer = new StringBuilder("I am agentchat's offline demo model, so I cannot interpret this, "
                + "but I asked a tool for you. ");
        List<ModelMessage> messages = request.messages();
        for (int i = messages.size() - 1; i >= 0 && messages.get(i) instanceof ModelMessage.ToolResult result; i--) {
            String text = result.content().strip().replaceAll("\\s+", " ");
            answer.append("It answered: ").append(text.length() <= 300 ? text : text.substring(0, 300) + "\u2026").append(' ');
        }
        return answer.toString().strip();
    }

    private static long estimateTokens(long chars) {
        return (chars + 3) / 4;
    }
}
