package dev.agentchat.adapter.opentelemetry;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import dev.agentchat.domain.chat.ModelCallOutcome;
import dev.agentchat.domain.chat.ModelStreamItem;
import dev.agentchat.ports.chat.ModelMessage;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

/**
 * The contents of a model call as the GenAI conventions shape them (their input messages, output messages and
 * system instructions JSON schemas), written as JSON strings: the SDK has no structured attribute values on
 * spans yet, and the conventions say to serialize them to JSON there until it has.
 */
final class MessageContent {
    private static final JsonFactory JSON = JsonFactory.builder().build();

    private MessageContent() {
    }

    /** {@code gen_ai.system_instructions}: the agent's instructions as one text part. */
    static String systemInstructions(String instructions) {
        return write(json -> {
            json.writeStartArray();
            textPart(json, instructions);
            json.writeEndArray();
        });
    }

    /** {@code gen_ai.input.messages}: the conversation the model was sent, in its order. */
    static String inputMessages(List<ModelMessage> messages) {
        return write(json -> {
            json.writeStartArray();
            for (ModelMessage message : messages) {
                json.writeStartObject();
                switch (message) {
                    case ModelMessage.User user -> {
                        json.writeStringField("role", "user");
                        json.writeArrayFieldStart("parts");
                        textPart(json, user.content());
                        json.writeEndArray();
                    }
                    case ModelMessage.Assistant assistant -> {
                        json.writeStringField("role", "assistant");
                        answerParts(json, assistant.content(), assistant.toolCalls());
                    }
                    case ModelMessage.ToolResult result -> {
                        json.writeStringField("role", "tool");
                        json.writeArrayFieldStart("parts");
                        json.writeStartObject();
                        json.writeStringField("type", "tool_call_response");
                        json.writeStringField("id", result.callId());
                        json.writeStringField("response", result.content());
                        json.writeEndObject();
                        json.writeEndArray();
                    }
                }
                json.writeEndObject();
            }
            json.writeEndArray();
        });
    }

    /**
     * {@code gen_ai.output.messages}: the one answer the call gave, its text and the tools it asked for, and why
     * it ended, in the schema's words ({@code tool_call}, where the span's finish reasons say OpenAI's
     * {@code tool_calls}).
     */
    static String outputMessages(ModelCallOutcome outcome, Optional<String> finishReason) {
        List<ModelStreamItem.ToolCallRequest> calls = outcome instanceof ModelCallOutcome.CallTools tools
                ? tools.calls() : List.of();
        return write(json -> {
            json.writeStartArray();
            json.writeStartObject();
            json.writeStringField("role", "assistant");
            answerParts(json, outcome.answer(), calls);
            json.writeStringField("finish_reason", finishReason.map(reason -> reason.equals("tool_calls") ? "tool_call" : reason)
                    .orElse("error"));
            json.writeEndObject();
            json.writeEndArray();
        });
    }

    private static void answerParts(JsonGenerator json, String text, List<ModelStreamItem.ToolCallRequest> calls)
            throws IOException {
        json.writeArrayFieldStart("parts");
        if (!text.isEmpty()) {
            textPart(json, text);
        }
        for (ModelStreamItem.ToolCallRequest call : calls) {
            json.writeStartObject();
            json.writeStringField("type", "tool_call");
            json.writeStringField("id", call.callId());
            json.writeStringField("name", call.toolName());
            json.writeFieldName("arguments");
            arguments(json, call.arguments());
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    private static void textPart(JsonGenerator json, String content) throws IOException {
        json.writeStartObject();
        json.writeStringField("type", "text");
        json.writeStringField("content", content);
        json.writeEndObject();
    }

    /** The arguments as the object they are, as the schema wants; as a string when the model wrote no valid JSON. */
    private static void arguments(JsonGenerator json, String arguments) throws IOException {
        if (isOneJsonValue(arguments)) {
            json.writeRawValue(arguments);
        } else {
            json.writeString(arguments);
        }
    }

    private static boolean isOneJsonValue(String text) {
        if (text.isBlank()) {
            return false;
        }
        try (JsonParser parser = JSON.createParser(text)) {
            if (parser.nextToken() == null) {
                return false;
            }
            parser.skipChildren();
            return parser.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }

    private static String write(JsonWriting writing) {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(out)) {
            writing.writeTo(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);   // a StringWriter does not fail
        }
        return out.toString();
    }

    @FunctionalInterface
    private interface JsonWriting {
        void writeTo(JsonGenerator json) throws IOException;
    }
}
