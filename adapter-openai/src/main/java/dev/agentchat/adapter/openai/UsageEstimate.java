package dev.agentchat.adapter.openai;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import dev.agentchat.domain.chat.ModelStreamItem;
import dev.agentchat.domain.tool.ToolDefinition;
import dev.agentchat.domain.usage.Usage;
import dev.agentchat.ports.chat.ModelMessage;
import dev.agentchat.ports.chat.ModelRequest;

/**
 * Counts the tokens of a call whose service sent no usage (an OpenAI-compatible server that ignores
 * {@code stream_options.include_usage}, or an answer cut before its usage chunk), with the tokenizer
 * of the model's family, and marks the result as estimated. The prompt count follows OpenAI's chat
 * format: a few tokens of framing per message on top of its text.
 */
final class UsageEstimate {
    private static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();
    private static final int TOKENS_PER_MESSAGE = 4;
    private static final int TOKENS_PER_REPLY = 3;

    private final String model;
    private final ModelRequest request;
    private final StringBuilder completion = new StringBuilder();

    /** Nothing is counted yet: most services report their usage, and then no counting is needed. */
    UsageEstimate(String model, ModelRequest request) {
        this.model = model;
        this.request = request;
    }

    /** Notes what the model sent, to be counted if no usage comes. */
    void saw(ModelStreamItem item) {
        switch (item) {
            case ModelStreamItem.TextDelta delta -> completion.append(delta.text());
            case ModelStreamItem.ToolCallRequest call -> completion.append(call.toolName()).append(call.arguments());
            case ModelStreamItem.UsageReport report -> { }
            case ModelStreamItem.Finish finish -> { }
        }
    }

    Usage usage() {
        Encoding encoding = encodingFor(model);
        return Usage.estimated(countPrompt(encoding), encoding.countTokensOrdinary(completion.toString()));
    }

    private int countPrompt(Encoding encoding) {
        int tokens = TOKENS_PER_REPLY + TOKENS_PER_MESSAGE + encoding.countTokensOrdinary(request.instructions());
        for (ModelMessage message : request.messages()) {
            tokens += TOKENS_PER_MESSAGE + encoding.countTokensOrdinary(message.content());
            if (message instanceof ModelMessage.Assistant assistant) {
                for (ModelStreamItem.ToolCallRequest call : assistant.toolCalls()) {
                    tokens += encoding.countTokensOrdinary(call.toolName() + call.arguments());
                }
            }
        }
        for (ToolDefinition tool : request.tools()) {
            tokens += encoding.countTokensOrdinary(tool.name() + tool.description() + tool.parametersSchema());
        }
        return tokens;
    }

    /** o200k_base for the gpt-4o, gpt-4.1, gpt-5 and o-series families; cl100k_base for the older and the unknown. */
    private static Encoding encodingFor(String model) {
        String name = model.toLowerCase(java.util.Locale.ROOT);
        boolean o200k = name.startsWith("gpt-4o") || name.startsWith("gpt-4.1") || name.startsWith("gpt-5")
                || name.matches("o\\d.*") || name.startsWith("chatgpt-4o");
        return REGISTRY.getEncoding(o200k ? EncodingType.O200K_BASE : EncodingType.CL100K_BASE);
    }
}
