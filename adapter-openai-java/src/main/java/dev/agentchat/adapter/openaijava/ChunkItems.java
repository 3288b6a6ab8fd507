package dev.agentchat.adapter.openaijava;

import com.openai.core.JsonField;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.completions.CompletionUsage;
import dev.agentchat.domain.chat.FinishReason;
import dev.agentchat.domain.chat.ModelStreamItem;
import dev.agentchat.domain.usage.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns the SDK's chunks into the port's items: text deltas as they come, tool calls once the answer
 * finishes, the finish, and the usage. A field of the wrong type makes the SDK throw when it is read:
 * the stream reports that as a chunk that is not part of an answer. Confined to the stream's reader.
 */
final class ChunkItems {
    private static final Map<String, FinishReason> FINISH_REASONS = Map.of("length", FinishReason.LENGTH,
            "tool_calls", FinishReason.TOOL_CALLS, "function_call", FinishReason.TOOL_CALLS,
            "content_filter", FinishReason.CONTENT_FILTER);

    private final ToolCalls toolCalls = new ToolCalls();
    private boolean finished;
    /** The first model a chunk named; Azure's first chunk names none (an empty string). */
    private String responseModel;

    List<ModelStreamItem> of(ChatCompletionChunk chunk) {
        List<ModelStreamItem> items = new ArrayList<>(1);
        if (responseModel == null) {
            // Read leniently: model() throws on a chunk without one (some OpenAI-compatible servers send none),
            // and an answer is no less whole for it.
            chunk._model().asKnown().filter(model -> !model.isEmpty()).ifPresent(model -> responseModel = model);
        }
        // Azure's first chunk (prompt_filter_results) and the usage chunk have no choices, or an empty list.
        if (present(chunk._choices())) {
            for (ChatCompletionChunk.Choice choice : chunk.choices()) {
                // One answer is asked for (no "n"): another choice index is not ours to read.
                if (choice.index() == 0) {
                    read(choice, items);
                }
            }
        }
        chunk.usage().ifPresent(usage -> items.add(usageOf(usage)));
        return items;
    }

    /** The model the service says answered, once a chunk has named it. */
    Optional<String> responseModel() {
        return Optional.ofNullable(responseModel);
    }

    /** Whether the finish reason came: after it the answer is whole, even if the connection then drops. */
    boolean finished() {
        return finished;
    }

    /** The end of the body: calls still open are whole (a server that sent no finish reason). */
    List<ModelStreamItem> rest() {
        return List.copyOf(toolCalls.finish());
    }

    @SuppressWarnings("deprecation") // function_call: older OpenAI-compatible servers still send it
    private void read(ChatCompletionChunk.Choice choice, List<ModelStreamItem> items) {
        if (present(choice._delta())) {
            ChatCompletionChunk.Choice.Delta delta = choice.delta();
            delta.content().filter(text -> !text.isEmpty()).ifPresent(text -> items.add(new ModelStreamItem.TextDelta(text)));
            delta.toolCalls().ifPresent(calls -> calls.forEach(call -> toolCalls.add(
                    present(call._index()) ? call.index() : null, call.id().orElse(null),
                    call.function().flatMap(f -> f.name()).orElse(null),
                    call.function().flatMap(f -> f.arguments()).orElse(null))));
            // The pre-tools "function_call" delta: no id, no index.
            delta.functionCall().ifPresent(legacy -> toolCalls.add(null, null, legacy.name().orElse(null),
                    legacy.arguments().orElse(null)));
        }
        choice.finishReason().ifPresent(reason -> {
            items.addAll(toolCalls.finish());
            items.add(new ModelStreamItem.Finish(finishReason(reason.toString())));
            finished = true;
        });
    }

    /**
     * The chat completions API's finish reasons; an unknown one (some servers say "eos" or "end_turn")
     * means the model stopped by itself.
     */
    private static FinishReason finishReason(String wire) {
        return FINISH_REASONS.getOrDefault(wire, FinishReason.STOP);
    }

    private static ModelStreamItem usageOf(CompletionUsage usage) {
        return new ModelStreamItem.UsageReport(Usage.reported(usage.promptTokens(), usage.completionTokens()));
    }

    private static boolean present(JsonField<?> field) {
        return !field.isMissing() && !field.isNull();
    }
}
