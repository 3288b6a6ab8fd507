package dev.agentchat.ports.telemetry;

import dev.agentchat.domain.agent.Agent;
import dev.agentchat.domain.run.Run;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.ports.chat.ModelRequest;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The pieces of work the service is watched doing, each with what is known when it begins; what is
 * known when it ends is its {@link Outcome}. Names and values here are the service's own; an
 * implementation maps them to its conventions (OpenTelemetry's for generative AI, say).
 */
public sealed interface Work {

    /**
     * An HTTP request the service answers: its {@code path} (never its query, which may carry secrets), its
     * {@code scheme}, and {@code header}, which reads its headers by name (a trace context its caller sends). Its
     * route is known once it is routed: it comes with the {@link Outcome.Responded}.
     */
    record HttpRequest(String method, String path, String scheme, Function<String, Optional<String>> header)
            implements Work {
        public HttpRequest {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(scheme, "scheme");
            Objects.requireNonNull(header, "header");
        }

        /** A request of the root path over plain HTTP: for a test that cares for neither. */
        public HttpRequest(String method, Function<String, Optional<String>> header) {
            this(method, "/", "http", header);
        }
    }

    /**
     * A run of {@code agent}, from its start or its resumption after a pause to its end or its next pause.
     *
     * @param model    the model its calls go to, as runs name it
     * @param provider who serves that model (see {@link dev.agentchat.ports.chat.ChatModel#provider()})
     * @param resumed  whether it goes on after a pause rather than starting
     */
    record AgentRun(Run run, Agent agent, String model, String provider, boolean resumed) implements Work {
        public AgentRun {
            Objects.requireNonNull(run, "run");
            Objects.requireNonNull(agent, "agent");
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(provider, "provider");
        }
    }

    /** One call of the model within a run of the thread {@code conversation}. */
    record ModelCall(ModelRequest request, String model, String provider, ThreadId conversation) implements Work {
        public ModelCall {
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(provider, "provider");
            Objects.requireNonNull(conversation, "conversation");
        }
    }

    /**
     * One call of a tool the model asked for, with the arguments it runs with. {@code offered}: the tool is one
     * the turn offered; a name the model made up (or was talked into) is not, and is no name to count by.
     */
    record ToolCall(String toolName, String callId, String arguments, boolean offered) implements Work {
        public ToolCall {
            Objects.requireNonNull(toolName, "toolName");
            Objects.requireNonNull(callId, "callId");
            Objects.requireNonNull(arguments, "arguments");
        }

        /** A call of a tool the turn offered. */
        public ToolCall(String toolName, String callId, String arguments) {
            this(toolName, callId, arguments, true);
        }
    }

    /**
     * One operation on a store: {@code system} is the database (as OpenTelemetry names it, say
     * {@code azure.cosmosdb}), {@code collection} the container or table, {@code operation} what is done.
     */
    record StoreCall(String system, String collection, String operation) implements Work {
        public StoreCall {
            Objects.requireNonNull(system, "system");
            Objects.requireNonNull(collection, "collection");
            Objects.requireNonNull(operation, "operation");
        }
    }

    /**
     * One request to a tool server (an MCP server): {@code method} as its protocol names it
     * ({@code tools/call}), {@code tool} the tool it is about, if any, {@code transport} how it is reached.
     */
    record ToolServerCall(String server, String method, Optional<String> tool, String transport) implements Work {
        public ToolServerCall {
            Objects.requireNonNull(server, "server");
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(tool, "tool");
            Objects.requireNonNull(transport, "transport");
        }
    }

    /** An event stream open to a client ({@code kind}: {@code chat}, {@code run_events}, {@code ag_ui}). */
    record EventStream(String kind) implements Work {
        public EventStream {
            Objects.requireNonNull(kind, "kind");
        }
    }
}
