package dev.agentchat.adapter.openai;

import com.azure.json.JsonProviders;
import com.azure.json.JsonReader;
import com.azure.json.JsonToken;
import java.io.IOException;

/**
 * Nearly every chunk is plain: one choice of index 0 whose delta holds text (or nothing), maybe a
 * finish reason, maybe the usage. Such a chunk is read token by token, without the SDK's object
 * model, which cost a microsecond and over two kilobytes a token; anything else (tool calls, a
 * function call, an error, other choices, a prompt filter report) is left to the full path.
 */
final class PlainChunk {
    private String content;
    private String finishReason;
    private boolean choices;
    private boolean usage;
    private int promptTokens;
    private int completionTokens;

    String content() {
        return content;
    }

    String finishReason() {
        return finishReason;
    }

    boolean hasUsage() {
        return usage;
    }

    int promptTokens() {
        return promptTokens;
    }

    int completionTokens() {
        return completionTokens;
    }

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

