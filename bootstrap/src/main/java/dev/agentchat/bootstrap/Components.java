package dev.agentchat.bootstrap;

import dev.agentchat.adapter.memory.agent.InMemoryAgentStore;
import dev.agentchat.adapter.memory.model.DemoChatModel;
import dev.agentchat.adapter.memory.store.InMemoryEventLog;
import dev.agentchat.adapter.memory.store.InMemoryIdempotencyKeys;
import dev.agentchat.adapter.memory.store.InMemoryMessageStore;
import dev.agentchat.adapter.memory.store.InMemoryRunStore;
import dev.agentchat.adapter.memory.store.InMemoryStepStore;
import dev.agentchat.adapter.memory.store.InMemoryThreadStore;
import dev.agentchat.adapter.tools.BuiltInTools;
import dev.agentchat.ports.agent.AgentStore;
import dev.agentchat.ports.auth.CredentialVerifier;
import dev.agentchat.ports.chat.ChatModel;
import dev.agentchat.ports.chat.IdempotencyKeys;
import dev.agentchat.ports.health.RequiredDependency;
import dev.agentchat.ports.id.IdSource;
import dev.agentchat.ports.message.MessageStore;
import dev.agentchat.ports.run.EventLog;
import dev.agentchat.ports.run.RunStore;
import dev.agentchat.ports.step.StepStore;
import dev.agentchat.ports.thread.ThreadStore;
import dev.agentchat.ports.time.Clock;
import dev.agentchat.ports.tool.ToolRuntime;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The adapters behind the outbound ports: what the services are wired to. Built once, by a {@link Builder}
 * that starts from the embedded default and is told which adapters replace it.
 *
 * <p>Components own the clients opened to build them ({@code owned}, in the order they were opened) and
 * {@link #close()} closes them in the reverse order, so that nothing is closed before what was built on it.
 * Whoever builds the components closes them, after the application that used them has stopped.
 */
public record Components(
        AgentStore agents,
        ThreadStore threads,
        MessageStore messages,
        RunStore runs,
        StepStore steps,
        EventLog events,
        IdempotencyKeys idempotencyKeys,
        ChatModel model,
        ToolRuntime tools,
        Optional<CredentialVerifier> tokens,
        Clock clock,
        IdSource ids,
        ServiceTelemetry telemetry,
        List<RequiredDependency> required,
        List<AutoCloseable> owned) implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Components.class.getName());

    public Components {
        Objects.requireNonNull(tokens, "tokens");
        Objects.requireNonNull(telemetry, "telemetry");
        required = List.copyOf(required);
        owned = List.copyOf(owned);
    }

    /** The embedded default to start from: in-memory stores, the offline demo model and the built-in tools. */
    public static Builder embedded(Settings settings) {
        return embedded(settings, BuiltInTools.all(java.time.Clock.systemUTC()));
    }

    /**
     * The embedded default with these tools instead of the built-in ones alone (the built-in tools beside those of
     * tool servers): chosen before anything else, as the configured agents are checked against them when seeded.
     */
    public static Builder embedded(Settings settings, ToolRuntime tools) {
        return embedded(settings, tools, ServiceTelemetry.from(settings));
    }

    /** As {@link #embedded(Settings, ToolRuntime)}, watched by {@code telemetry}, which the components own from now on. */
    public static Builder embedded(Settings settings, ToolRuntime tools, ServiceTelemetry telemetry) {
        try {
            return new Builder(settings, tools, telemetry);
        } catch (RuntimeException e) {
            telemetry.close();
            throw e;
        }
    }

    /** Closes what these components own, last opened first; a failure to close one does not keep the others open. */
    @Override
    public void close() {
        for (AutoCloseable resource : owned.reversed()) {
            try {
                resource.close();
            } catch (Exception e) {
                LOG.log(Level.WARNING, "Could not close " + resource, e);
            }
        }
    }

    /** Chooses the adapters; each setter replaces one, and {@link #build()} makes the components. */
    public static final class Builder {
        private AgentStore agents = new InMemoryAgentStore();
        private ThreadStore threads = new InMemoryThreadStore();
        private MessageStore messages = new InMemoryMessageStore();
        private RunStore runs = new InMemoryRunStore();
        private StepStore steps = new InMemoryStepStore();
        private EventLog events = new InMemoryEventLog();
        private IdempotencyKeys idempotencyKeys = new InMemoryIdempotencyKeys();
        private ChatModel model;
        private ToolRuntime tools;
        /** The access tokens the API takes, when an issuer is configured; none by default (open, or API keys only). */
        private Optional<CredentialVerifier> tokens = Optional.empty();
        private final Clock clock = Clock.system();
        private final IdSource ids = IdSource.random();
        private final ServiceTelemetry telemetry;
        private final List<RequiredDependency> required = new ArrayList<>();
        private final List<AutoCloseable> owned = new ArrayList<>();

        private Builder(Settings settings, ToolRuntime tools, ServiceTelemetry telemetry) {
            this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
            // Owned first, so closed last: the spans of what closes before it are still exported.
            owned.add(telemetry);
            this.model = new DemoChatModel(settings.demoModelDelay());
            this.tools = Objects.requireNonNull(tools, "tools");
            AgentSeeding.seed(agents, tools, clock, settings.agents(), false);
        }

        /**
         * Keeps the agents in this store, seeded with the configured agents as the settings say. They are
         * checked against the tools chosen so far, as the embedded store's were.
         */
        public Builder agents(AgentStore store, Settings settings) {
            AgentSeeding.seed(store, tools, clock, settings.agents(), settings.overwriteSeededAgents());
            this.agents = store;
            return this;
        }

        public Builder threads(ThreadStore store) {
            this.threads = Objects.requireNonNull(store);
            return this;
        }

        public Builder messages(MessageStore store) {
            this.messages = Objects.requireNonNull(store);
            return this;
        }

        public Builder runs(RunStore store) {
            this.runs = Objects.requireNonNull(store);
            return this;
        }

        public Builder steps(StepStore store) {
            this.steps = Objects.requireNonNull(store);
            return this;
        }

        public Builder events(EventLog log) {
            this.events = Objects.requireNonNull(log);
            return this;
        }

        public Builder idempotencyKeys(IdempotencyKeys keys) {
            this.idempotencyKeys = Objects.requireNonNull(keys);
            return this;
        }

        public Builder model(ChatModel chosen) {
            this.model = Objects.requireNonNull(chosen);
            return this;
        }

        public Builder tools(ToolRuntime chosen) {
            this.tools = Objects.requireNonNull(chosen);
            return this;
        }

        public Builder tokens(CredentialVerifier verifier) {
            this.tokens = Optional.of(verifier);
            return this;
        }

        /** What watches the service: the adapters chosen next are told of it. */
        public ServiceTelemetry telemetry() {
            return telemetry;
        }

        /** The service is not ready while {@code dependency} does not answer. */
        public Builder requires(RequiredDependency dependency) {
            required.add(Objects.requireNonNull(dependency));
            return this;
        }

        /** Hands a client opened for these components to them, to be closed when they are. */
        public Builder owning(AutoCloseable resource) {
            owned.add(Objects.requireNonNull(resource));
            return this;
        }

        public Components build() {
            return new Components(agents, threads, messages, runs, steps, events, idempotencyKeys, model, tools, tokens, clock, ids,
                    telemetry, required, owned);
        }
    }
}
