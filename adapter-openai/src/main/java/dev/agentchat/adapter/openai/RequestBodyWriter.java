package dev.agentchat.adapter.openai;

import com.azure.json.JsonProviders;
import com.azure.json.JsonReader;
import com.azure.json.JsonToken;
import com.azure.json.JsonWriter;
import dev.agentchat.domain.chat.ModelStreamItem.ToolCallRequest;
import dev.agentchat.domain.tool.ToolDefinition;
import dev.agentchat.ports.chat.ModelFailure;
import dev.agentchat.ports.chat.ModelServiceFailures;
import dev.agentchat.ports.chat.ModelMessage;
import dev.agentchat.ports.chat.ModelRequest;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * Writes the chat completions request body for a {@link ModelRequest}.
 *
 * <p>Why the body is written by hand and not with the SDK's ChatCompletionsOptions: the SDK keeps its
 * {@code stream} flag package-private and fills it only on the streaming path we avoid (see AnswerStream),
 * and {@code stream_options.include_usage}, without which no usage is streamed, must be in the body.
 * The model name of an OpenAI-compatible server is added by the SDK itself (NonAzureOpenAIClientImpl).
 */
final class RequestBodyWriter {
    private RequestBodyWriter() {
    }

    /**
     * @throws ModelFailure when a tool's parameters schema is not a JSON object (the request would be refused)
     */
    static String write(ModelRequest request) {
        StringWriter out = new StringWriter(1024);
        try (JsonWriter json = JsonProviders.createWriter(out)) {
            json.writeStartObject();
            json.writeStartArray("messages");
            if (!request.instructions().isBlank()) {
                json.writeStartObject().writeStringField("role", "system")
                        .writeStringField("content", request.instructions()).writeEndObject();
            }
            for (ModelMessage message : request.messages()) {
                writeMessage(json, message);
            }
            json.writeEndArray();
            if (!request.tools().isEmpty()) {
                json.writeStartArray("tools");
                for (ToolDefinition tool : request.tools()) {
                    writeTool(json, tool);
                }
                json.writeEndArray();
            }
            if (request.settings().temperature() != null) {
                json.writeDoubleField("temperature", request.settings().temperature());
            }
            if (request.settings().maxOutputTokens() != null) {
                json.writeIntField("max_tokens", request.settings().maxOutputTokens());
            }
            json.writeBooleanField("stream", true);
            json.writeStartObject("stream_options").writeBooleanField("include_usage", true).writeEndObject();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to a string cannot fail", e);
        }
        return out.toString();
    }

    private static void writeMessage(JsonWriter json, ModelMessage message) throws IOException {
        json.writeStartObject();
        switch (message) {
            case ModelMessage.User user -> json.writeStringField("role", "user").writeStringField("content", user.content());
            case ModelMessage.Assistant assistant -> {
                json.writeStringField("role", "assistant");
                if (assistant.content().isEmpty() && !assistant.toolCalls().isEmpty()) {
                    json.writeNullField("content"); // the API's way of saying "only tool calls"
                } else {
                    json.writeStringField("content", assistant.content());
                }
                if (!assistant.toolCalls().isEmpty()) {
                    json.writeStartArray("tool_calls");
                    for (ToolCallRequest call : assistant.toolCalls()) {
                        json.writeStartObject().writeStringField("id", call.callId()).writeStringField("type", "function")
                                .writeStartObject("function").writeStringField("name", call.toolName())
                                .writeStringField("arguments", call.arguments()).writeEndObject()
                                .writeEndObject();
                    }
                    json.writeEndArray();
                }
            }
            case ModelMessage.ToolResult result -> json.writeStringField("role", "tool")
                    .writeStringField("tool_call_id", result.callId()).writeStringField("content", result.content());
        }
        json.writeEndObject();
    }

    private static void writeTool(JsonWriter json, ToolDefinition tool) throws IOException {
        requireJsonObject(tool);
        json.writeStartObject().writeStringField("type", "function")
                .writeStartObject("function")
                .writeStringField("name", tool.name())
                .writeStringField("description", tool.description())
                .writeRawField("parameters", tool.parametersSchema())
                .writeEndObject()
                .writeEndObject();
    }

    /** The schema goes into the body as it is written, so it must be one whole JSON object. */
    private static void requireJsonObject(ToolDefinition tool) {
        try (JsonReader reader = JsonProviders.createReader(tool.parametersSchema())) {
            if (reader.nextToken() == JsonToken.START_OBJECT) {
                reader.skipChildren();
                if (reader.nextToken() == JsonToken.END_DOCUMENT || reader.currentToken() == null) {
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            // refused below
        }
        throw new ModelFailure(ModelServiceFailures.MODEL_ERROR,
                "The parameters schema of the tool '" + tool.name() + "' is not a JSON object, so the model cannot be told about it.");
    }
}
