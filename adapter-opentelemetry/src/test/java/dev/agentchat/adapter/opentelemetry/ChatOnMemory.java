package dev.agentchat.adapter.opentelemetry;

import dev.agentchat.adapter.memory.agent.InMemoryAgentStore;
import dev.agentchat.adapter.memory.model.ScriptedChatModel;
import dev.agentchat.adapter.memory.store.InMemoryEventLog;
import dev.agentchat.adapter.memory.store.InMemoryIdempotencyKeys;
import dev.agentchat.adapter.memory.store.InMemoryMessageStore;
import dev.agentchat.adapter.memory.store.InMemoryRunStore;
import dev.agentchat.adapter.memory.store.InMemoryStepStore;
import dev.agentchat.adapter.memory.store.InMemoryThreadStore;
import dev.agentchat.adapter.memory.tool.ScriptedToolRuntime;
import dev.agentchat.domain.agent.Agent;
import dev.agentchat.domain.agent.AgentId;
import dev.agentchat.domain.agent.AgentStatus;
import dev.agentchat.domain.agent.ModelSettings;
import dev.agentchat.domain.chat.RunEvent;
import dev.agentchat.domain.run.Run;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.domain.thread.UserId;
import dev.agentchat.ports.chat.ChatCommand;
import dev.agentchat.ports.chat.ChatEventSink;
import dev.agentchat.ports.chat.ChatOutcome;
import dev.agentchat.ports.chat.ChatService;
import dev.agentchat.ports.chat.ChatSettings;
import dev.agentchat.ports.chat.TurnContext;
import dev.agentchat.ports.id.IdSource;
import dev.agentchat.ports.run.RunControl;
import dev.agentchat.ports.run.RunRecords;
import dev.agentchat.ports.run.RunSettings;
import dev.agentchat.ports.telemetry.Observation;
import dev.agentchat.ports.telemetry.Outcome;
import dev.agentchat.ports.telemetry.Telemetry;
import dev.agentchat.ports.telemetry.Work;
import dev.agentchat.ports.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The chat service over the in-memory adapters, a scripted model and scripted tools, its turns watched by the
 * telemetry under test, and HTTP requests played around them as the HTTP adapter plays them.
 */
final class ChatOnMemory {
    static final AgentId AGENT = AgentId.of("helper");
    static final UserId USER = UserId.of("ada");
    static final String ROUTE = "/api/agents/{agentId}/chat";

    final ScriptedChatModel model = new ScriptedChatModel();
    final ScriptedToolRuntime tools = new ScriptedToolRuntime();
    final InMemoryRunStore runs = new InMemoryRunStore();
    private final RunRecords records = new RunRecords(new InMemoryThreadStore(), new InMemoryMessageStore(), runs,
            new InMemoryStepStore());
    final RunControl control = RunControl.create(new InMemoryEventLog(), records, Clock.system(), IdSource.random(),
            RunSettings.defaults());
    private final Telemetry telemetry;
    private final ChatService service;

    ChatOnMemory(Telemetry telemetry) {
        this(telemetry, ModelSettings.DEFAULTS);
    }

    ChatOnMemory(Telemetry telemetry, ModelSettings settings) {
        this.telemetry = telemetry;
        Agent agent = new Agent(AGENT, Set.of(), "Helper", "Looks things up.", "Use tools.", List.of("lookup"),
                Agent.DEFAULT_HISTORY_TOKEN_BUDGET, settings, AgentStatus.ACTIVE, Map.of(), 3, Instant.EPOCH, Instant.EPOCH);
        this.service = new ChatService(new InMemoryAgentStore(List.of(agent)),
                new TurnContext(records, model, tools, Clock.system(), IdSource.random(), ChatSettings.defaults())
                        .watchedBy(telemetry),
                control, new InMemoryIdempotencyKeys());
    }

    /** A chat sent in a POST request with {@code headers}, answered 200 once the chat returns. */
    ChatOutcome chatInRequest(String message, Map<String, String> headers, Sink sink) {
        Observation request = telemetry.begin(new Work.HttpRequest("POST", name -> Optional.ofNullable(headers.get(name))));
        try (Observation.Scope inRequest = request.makeCurrent()) {
            return service.chat(new ChatCommand(AGENT, USER, Optional.empty(), message), sink);
        } finally {
            request.end(new Outcome.Responded(200, Optional.of(ROUTE)));
        }
    }

    ChatOutcome chatInRequest(String message) {
        return chatInRequest(message, Map.of(), new Sink());
    }

    /** A client following {@code run} from a GET request of its own, until the run's end. */
    boolean followInRequest(Run run, Sink sink) {
        Observation request = telemetry.begin(new Work.HttpRequest("GET", name -> Optional.empty()));
        try (Observation.Scope inRequest = request.makeCurrent()) {
            return control.streams().follow(run, sink, 0);
        } finally {
            request.end(new Outcome.Responded(200, Optional.of("/api/threads/{threadId}/runs/{runId}/events")));
        }
    }

    /** The stored run of a chat. */
    Run run(ThreadId thread, RunId run) {
        return runs.find(thread, run).orElseThrow();
    }

    /** A client that stays to the end and keeps what it is sent, and the ids the run was opened with. */
    static final class Sink implements ChatEventSink {
        final List<RunEvent> events = new CopyOnWriteArrayList<>();
        volatile RunId runId;
        volatile ThreadId threadId;

        @Override
        public void open(RunId run, ThreadId thread) {
            runId = run;
            threadId = thread;
        }

        @Override
        public void emit(RunEvent event) {
            events.add(event);
        }

        @Override
        public void onDisconnect(Runnable action) {
        }
    }
}
