package dev.agentchat.adapter.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentchat.adapter.memory.agent.InMemoryAgentStore;
import dev.agentchat.adapter.memory.model.Reply;
import dev.agentchat.adapter.memory.model.ScriptedChatModel;
import dev.agentchat.adapter.memory.store.InMemoryEventLog;
import dev.agentchat.adapter.memory.store.InMemoryIdempotencyKeys;
import dev.agentchat.adapter.memory.store.InMemoryMessageStore;
import dev.agentchat.adapter.memory.store.InMemoryRunStore;
import dev.agentchat.adapter.memory.store.InMemoryStepStore;
import dev.agentchat.adapter.memory.store.InMemoryThreadStore;
import dev.agentchat.adapter.memory.time.ManualClock;
import dev.agentchat.domain.agent.Agent;
import dev.agentchat.domain.agent.AgentId;
import dev.agentchat.domain.chat.ChatEvent;
import dev.agentchat.domain.chat.EventIdReservation;
import dev.agentchat.domain.chat.Interruption;
import dev.agentchat.domain.lifecycle.Transition;
import dev.agentchat.domain.chat.RunEvent;
import dev.agentchat.domain.message.Message;
import dev.agentchat.domain.run.ActiveRunLimit;
import dev.agentchat.domain.run.Run;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.run.RunStatus;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.domain.thread.UserId;
import dev.agentchat.domain.usage.Usage;
import dev.agentchat.ports.chat.ChatCommand;
import dev.agentchat.ports.chat.ChatEventSink;
import dev.agentchat.ports.chat.ChatOutcome;
import dev.agentchat.ports.chat.ChatService;
import dev.agentchat.ports.chat.ChatSettings;
import dev.agentchat.ports.chat.ClientDisconnected;
import dev.agentchat.ports.chat.TurnContext;
import dev.agentchat.ports.id.IdSource;
import dev.agentchat.ports.run.RunControl;
import dev.agentchat.ports.run.RunRecords;
import dev.agentchat.ports.run.RunSettings;
import dev.agentchat.ports.tool.ToolRuntime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A run's limits and its disconnect grace, kept by its watch on a clock the test moves: the test moves
 * time a second at a time until the run ends, and then reads how much time that took.
 */
class RunLimitsOnManualClockTest {
    private static final AgentId AGENT = AgentId.of("helper");
    private static final UserId USER = UserId.of("ada");
    /** How long a test waits for what happens on another thread: long, since a busy machine is slow, not wrong. */
    private static final Duration PATIENCE = Duration.ofSeconds(10);
    private static final Duration STEP = Duration.ofSeconds(1);

    private final ManualClock clock = ManualClock.atSomeDate();
    private final InMemoryThreadStore threads = new InMemoryThreadStore();
    private final InMemoryMessageStore messages = new InMemoryMessageStore();
    private final InMemoryRunStore runs = new InMemoryRunStore();
    private final InMemoryStepStore steps = new InMemoryStepStore();
    private final ScriptedChatModel model = new ScriptedChatModel();

    @Test
    void a_run_ends_incomplete_once_the_clock_passes_its_time_limit_keeping_its_answer() {
        // given a model that says a little and then nothing, and runs of at most 30 seconds
        RunSettings settings = limits(Duration.ofSeconds(30), Duration.ofMinutes(5));
        model.reply(Reply.builder().text("Partial ").hang().build());
        Instant started = clock.now();
        CompletableFuture<ChatOutcome> chat = chatAsync(settings, new RecordingSink());

        // when time passes
        Run run = moveTimeUntilTheRunEnds();

        // then
        assertThat(run.status()).isEqualTo(RunStatus.INCOMPLETE);
        assertThat(run.failure().code()).isEqualTo("run_timeout");
        assertThat(Duration.between(started, clock.now())).isGreaterThanOrEqualTo(Duration.ofSeconds(30));
        assertThat(chat).succeedsWithin(PATIENCE);
        assertThat(messages.listByThread(run.threadId())).extracting(Message::content).containsExactly("hello", "Partial ");
        assertThat(model.closedStreams()).isEqualTo(1);
    }

    @Test
    void a_model_silent_past_its_idle_timeout_fails_the_run() {
        // given a model that goes quiet, with 20 seconds of silence allowed
        RunSettings settings = limits(Duration.ofMinutes(10), Duration.ofSeconds(20));
        model.reply(Reply.builder().text("Thinking ").hang().build());
        Instant started = clock.now();
        CompletableFuture<ChatOutcome> chat = chatAsync(settings, new RecordingSink());

        // when time passes
        Run run = moveTimeUntilTheRunEnds();

        // then
        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.failure().code()).isEqualTo("model_timeout");
        assertThat(Duration.between(started, clock.now())).isGreaterThanOrEqualTo(Duration.ofSeconds(20));
        assertThat(chat).succeedsWithin(PATIENCE);
    }

    @Test
    void under_the_cancel_policy_a_run_nobody_follows_stops_once_the_clock_passes_the_grace() {
        // given a run that stops when its client has been gone for 5 seconds, and a client that leaves at the first token
        RunSettings settings = limits(Duration.ofMinutes(10), Duration.ofMinutes(5))
                .withDisconnectPolicy(RunSettings.DisconnectPolicy.CANCEL).withDisconnectGrace(Duration.ofSeconds(5));
        model.reply(Reply.builder().text("Half ").hang().build());
        RecordingSink leaving = new RecordingSink();
        leaving.leaveAtFirstEvent = true;
        chatAsync(settings, leaving);
        await().atMost(PATIENCE).until(() -> leaving.leftAt != null);

        // when time passes
        Run run = moveTimeUntilTheRunEnds();

        // then
        assertThat(run.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(run.failure().code()).isEqualTo("client_disconnected");
        assertThat(Duration.between(leaving.leftAt, clock.now())).as("not before the grace")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void a_resumed_run_may_work_only_for_what_its_earlier_stretches_left_of_its_time_limit() {
        // given runs of at most 60 seconds, and one that worked 50 seconds before it paused for approval, now approved
        RunSettings settings = limits(Duration.ofSeconds(60), Duration.ofMinutes(5));
        InMemoryEventLog log = new InMemoryEventLog(clock);
        RunRecords records = new RunRecords(threads, messages, runs, steps);
        RunControl control = RunControl.create(log, records, clock, IdSource.random(), settings);
        WaitingRuns waitingRuns = new WaitingRuns(records, log);
        WaitingRuns.Paused paused = waitingRuns.waiting("run_resumed", "Partial ", clock.now().minusSeconds(50), clock.now(),
                true);
        Run resumed = waitingRuns.approve(paused, clock.now());
        Instant resumedAt = clock.now();

        // when it is resumed with a turn that works until it is stopped, and time passes
        CompletableFuture<Interruption> stopped = new CompletableFuture<>();
        control.live().resume(resumed, control.live().admit(USER, ActiveRunLimit.of(10)), paused.pausedAtEvent(),
                EventIdReservation.INITIAL, live -> {
                    live.onInterrupt(stopped::complete);
                    Transition<Run> end = resumed.end(stopped.join().outcome("", Usage.NONE), null, clock.now());
                    runs.update(end.state());
                    end.events().forEach(live::emit);
                });
        Run run = moveTimeUntilTheRunEnds();

        // then it is stopped for its time limit once it has worked 10 seconds more, not 60
        assertThat(run.status()).isEqualTo(RunStatus.INCOMPLETE);
        assertThat(run.failure().code()).isEqualTo("run_timeout");
        assertThat(Duration.between(resumedAt, clock.now())).isGreaterThanOrEqualTo(Duration.ofSeconds(10))
                .isLessThan(Duration.ofSeconds(30));
    }

    /** Moves the clock a second at a time until the one run has ended; the run as it ended. */
    private Run moveTimeUntilTheRunEnds() {
        await().atMost(PATIENCE).until(() -> runs.listUnfinished(Instant.MAX, 10).size() == 1);
        Run running = runs.listUnfinished(Instant.MAX, 10).getFirst();
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(20)).until(() -> {
            if (ended(running)) {
                return true;
            }
            clock.advance(STEP);
            return false;
        });
        return runs.find(running.threadId(), running.id()).orElseThrow();
    }

    private boolean ended(Run run) {
        return runs.find(run.threadId(), run.id()).orElseThrow().status().isTerminal();
    }

    private static RunSettings limits(Duration maxRunDuration, Duration modelIdleTimeout) {
        RunSettings defaults = RunSettings.defaults();
        return new RunSettings(maxRunDuration, modelIdleTimeout, defaults.onDisconnect(), defaults.disconnectGrace(),
                defaults.eventRetention(), defaults.eventFlushInterval(), defaults.cancelCheckInterval(),
                defaults.abandonGrace(), defaults.idempotencyWindow());
    }

    private CompletableFuture<ChatOutcome> chatAsync(RunSettings settings, RecordingSink sink) {
        Agent agent = new Agent(AGENT, Set.of(), "Helper", "", "Be helpful.");
        RunRecords records = new RunRecords(threads, messages, runs, steps);
        RunControl control = RunControl.create(new InMemoryEventLog(clock), records, clock, IdSource.random(), settings);
        TurnContext context = new TurnContext(records, model, ToolRuntime.none(), clock, IdSource.random(), ChatSettings.defaults());
        ChatService service = new ChatService(new InMemoryAgentStore(List.of(agent)), context, control, new InMemoryIdempotencyKeys());
        ChatCommand command = new ChatCommand(AGENT, USER, Optional.empty(), "hello");
        return CompletableFuture.supplyAsync(() -> service.chat(command, sink), runnable -> Thread.ofVirtual().start(runnable));
    }

    /** Keeps every event; may play a client that leaves at the first one, noting when by the test's clock. */
    private final class RecordingSink implements ChatEventSink {
        final List<ChatEvent> events = new CopyOnWriteArrayList<>();
        final List<Runnable> onDisconnect = new CopyOnWriteArrayList<>();
        boolean leaveAtFirstEvent;
        volatile Instant leftAt;

        @Override
        public void open(RunId runId, ThreadId threadId) {
        }

        @Override
        public void emit(RunEvent numbered) {
            events.add(numbered.event());
            if (leaveAtFirstEvent) {
                leftAt = clock.now();
                onDisconnect.forEach(Runnable::run);
                throw new ClientDisconnected("gone", null);
            }
        }

        @Override
        public void onDisconnect(Runnable action) {
            onDisconnect.add(action);
        }
    }
}
