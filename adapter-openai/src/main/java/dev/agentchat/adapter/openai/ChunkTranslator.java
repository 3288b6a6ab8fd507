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
import com.azure.json.JsonToken;
import dev.agentchat.domain.chat.FinishReason;
import dev.agentchat.domain.chat.ModelStreamItem;
import dev.agentchat.domain.usage.Usage;
import dev.agentchat.ports.chat.ModelFailure;
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

    ChunkTranslator(ModelFailures failures) {
        this.failures = failures;
    }

    /** The items one chunk carries (often one text delta, sometimes none). */
    List<ModelStreamItem> translate(String json) {
        PlainChunk plain = PlainChunk.read(json);
        if (plain != null) {
            return translate(plain);
        }
        ChatCompletions chunk = parse(json);
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
        if (chunk.content != null && !chunk.content.isEmpty()) {
            items.add(new ModelStreamItem.TextDelta(chunk.content));
        }
        if (chunk.finishReason != null) {
            items.addAll(toolCalls.drain());
            items.add(new ModelStreamItem.Finish(finishReason(chunk.finishReason)));
            finished = true;
        }
        if (chunk.usage) {
            items.add(new ModelStreamItem.UsageReport(Usage.reported(chunk.promptTokens, chunk.completionTokens)));
        }
        return items;
    }

    /**
     * Nearly every chunk is plain: one choice of index 0 whose delta holds text (or nothing), maybe a
     * finish reason, maybe the usage. Such a chunk is read token by token, without the SDK's object
     * model, which cost a microsecond and over two kilobytes a token; anything else (tool calls, a
     * function call, an error, other choices, a prompt filter report) is left to the full path.
     */
    private static final class PlainChunk {
        private String content;
        private String finishReason;
        private boolean choices;
        private boolean usage;
        private int promptTokens;
        private int completionTokens;

        /** The chunk, or null when it is not plain (or not readable here: the full path then says why). */
        static PlainChunk read(String json) {
            PlainChunk chunk = new PlainChunk();
            try (JsonReader reader = JsonProviders.createReader(json)) {
                if (reader.nextToken() != JsonToken.START_OBJECT) {
                    return null;
                }
                while (reader.nextToken() != JsonToken.END_OBJECT) {
                    String field = reader.getFieldName();
                    JsonToken value = reader.nextToken();
                    boolean plain = switch (field) {
                        case "choices" -> value == JsonToken.START_ARRAY && chunk.readChoices(reader);
                        case "usage" -> value == JsonToken.NULL || (value == JsonToken.START_OBJECT && chunk.readUsage(reader));
                        case "error", "prompt_filter_results" -> false;
                        default -> skip(reader);
                    };
                    if (!plain) {
                        return null;
                    }
                }
            } catch (IOException | RuntimeException e) {
                return null;
            }
            return chunk.choices || chunk.usage ? chunk : null;
        }

        private boolean readChoices(JsonReader reader) throws IOException {
            int count = 0;
            while (reader.nextToken() != JsonToken.END_ARRAY) {
                if (++count > 1 || reader.currentToken() != JsonToken.START_OBJECT) {
                    return false;
                }
                while (reader.nextToken() != JsonToken.END_OBJECT) {
                    String field = reader.getFieldName();
                    JsonToken value = reader.nextToken();
                    boolean plain = switch (field) {
                        case "index" -> value == JsonToken.NUMBER && reader.getInt() == 0;
                        case "delta" -> value == JsonToken.NULL || (value == JsonToken.START_OBJECT && readDelta(reader));
                        case "finish_reason" -> {
                            finishReason = value == JsonToken.NULL ? null : reader.getString();
                            yield value == JsonToken.NULL || value == JsonToken.STRING;
                        }
                        default -> skip(reader);
                    };
                    if (!plain) {
                        return false;
                    }
                }
            }
            choices = count == 1;
            return true;
        }

        private boolean readDelta(JsonReader reader) throws IOException {
            while (reader.nextToken() != JsonToken.END_OBJECT) {
                String field = reader.getFieldName();
                JsonToken value = reader.nextToken();
                switch (field) {
                    case "content" -> {
                        if (value == JsonToken.STRING) {
                            content = reader.getString();
                        } else if (value != JsonToken.NULL) {
                            return false;
                        }
                    }
                    case "tool_calls", "function_call" -> {
                        if (value != JsonToken.NULL) {
                            return false;
                        }
                    }
                    default -> reader.skipChildren();
                }
            }
            return true;
        }

        private boolean readUsage(JsonReader reader) throws IOException {
            while (reader.nextToken() != JsonToken.END_OBJECT) {
                String field = reader.getFieldName();
                JsonToken value = reader.nextToken();
                switch (field) {
                    case "prompt_tokens" -> promptTokens = reader.getInt();
                    case "completion_tokens" -> completionTokens = reader.getInt();
                    default -> reader.skipChildren();
                }
                if ((field.equals("prompt_tokens") || field.equals("completion_tokens")) && value != JsonToken.NUMBER) {
                    return false;
                }
            }
            usage = true;
            return true;
        }

        private static boolean skip(JsonReader reader) throws IOException {
            reader.skipChildren();
            return true;
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

    private static ChatCompletions parse(String json) {
        try (JsonReader reader = JsonProviders.createReader(json)) {
            return ChatCompletions.fromJson(reader);
        } catch (IOException | RuntimeException e) {
            throw new ModelFailure("model_protocol_error",
                    "The model service sent a chunk that is not a chat completion: " + ModelFailures.abbreviate(json), e);
        }
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
