package dev.agentchat.adapter.openaijava;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.openai.core.JsonField;
import com.openai.core.JsonValue;
import com.openai.core.ObjectMappers;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletionAssistantMessageParam;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import dev.agentchat.domain.chat.ModelStreamItem.ToolCallRequest;
import dev.agentchat.domain.tool.ToolDefinition;
import dev.agentchat.ports.chat.ModelFailure;
import dev.agentchat.ports.chat.ModelServiceFailures;
import dev.agentchat.ports.chat.ModelMessage;
import dev.agentchat.ports.chat.ModelRequest;
import java.util.Map;
import java.util.Optional;

/**
 * The chat completions request for a {@link ModelRequest}: instructions as the system message, the
 * conversation with its tool calls and results, the tools, the agent's temperature and answer length,
 * and {@code stream_options.include_usage}, without which no usage is streamed. The SDK adds
 * {@code "stream": true}. It also always sends {@code "model"}: for Azure, whose URL names the deployment,
 * the service ignores it.
 */
final class RequestParams {
    private RequestParams() {
    }

    /**
     * @param model the deployment (Azure: it goes into the URL) or the model name
     * @throws ModelFailure when a tool's parameters schema is not a JSON object (the request would be refused)
     */
    @SuppressWarnings("deprecation") // max_tokens, as the other adapter sends: Azure's GA api-versions know no max_completion_tokens
    static ChatCompletionCreateParams of(ModelRequest request, String model) {
        ChatCompletionCreateParams.Builder params = ChatCompletionCreateParams.builder().model(model);
        if (!request.instructions().isBlank()) {
            params.addSystemMessage(request.instructions());
        }
        for (ModelMessage message : request.messages()) {
            switch (message) {
                case ModelMessage.User user -> params.addUserMessage(user.content());
                case ModelMessage.Assistant assistant -> params.addMessage(assistantMessage(assistant));
                case ModelMessage.ToolResult result -> params.addMessage(ChatCompletionToolMessageParam.builder()
                        .toolCallId(result.callId()).content(result.content()).build());
            }
        }
        for (ToolDefinition tool : request.tools()) {
            params.addFunctionTool(FunctionDefinition.builder().name(tool.name()).description(tool.description())
                    .parameters(FunctionParameters.builder().additionalProperties(schemaOf(tool)).build()).build());
        }
        Optional.ofNullable(request.settings().temperature()).ifPresent(params::temperature);
        Optional.ofNullable(request.settings().maxOutputTokens()).ifPresent(tokens -> params.maxTokens(tokens.longValue()));
        return params.streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
    }

    private static ChatCompletionAssistantMessageParam assistantMessage(ModelMessage.Assistant assistant) {
        ChatCompletionAssistantMessageParam.Builder message = ChatCompletionAssistantMessageParam.builder();
        if (assistant.content().isEmpty() && !assistant.toolCalls().isEmpty()) {
            message.content((ChatCompletionAssistantMessageParam.Content) null); // the API's "only tool calls"
        } else {
            message.content(assistant.content());
        }
        for (ToolCallRequest call : assistant.toolCalls()) {
            message.addToolCall(ChatCompletionMessageFunctionToolCall.builder().id(call.callId())
                    .function(ChatCompletionMessageFunctionToolCall.Function.builder().name(call.toolName())
                            .arguments(call.arguments()).build())
                    .build());
        }
        return message.build();
    }

    /** The schema goes into the request as its fields, so it must be one whole JSON object. */
    private static Map<String, JsonValue> schemaOf(ToolDefinition tool) {
        try {
            JsonValue schema = ObjectMappers.jsonMapper().readerFor(JsonValue.class)
                    .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readValue(tool.parametersSchema());
            JsonField<?> field = schema; // JsonValue extends the raw JsonField: read through a wildcard, asObject() keeps its type
            Optional<Map<String, JsonValue>> fields = field == null ? Optional.empty() : field.asObject();
            if (fields.isPresent()) {
                return fields.get();
            }
        } catch (Exception notJson) {
            // refused below
        }
        throw new ModelFailure(ModelServiceFailures.MODEL_ERROR, "The parameters schema of the tool '" + tool.name()
                + "' is not a JSON object, so the model cannot be told about it.");
    }
}
