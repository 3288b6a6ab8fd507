package dev.agentchat.adapter.openai;

import com.azure.ai.openai.models.ChatChoice;
import com.azure.ai.openai.models.ChatCompletions;
import com.azure.ai.openai.models.ChatCompletionsFunctionToolCall;
import com.azure.ai.openai.models.ChatCompletionsToolCall;
import com.azure.ai.openai.models.ChatResponseMessage;
import com.azure.ai.openai.models.CompletionsUsage;
import com.azure.ai.openai.models.FunctionCall;
import com.azure.json.JsonProviders;
import com.azure.json.JsonReader;
import dev.agentchat.domain.chat.FinishReason;
import dev.agentchat.domain.chat.ModelStreamItem;
import dev.agentchat.domain.usage.Usage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns the JSON of each streamed chunk ({@code chat.completion.chunk}) into stream items, in wire
 * order: text deltas, each tool call once it is complete, the finish, the usage. Not thread-safe:
 * used by the stream's one reader.
 */
final class ChunkTranslator {
    private final ToolCallAssembler toolCalls = new ToolCallAssembler();
    private final ModelFailures failures;
    private boolean finished;
    /** The first model a chunk named; Azure's first chunk names none (an empty string). */
    private String responseModel;

    ChunkTranslator(ModelFailures failures) {
        this.failures = failures;
    }

    /** The items one chunk carries (often one text delta, sometimes none). */
    List<ModelStreamItem> translate(String json) {
        PlainChunk plain = PlainChunk.read(json);
        if (plain != null) {
            noteModel(plain.model());
            return translate(plain);
        }
        ChatCompletions chunk = parse(json);
        noteModel(chunk.getModel());
        List<ModelStreamItem> items = new ArrayList<>(1);
        List<ChatChoice> choices = chunk.getChoices();
        if (choices != null) {
            for (ChatChoice choice : choices) {
                // One answer is asked for (no "n"): any other choice index is not ours to read.
                if (choice.getIndex() == 0) {
                    readChoice(choice, json, items);
                }
            }
        }
        CompletionsUsage usage = chunk.getUsage();
        if (usage != null) {
            items.add(new ModelStreamItem.UsageReport(Usage.reported(usage.getPromptTokens(), usage.getCompletionTokens())));
        }
        if ((choices == null || choices.isEmpty()) && usage == null) {
            // Azure's first chunk (prompt_filter_results only) looks like this, and so does an error
            // event sent mid-stream ({"error": {...}}), which the SDK's model has no field for.
            failIfError(json);
        }
        return items;
    }

    /** A plain chunk's items, as the SDK's model would give them. */
    private List<ModelStreamItem> translate(PlainChunk chunk) {
        List<ModelStreamItem> items = new ArrayList<>(1);
        if (chunk.content() != null && !chunk.content().isEmpty()) {
            items.add(new ModelStreamItem.TextDelta(chunk.content()));
        }
        if (chunk.finishReason() != null) {
            items.addAll(toolCalls.drain());
            items.add(new ModelStreamItem.Finish(finishReason(chunk.finishReason())));
            finished = true;
        }
        if (chunk.hasUsage()) {
            items.add(new ModelStreamItem.UsageReport(Usage.reported(chunk.promptTokens(), chunk.completionTokens())));
        }
        return items;
    }

    /** The model the service says answered, once a chunk has named it. */
    Optional<String> responseModel() {
        return Optional.ofNullable(responseModel);
    }

    private void noteModel(String model) {
        if (responseModel == null && model != null && !model.isEmpty()) {
            responseModel = model;
        }
    }

    /** Whether a finish reason has arrived: after it the answer is whole, even if the connection then drops. */
    boolean finished() {
        return finished;
    }

    /** The stream ended ([DONE]): tool calls still open are complete (a server that sent no finish reason). */
    List<ModelStreamItem> flush() {
        return List.copyOf(toolCalls.drain());
    }

    private void readChoice(ChatChoice choice, String json, List<ModelStreamItem> items) {
        ChatResponseMessage delta = choice.getDelta();
        if (delta != null) {
            String content = delta.getContent();
            if (content != null && !content.isEmpty()) {
                items.add(new ModelStreamItem.TextDelta(content));
            }
            List<ChatCompletionsToolCall> calls = delta.getToolCalls();
            if (calls != null) {
                List<Integer> indexes = toolCallIndexes(json);
                for (int i = 0; i < calls.size(); i++) {
                    ChatCompletionsToolCall call = calls.get(i);
                    FunctionCall function = call instanceof ChatCompletionsFunctionToolCall f ? f.getFunction() : null;
                    toolCalls.accept(i < indexes.size() ? indexes.get(i) : null, call.getId(),
                            function == null ? null : function.getName(), function == null ? null : function.getArguments());
                }
            }
            FunctionCall legacy = delta.getFunctionCall(); // the pre-tools "function_call" delta: no id at all
            if (legacy != null) {
                toolCalls.accept(null, null, legacy.getName(), legacy.getArguments());
            }
        }
        if (choice.getFinishReason() != null) {
            items.addAll(toolCalls.drain());
            items.add(new ModelStreamItem.Finish(finishReason(choice.getFinishReason().toString())));
            finished = true;
        }
    }

    /**
     * The finish_reason values of the chat completions API. An unknown one (some OpenAI-compatible servers
     * say "eos" or "end_turn") means the model stopped by itself: STOP, which still calls any tools it named.
     */
    static FinishReason finishReason(String wire) {
        return switch (wire) {
            case "length" -> FinishReason.LENGTH;
            case "tool_calls", "function_call" -> FinishReason.TOOL_CALLS;
            case "content_filter" -> FinishReason.CONTENT_FILTER;
            default -> FinishReason.STOP;
        };
    }

    /**
     * The chunk through the SDK's model, read strictly: on an array or object where the model reads a
     * string, the SDK's parse would otherwise never return (see {@link StrictJsonReader}).
     */
    private ChatCompletions parse(String json) {
        ChatCompletions chunk;
        try (JsonReader reader = StrictJsonReader.of(json)) {
            chunk = ChatCompletions.fromJson(reader);
        } catch (IOException | RuntimeException e) {
            throw failures.notAChunk(json, e);
        }
        if (chunk == null) {
            throw failures.notAChunk(json, null); // the JSON null
        }
        return chunk;
    }

    /**
     * The {@code index} of each tool-call delta of the first choice, in order (null where one has none):
     * the SDK's model drops it, so it is read from the chunk itself, only for chunks with tool calls.
     */
    private static List<Integer> toolCallIndexes(String json) {
        List<Integer> indexes = new ArrayList<>();
        try (JsonReader reader = JsonProviders.createReader(json)) {
            if (reader.readUntyped() instanceof Map<?, ?> chunk && chunk.get("choices") instanceof List<?> choices) {
                for (Object choice : choices) {
                    if (choice instanceof Map<?, ?> c && isFirst(c.get("index")) && c.get("delta") instanceof Map<?, ?> delta
                            && delta.get("tool_calls") instanceof List<?> calls) {
                        for (Object call : calls) {
                            indexes.add(call instanceof Map<?, ?> m && m.get("index") instanceof Number n ? n.intValue() : null);
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return List.of(); // it parsed as a chunk a moment ago; without indexes the ids still order the calls
        }
        return indexes;
    }

    private static boolean isFirst(Object index) {
        return index == null || (index instanceof Number n && n.intValue() == 0);
    }

    private void failIfError(String json) {
        Object error;
        try (JsonReader reader = JsonProviders.createReader(json)) {
            Object root = reader.readUntyped();
            error = root instanceof Map<?, ?> map ? map.get("error") : null;
        } catch (IOException | RuntimeException e) {
            return; // it parsed as a chunk a moment ago: not an error event
        }
        if (error != null) {
            throw failures.inAnswer(error);
        }
    }
}
