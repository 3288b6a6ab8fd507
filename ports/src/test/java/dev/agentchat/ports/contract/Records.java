package dev.agentchat.ports.contract;

import dev.agentchat.domain.agent.AgentId;
import dev.agentchat.domain.message.Message;
import dev.agentchat.domain.message.MessageId;
import dev.agentchat.domain.message.MessageStatus;
import dev.agentchat.domain.message.Role;
import dev.agentchat.domain.run.Run;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.step.Step;
import dev.agentchat.domain.step.StepId;
import dev.agentchat.domain.thread.ChatThread;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.domain.thread.ThreadScope;
import dev.agentchat.domain.thread.ThreadStatus;
import dev.agentchat.domain.thread.UserId;
import dev.agentchat.domain.tool.ToolDefinition;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Test data builders for the records the stores keep: valid defaults, a fresh id for every record and
 * every scope, and only what a test cares about spelled out. Fresh ids keep the contract tests
 * independent of each other even against a shared, long-lived store (a Cosmos DB container).
 */
public final class Records {
    /** Whole milliseconds on purpose: stores must keep at least millisecond precision, not more. */
    public static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");

    private Records() {
    }

    /** A fresh identifier that no other test uses. */
    public static String uniqueId(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    public static ThreadId aThreadId() {
        return ThreadId.of(uniqueId("thread"));
    }

    public static RunId aRunId() {
        return RunId.of(uniqueId("run"));
    }

    public static MessageId aMessageId() {
        return MessageId.of(uniqueId("msg"));
    }

    /** A fresh agent and user, so that a listing holds only what the test put there. */
    public static ThreadScope aScope() {
        return new ThreadScope(AgentId.of(uniqueId("agent")), UserId.of(uniqueId("user")));
    }

    /** The same user talking to a different agent. */
    public static ThreadScope anotherAgentOf(ThreadScope scope) {
        return new ThreadScope(AgentId.of(uniqueId("agent")), scope.userId());
    }

    /** A different user of the same agent. */
    public static ThreadScope anotherUserOf(ThreadScope scope) {
        return new ThreadScope(scope.agentId(), UserId.of(uniqueId("user")));
    }

    public static ThreadBuilder aThread() {
        return new ThreadBuilder();
    }

    public static MessageBuilder aMessage() {
        return new MessageBuilder();
    }

    public static RunBuilder aRun() {
        return new RunBuilder();
    }

    public static StepBuilder aStep() {
        return new StepBuilder();
    }

    /** Builds a {@link ChatThread}: active, in a fresh scope, created and updated at {@link #T0}. */
    public static final class ThreadBuilder {
        private ThreadId id = aThreadId();
        private ThreadScope scope = aScope();
        private String title = "Why is my VM unreachable?";
        private ThreadStatus status = ThreadStatus.ACTIVE;
        private Instant createdAt = T0;
        private Instant updatedAt = T0;

        private ThreadBuilder() {
        }

        public ThreadBuilder withId(ThreadId id) {
            this.id = id;
            return this;
        }

        public ThreadBuilder in(ThreadScope scope) {
            this.scope = scope;
            return this;
        }

        public ThreadBuilder titled(String title) {
            this.title = title;
            return this;
        }

        public ThreadBuilder deleted() {
            this.status = ThreadStatus.DELETED;
            return this;
        }

        /** Last changed at {@code updatedAt}; created then too, unless that would be after it. */
        public ThreadBuilder updatedAt(Instant updatedAt) {
            this.updatedAt = updatedAt;
            if (createdAt.isAfter(updatedAt)) {
                this.createdAt = updatedAt;
            }
            return this;
        }

        public ChatThread build() {
            return new ChatThread(id, scope.agentId(), scope.userId(), title, status, createdAt, updatedAt, null, 0);
        }
    }

    /** Builds a {@link Message}: a complete user message in a fresh thread, created at {@link #T0}. */
    public static final class MessageBuilder {
        private MessageId id = aMessageId();
        private ThreadId threadId = aThreadId();
        private RunId runId = aRunId();
        private Role role = Role.USER;
        private String content = "My VM is unreachable.";
        private MessageStatus status = MessageStatus.COMPLETE;
        private Instant createdAt = T0;

        private MessageBuilder() {
        }

        public MessageBuilder withId(MessageId id) {
            this.id = id;
            return this;
        }

        public MessageBuilder inThread(ThreadId threadId) {
            this.threadId = threadId;
            return this;
        }

        public MessageBuilder ofRun(RunId runId) {
            this.runId = runId;
            return this;
        }

        public MessageBuilder from(Role role) {
            this.role = role;
            return this;
        }

        public MessageBuilder saying(String content) {
            this.content = content;
            return this;
        }

        public MessageBuilder incomplete() {
            this.status = MessageStatus.INCOMPLETE;
            return this;
        }

        public MessageBuilder createdAt(Instant createdAt) {
            this.createdAt = createdAt;
            return this;
        }

        public Message build() {
            return new Message(id, threadId, runId, role, content, status, createdAt);
        }
    }

    /**
     * Builds a {@link Run}, queued at {@link #T0} in a fresh thread. Later states come from the domain's
     * own transitions ({@code run.start(now).state()}), so that every built run is one the service could store.
     */
    public static final class RunBuilder {
        private RunId id = aRunId();
        private ThreadId threadId = aThreadId();
        private AgentId agentId = AgentId.of("support-triage");
        private UserId userId = UserId.of(uniqueId("user"));
        private MessageId requestMessageId = aMessageId();
        private Instant createdAt = T0;
        private List<ToolDefinition> clientTools = List.of();

        private RunBuilder() {
        }

        /** The run's model is offered these tools of the client's own beside the agent's. */
        public RunBuilder offeringClientTools(ToolDefinition... tools) {
            this.clientTools = List.of(tools);
            return this;
        }

        public RunBuilder withId(RunId id) {
            this.id = id;
            return this;
        }

        public RunBuilder inThread(ThreadId threadId) {
            this.threadId = threadId;
            return this;
        }

        public RunBuilder createdAt(Instant createdAt) {
            this.createdAt = createdAt;
            return this;
        }

        public RunBuilder forUser(UserId userId) {
            this.userId = userId;
            return this;
        }

        /** The run waiting to start: no answer, no failure, no start or end time. */
        public Run build() {
            return Run.queue(id, threadId, new ThreadScope(agentId, userId), 1, requestMessageId, clientTools, createdAt);
        }
    }

    /** Builds a {@link Step}: a tool call begun at {@link #T0} in a fresh run of a fresh thread. */
    public static final class StepBuilder {
        private StepId id = StepId.of(uniqueId("step"));
        private ThreadId threadId = aThreadId();
        private RunId runId = aRunId();
        private String callId = uniqueId("call");
        private String toolName = "lookup_vm";
        private String arguments = "{\"vm\":\"web-01\"}";
        private Instant startedAt = T0;

        private StepBuilder() {
        }

        public StepBuilder withId(StepId id) {
            this.id = id;
            return this;
        }

        public StepBuilder inThread(ThreadId threadId) {
            this.threadId = threadId;
            return this;
        }

        public StepBuilder ofRun(RunId runId) {
            this.runId = runId;
            return this;
        }

        public StepBuilder calling(String toolName, String arguments) {
            this.toolName = toolName;
            this.arguments = arguments;
            return this;
        }

        public StepBuilder startedAt(Instant startedAt) {
            this.startedAt = startedAt;
            return this;
        }

        /** The step as it begins: in progress, no output or error yet. */
        public Step build() {
            return Step.begin(id, runId, threadId, callId, toolName, arguments, startedAt).state();
        }
    }
}
