package dev.agentchat.adapter.opentelemetry;

import dev.agentchat.domain.agent.Agent;
import dev.agentchat.domain.agent.ModelSettings;
import dev.agentchat.ports.telemetry.Work;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * How each piece of work begins as a span: its name, kind and the attributes known when it begins, as the
 * semantic conventions say (HTTP server spans; GenAI agent, inference and tool spans; database spans with
 * Cosmos DB's; MCP client spans). Content (messages, instructions, tool arguments) goes on only when
 * capture is on, and only on a span that records.
 */
final class WorkSpans {
    /** The methods HTTP's conventions know; any other is {@code _OTHER}, its own name kept beside it. */
    private static final Set<String> KNOWN_METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS",
            "TRACE", "PATCH");

    private final Tracer tracer;
    private final boolean captureContent;

    WorkSpans(Tracer tracer, boolean captureContent) {
        this.tracer = tracer;
        this.captureContent = captureContent;
    }

    boolean capturesContent() {
        return captureContent;
    }

    static boolean isKnownMethod(String method) {
        return KNOWN_METHODS.contains(method);
    }

    /**
     * A server span for the request, within the trace its caller sent ({@code traceparent}), if it sent one;
     * named by its method until its route is known.
     */
    Span httpRequest(Work.HttpRequest request, Context base) {
        Context parent = W3CTraceContextPropagator.getInstance().extract(base, request, HEADERS);
        String method = request.method().toUpperCase(Locale.ROOT);
        boolean known = KNOWN_METHODS.contains(method);
        SpanBuilder span = tracer.spanBuilder(known ? method : "HTTP").setSpanKind(SpanKind.SERVER).setParent(parent)
                .setAttribute(Conventions.HTTP_REQUEST_METHOD, known ? method : "_OTHER")
                // The path, never the query: a query may carry a key (the conventions' url.query is left out).
                .setAttribute(Conventions.URL_PATH, request.path())
                .setAttribute(Conventions.URL_SCHEME, request.scheme());
        if (!known) {
            span.setAttribute(Conventions.HTTP_REQUEST_METHOD_ORIGINAL, request.method());
        }
        return span.startSpan();
    }

    /**
     * An agent run: {@code invoke_agent {agent id}}, INTERNAL since the agent runs in this process. The id
     * names the span rather than the agent's display name the conventions suggest: it is the stable, bounded
     * name of the agent, where a display name is free text an edit may change.
     */
    Span agentRun(Work.AgentRun run, Context parent) {
        Agent agent = run.agent();
        SpanBuilder span = tracer.spanBuilder("invoke_agent " + agent.id().value()).setSpanKind(SpanKind.INTERNAL)
                .setParent(parent)
                .setAttribute(Conventions.GEN_AI_OPERATION_NAME, "invoke_agent")
                .setAttribute(Conventions.GEN_AI_PROVIDER_NAME, run.provider())
                .setAttribute(Conventions.GEN_AI_REQUEST_MODEL, run.model())
                .setAttribute(Conventions.GEN_AI_AGENT_ID, agent.id().value())
                .setAttribute(Conventions.GEN_AI_AGENT_NAME, agent.name())
                .setAttribute(Conventions.GEN_AI_AGENT_VERSION, Long.toString(run.run().agentVersion()))
                .setAttribute(Conventions.GEN_AI_CONVERSATION_ID, run.run().threadId().value())
                .setAttribute(Conventions.AGENTCHAT_RUN_ID, run.run().id().value())
                .setAttribute(Conventions.AGENTCHAT_RUN_RESUMED, run.resumed());
        if (!agent.description().isBlank()) {
            span.setAttribute(Conventions.GEN_AI_AGENT_DESCRIPTION, agent.description());
        }
        settings(span, agent.model());
        return span.startSpan();
    }

    /** A model call: {@code chat {model}}, CLIENT, always streamed. */
    Span modelCall(Work.ModelCall call, Context parent) {
        SpanBuilder builder = tracer.spanBuilder("chat " + call.model()).setSpanKind(SpanKind.CLIENT).setParent(parent)
                .setAttribute(Conventions.GEN_AI_OPERATION_NAME, "chat")
                .setAttribute(Conventions.GEN_AI_PROVIDER_NAME, call.provider())
                .setAttribute(Conventions.GEN_AI_REQUEST_MODEL, call.model())
                .setAttribute(Conventions.GEN_AI_CONVERSATION_ID, call.conversation().value())
                .setAttribute(Conventions.GEN_AI_REQUEST_STREAM, true);
        settings(builder, call.request().settings());
        Span span = builder.startSpan();
        if (captureContent && span.isRecording()) {
            if (!call.request().instructions().isBlank()) {
                span.setAttribute(Conventions.GEN_AI_SYSTEM_INSTRUCTIONS,
                        MessageContent.systemInstructions(call.request().instructions()));
            }
            span.setAttribute(Conventions.GEN_AI_INPUT_MESSAGES, MessageContent.inputMessages(call.request().messages()));
        }
        return span;
    }

    /**
     * A tool call the model asked for: {@code execute_tool {tool}}, INTERNAL; plain {@code execute_tool} for a tool
     * the turn did not offer, whose name the model made up (a span's name is for grouping, the attribute says it).
     */
    Span toolCall(Work.ToolCall call, Context parent) {
        Span span = tracer.spanBuilder(call.offered() ? "execute_tool " + call.toolName() : "execute_tool")
                .setSpanKind(SpanKind.INTERNAL).setParent(parent)
                .setAttribute(Conventions.GEN_AI_OPERATION_NAME, "execute_tool")
                .setAttribute(Conventions.GEN_AI_TOOL_NAME, call.toolName())
                .setAttribute(Conventions.GEN_AI_TOOL_CALL_ID, call.callId())
                .setAttribute(Conventions.GEN_AI_TOOL_TYPE, "function")
                .startSpan();
        if (captureContent && span.isRecording()) {
            span.setAttribute(Conventions.GEN_AI_TOOL_CALL_ARGUMENTS, call.arguments());
        }
        return span;
    }

    /** A store operation: {@code {operation} {collection}}, CLIENT, as the database conventions name it. */
    Span storeCall(Work.StoreCall call, Context parent) {
        return tracer.spanBuilder(call.operation() + " " + call.collection()).setSpanKind(SpanKind.CLIENT).setParent(parent)
                .setAttribute(Conventions.DB_SYSTEM_NAME, call.system())
                .setAttribute(Conventions.DB_COLLECTION_NAME, call.collection())
                .setAttribute(Conventions.DB_OPERATION_NAME, call.operation())
                .startSpan();
    }

    /** A request to a tool server: {@code {method} {tool}} (or {@code {method}}), CLIENT, as the MCP conventions say. */
    Span toolServerCall(Work.ToolServerCall call, Context parent) {
        SpanBuilder span = tracer.spanBuilder(call.tool().map(tool -> call.method() + " " + tool).orElse(call.method()))
                .setSpanKind(SpanKind.CLIENT).setParent(parent)
                .setAttribute(Conventions.MCP_METHOD_NAME, call.method())
                .setAttribute(Conventions.NETWORK_TRANSPORT, call.transport())
                .setAttribute(Conventions.AGENTCHAT_TOOL_SERVER_NAME, call.server());
        // No gen_ai.operation.name: the execute_tool span it is within is the tool call; a GenAI backend counts it once.
        call.tool().ifPresent(tool -> span.setAttribute(Conventions.GEN_AI_TOOL_NAME, tool));
        return span.startSpan();
    }

    /** The request settings the agent sets; those it leaves to the service are not known here. */
    private static void settings(SpanBuilder span, ModelSettings settings) {
        if (settings.temperature() != null) {
            span.setAttribute(Conventions.GEN_AI_REQUEST_TEMPERATURE, settings.temperature());
        }
        if (settings.maxOutputTokens() != null) {
            span.setAttribute(Conventions.GEN_AI_REQUEST_MAX_TOKENS, settings.maxOutputTokens().longValue());
        }
    }

    /** Reads a request's headers for the trace context propagator. */
    private static final TextMapGetter<Work.HttpRequest> HEADERS = new TextMapGetter<>() {
        @Override
        @SuppressWarnings("deprecation")   // still abstract in the interface: it must be there
        public Iterable<String> keys(Work.HttpRequest request) {
            return List.of();   // the W3C propagator asks for its headers by name; it never lists them
        }

        @Override
        public String get(Work.HttpRequest request, String name) {
            return request == null ? null : request.header().apply(name).orElse(null);
        }
    };
}
