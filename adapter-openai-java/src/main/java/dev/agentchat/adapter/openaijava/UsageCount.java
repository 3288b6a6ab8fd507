package dev.agentchat.adapter.openaijava;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import dev.agentchat.domain.chat.ModelStreamItem;
import dev.agentchat.domain.usage.Usage;
import dev.agentchat.ports.chat.ModelMessage;
import dev.agentchat.ports.chat.ModelRequest;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The usage of a call whose service sent none (a server that ignores {@code stream_options.include_usage},
 * or an answer cut before its usage chunk), counted with the tokenizer of the model's family and marked
 * estimated. The prompt is counted in OpenAI's chat framing: 4 tokens per message, 3 for the reply, on top
 * of the texts; the figures match the other model adapter's, so a run costs the same whichever client asks.
 */
final class UsageCount {
    private static final EncodingRegistry TOKENIZERS = Encodings.newLazyEncodingRegistry();
    private static final int FRAMING_PER_MESSAGE = 4;
    private static final int FRAMING_OF_REPLY = 3;
    /** The gpt-4o, gpt-4.1, gpt-5 and o-series families use o200k_base; older and unknown ones cl100k_base. */
    private static final Pattern O200K_FAMILIES = Pattern.compile("(gpt-4o|gpt-4\\.1|gpt-5|chatgpt-4o|o\\d).*");

    private final String model;
    private final ModelRequest request;
    private final StringBuilder answered = new StringBuilder();

    UsageCount(String model, ModelRequest request) {
        this.model = model;
        this.request = request;
    }

    /** Keeps what the model said, to count should no usage come; counting happens only then. */
    void note(ModelStreamItem item) {
        switch (item) {
            case ModelStreamItem.TextDelta text -> answered.append(text.text());
            case ModelStreamItem.ToolCallRequest call -> answered.append(call.toolName()).append(call.arguments());
            case ModelStreamItem.UsageReport ignored -> { }
            case ModelStreamItem.Finish ignored -> { }
        }
    }

    Usage estimate() {
        Encoding tokenizer = TOKENIZERS.getEncoding(O200K_FAMILIES.matcher(model.toLowerCase(Locale.ROOT)).matches()
                ? EncodingType.O200K_BASE : EncodingType.CL100K_BASE);
        long prompt = FRAMING_OF_REPLY + FRAMING_PER_MESSAGE + tokenizer.countTokensOrdinary(request.instructions());
        for (ModelMessage message : request.messages()) {
            prompt += FRAMING_PER_MESSAGE + tokenizer.countTokensOrdinary(message.content());
            if (message instanceof ModelMessage.Assistant assistant) {
                prompt += assistant.toolCalls().stream()
                        .mapToInt(call -> tokenizer.countTokensOrdinary(call.toolName() + call.arguments())).sum();
            }
        }
        prompt += request.tools().stream()
                .mapToInt(tool -> tokenizer.countTokensOrdinary(tool.name() + tool.description() + tool.parametersSchema())).sum();
        return Usage.estimated(prompt, tokenizer.countTokensOrdinary(answered.toString()));
    }
}
