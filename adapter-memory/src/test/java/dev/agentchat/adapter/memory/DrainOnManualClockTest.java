package dev.agentchat.adapter.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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
import dev.agentchat.domain.chat.ChatEvent;
import dev.agentchat.domain.chat.FinishReason;
import dev.agentchat.domain.message.Message;
import dev.agentchat.domain.refusal.ServiceDraining;
import dev.agentchat.domain.run.Run;
import dev.agentchat.domain.run.RunStatus;
import dev.agentchat.domain.thread.ThreadScope;
import dev.agentchat.domain.thread.ThreadStatus;
import dev.agentchat.ports.chat.ApprovalChoice;
import dev.agentchat.ports.chat.ApprovalService;
import dev.agentchat.ports.chat.ChatCommand;
import dev.agentchat.ports.chat.ChatOutcome;
import dev.agentchat.ports.chat.ChatService;
import dev.agentchat.ports.chat.ChatSettings;
import dev.agentchat.ports.chat.TurnContext;
import dev.agentchat.ports.id.IdSource;
import dev.agentchat.ports.run.RunControl;
import dev.agentchat.ports.run.RunRecords;
import dev.agentchat.ports.run.RunSettings;
import dev.agentchat.ports.store.PageRequest;
import dev.agentchat.ports.thread.ThreadRef;
import dev.agentchat.ports.tool.ToolRuntime;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An instance that drains for shutdown, on a clock the test moves: it refuses what would start or resume a
 * run, lets the runs in flight finish within the drain, and ends those still going after it
 * {@code service_stopping}, with their answers so far and an error event to their followers.
 */
class DrainOnManualClockTest {
    /** How long a test waits for what happens on another thread: long, since a busy machine is slow, not wrong. */
    private static final Duration PATIENCE = Duration.ofSeconds(10);
    private static final Duration DRAIN = Duration.ofSeconds(10);

    private final ManualClock clock = ManualClock.atSomeDate();
    private final InMemoryThreadStore threads = new InMemoryThreadStore();
    private final InMemoryMessageStore messages = new InMemoryMessageStore();
    private final InMemoryRunStore runs = new InMemoryRunStore();
    private final InMemoryStepStore steps = new InMemoryStepStore();
    private final InMemoryEventLog log = new InMemoryEventLog(clock);
    private final ScriptedChatModel model = new ScriptedChatModel();
    private final RunRecords records = new RunRecords(threads, messages, runs, steps);
    private final RunControl control = RunControl.create(log, records, clock, IdSource.random(), RunSettings.defaults());
    private final TurnContext context = new TurnContext(records, model, ToolRuntime.none(), clock, IdSource.random(),
            ChatSettings.defaults());
    private final InMemoryAgentStore agents = new InMemoryAgentStore(List.of(
            new Agent(WaitingRuns.SCOPE.agentId(), Set.of(), "Helper", "", "Be helpful.")));
    private final ChatService chat = new ChatService(agents, context, control, new InMemoryIdempotencyKeys());
    private final CompletableFuture<Void> release = new CompletableFuture<>();

    @AfterEach
    void endWhatIsLeft() {
        release.complete(null);
        control.live().stopAll(PATIENCE);
    }

    @Test
    void a_draining_instance_refuses_a_new_chat_and_stores_nothing_of_it() {
        // given
        control.live().drain();

        // when / then
        assertThatThrownBy(() -> chat.chat(command("hello"), new RecordedEvents())).isInstanceOf(ServiceDraining.class);
        assertThat(threads.list(WaitingRuns.SCOPE, EnumSet.allOf(ThreadStatus.class), PageRequest.first(10)).total()).isZero();
        assertThat(model.requests()).isEmpty();
        assertThat(control.live().awaitIdle(Duration.ZERO)).as("no place was taken").isTrue();
    }

    @Test
    void a_decision_that_would_resume_a_run_is_refused_while_draining_and_the_run_keeps_waiting() {
        // given a run that waits for approval, and an instance that drains
        WaitingRuns.Paused paused = new WaitingRuns(records, log).waiting("run_waiting", "Let me compute. ",
                clock.now(), clock.now(), true);
        ApprovalService approvals = new ApprovalService(agents, context, control);
        control.live().drain();

        // when / then
        assertThatThrownBy(() -> approvals.decideApprovals(
                new ThreadRef(WaitingRuns.SCOPE.agentId(), WaitingRuns.SCOPE.userId(), paused.run().threadId()),
                paused.run().id(), List.of(new ApprovalChoice(paused.call().id(), true, Optional.empty(), Optional.empty()))))
                .isInstanceOf(ServiceDraining.class);
        assertThat(runs.find(paused.run().threadId(), paused.run().id()).orElseThrow().status())
                .as("left for another instance to resume").isEqualTo(RunStatus.REQUIRES_ACTION);
        assertThat(model.requests()).isEmpty();
    }

    @Test
    void a_run_in_flight_finishes_on_its_own_within_the_drain_and_its_follower_gets_all_of_it() {
        // given a run whose answer waits for the test, followed by its client
        model.reply(Reply.builder().text("Half ").await(release).text("and the rest.").finish(FinishReason.STOP).build());
        RecordedEvents client = new RecordedEvents();
        CompletableFuture<ChatOutcome> outcome = chatAsync(client);
        await().atMost(PATIENCE).until(() -> client.events.size() == 1);

        // when the instance drains, and the run's answer comes before the drain's end
        control.live().drain();
        CompletableFuture<Boolean> drained = CompletableFuture.supplyAsync(() -> control.live().awaitIdle(DRAIN),
                runnable -> Thread.ofVirtual().start(runnable));
        assertThat(drained).as("the drain waits for the run").isNotDone();
        release.complete(null);

        // then
        assertThat(drained).succeedsWithin(PATIENCE).isEqualTo(true);
        assertThat(outcome).succeedsWithin(PATIENCE).isInstanceOf(ChatOutcome.Answered.class);
        Run run = theRun();
        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(client.events.getLast().event()).isInstanceOf(ChatEvent.Done.class);
        assertThat(control.live().stopAll(PATIENCE)).as("nothing left to end").isZero();
    }

    @Test
    void a_run_still_going_when_the_drain_ends_is_ended_service_stopping_with_its_answer_so_far_and_an_error_event() {
        // given a run that says a little and then nothing, followed by its client
        model.reply(Reply.builder().text("Partial ").hang().build());
        RecordedEvents client = new RecordedEvents();
        CompletableFuture<ChatOutcome> outcome = chatAsync(client);
        await().atMost(PATIENCE).until(() -> client.events.size() == 1);

        // when the instance drains, the drain's time passes, and the rest are ended
        control.live().drain();
        CompletableFuture<Boolean> drained = CompletableFuture.supplyAsync(() -> control.live().awaitIdle(DRAIN),
                runnable -> Thread.ofVirtual().start(runnable));
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(20)).until(() -> {
            clock.advance(Duration.ofSeconds(1));
            return drained.isDone();
        });
        int stopped = control.live().stopAll(PATIENCE);

        // then
        assertThat(drained.join()).as("the run outlived the drain").isFalse();
        assertThat(stopped).isEqualTo(1);
        assertThat(outcome).succeedsWithin(PATIENCE);
        Run run = theRun();
        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.failure().code()).isEqualTo("service_stopping");
        assertThat(messages.listByThread(run.threadId())).extracting(Message::content).containsExactly("hello", "Partial ");
        assertThat(client.events.getLast().event()).isInstanceOfSatisfying(ChatEvent.Error.class,
                error -> assertThat(error.code()).isEqualTo("service_stopping"));
        assertThat(log.readAfter(run.threadId(), run.id(), 0, 100, clock.now()).getLast().event())
                .as("its events are in the log, its end last").isInstanceOf(ChatEvent.Error.class);
        assertThat(control.live().count()).isZero();
    }

    private Run theRun() {
        await().atMost(PATIENCE).until(() -> runs.listUnfinished(Instant.MAX, 10).isEmpty());
        ThreadScope scope = WaitingRuns.SCOPE;
        var thread = threads.list(scope, EnumSet.allOf(ThreadStatus.class), PageRequest.first(10)).threads().getFirst();
        return runs.listByThread(thread.id()).getFirst();
    }

    private CompletableFuture<ChatOutcome> chatAsync(RecordedEvents client) {
        return CompletableFuture.supplyAsync(() -> chat.chat(command("hello"), client),
                runnable -> Thread.ofVirtual().start(runnable));
    }

    private static ChatCommand command(String message) {
        return new ChatCommand(WaitingRuns.SCOPE.agentId(), WaitingRuns.SCOPE.userId(), Optional.empty(), message);
    }
}
