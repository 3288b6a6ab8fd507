package dev.agentchat.adapter.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.agentchat.adapter.memory.agent.InMemoryAgentStore;
import dev.agentchat.adapter.memory.model.Reply;
import dev.agentchat.adapter.memory.model.ScriptedChatModel;
import dev.agentchat.adapter.memory.store.InMemoryMessageStore;
import dev.agentchat.adapter.memory.store.InMemoryRunStore;
import dev.agentchat.adapter.memory.store.InMemoryStepStore;
import dev.agentchat.adapter.memory.store.InMemoryThreadStore;
import dev.agentchat.adapter.memory.store.StoreFaults;
import dev.agentchat.domain.agent.Agent;
import dev.agentchat.domain.agent.AgentId;
import dev.agentchat.domain.chat.ChatEvent;
import dev.agentchat.domain.chat.RunEvent;
import dev.agentchat.domain.chat.FinishReason;
import dev.agentchat.domain.message.Message;
import dev.agentchat.domain.message.MessageStatus;
import dev.agentchat.domain.message.Role;
import dev.agentchat.domain.run.Run;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.run.RunStatus;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.domain.thread.ThreadScope;
import dev.agentchat.domain.thread.ThreadStatus;
import dev.agentchat.domain.thread.UserId;
import dev.agentchat.domain.usage.Usage;
import dev.agentchat.domain.refusal.AgentNotFound;
import dev.agentchat.ports.chat.ChatCommand;
import dev.agentchat.adapter.memory.store.InMemoryEventLog;
import dev.agentchat.adapter.memory.store.InMemoryIdempotencyKeys;
import dev.agentchat.ports.chat.ChatEventSink;
import dev.agentchat.ports.run.RunControl;
import dev.agentchat.ports.run.RunRecords;
import dev.agentchat.ports.run.RunSettings;
import dev.agentchat.ports.chat.ChatOutcome;
import dev.agentchat.ports.chat.ChatService;
import dev.agentchat.ports.chat.TurnContext;
import dev.agentchat.ports.chat.ChatSettings;
import dev.agentchat.ports.tool.ToolRuntime;
import dev.agentchat.ports.chat.ClientDisconnected;
import dev.agentchat.ports.chat.ModelMessage;
import dev.agentchat.ports.chat.ModelRequest;
import dev.agentchat.ports.id.IdSource;
import dev.agentchat.ports.run.EventLog;
import dev.agentchat.ports.run.RunStore;
import dev.agentchat.ports.store.PageRequest;
import dev.agentchat.ports.store.StoreFailure;
import dev.agentchat.domain.refusal.ThreadDeleted;
import dev.agentchat.domain.refusal.ThreadNotFound;
import dev.agentchat.ports.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The chat service over the in-memory adapters and a scripted model: the order of writes and events, and every way a turn ends. */
class ChatServiceOnMemoryTest {
    private static final AgentId AGENT = AgentId.of("helper");
    private static final UserId USER = UserId.of("ada");

    private final InMemoryThreadStore threads = new InMemoryThreadStore();
    private final InMemoryMessageStore messages = new InMemoryMessageStore();
    private final ScriptedChatModel model = new ScriptedChatModel();
    private final InMemoryStepStore steps = new InMemoryStepStore();
    private final AtomicLong millis = new AtomicLong(1_700_000_000_000L);
    private final Clock clock = () -> Instant.ofEpochMilli(millis.getAndAdd(1));
    private RunStore runs = new InMemoryRunStore();
    private RunSettings runSettings = RunSettings.defaults();
    private EventLog eventLog = new InMemoryEventLog();

    @Test
    void the_turn_is_stored_before_the_first_event_and_the_answer_before_done() {
        model.reply(Reply.text("Hi ", "Ada"));
        List<String> seen = new ArrayList<>();
        RecordingSink sink = new RecordingSink() {
            @Override
            public void open(RunId runId, ThreadId threadId) {
                super.open(runId, threadId);
                Run run = runs.find(threadId, runId).orElseThrow();
                seen.add("open: run " + run.status() + ", messages " + roles(threadId));
            }

            @Override
            public void emit(RunEvent numbered) {
                ChatEvent event = numbered.event();
                super.emit(numbered);
                if (event instanceof ChatEvent.Done done) {
                    seen.add("done: run " + runs.find(done.threadId(), done.runId()).orElseThrow().status()
                            + ", messages " + roles(done.threadId()));
                }
            }
        };

        ChatOutcome outcome = service().chat(command("Hello", null), sink);

        assertThat(seen).containsExactly("open: run IN_PROGRESS, messages [USER]",
                "done: run COMPLETED, messages [USER, ASSISTANT]");
        assertThat(outcome).isInstanceOf(ChatOutcome.Answered.class);
        assertThat(((ChatOutcome.Answered) outcome).answer()).isEqualTo("Hi Ada");
        assertThat(sink.types()).containsExactly("Token", "Token", "Done");
    }

    @Test
    void the_model_is_given_the_agents_instructions_and_the_new_message() {
        model.reply(Reply.text("ok"));

        service().chat(command("What is up?", null), new RecordingSink());

        ModelRequest request = model.requests().getFirst();
        assertThat(request.agentId()).isEqualTo(AGENT);
        assertThat(request.instructions()).isEqualTo("Be helpful.");
        assertThat(request.messages()).containsExactly(ModelMessage.user("What is up?"));
    }

    @Test
    void an_unknown_agent_or_thread_is_refused_before_anything_is_stored() {
        ChatService service = service();

        assertThatThrownBy(() -> service.chat(new ChatCommand(AgentId.of("nobody"), USER, Optional.empty(), "hi"),
                new RecordingSink())).isInstanceOf(AgentNotFound.class);
        assertThatThrownBy(() -> service.chat(command("hi", ThreadId.of("thread_unknown")), new RecordingSink()))
                .isInstanceOf(ThreadNotFound.class);
        assertThat(threads.list(new ThreadScope(AGENT, USER), EnumSet.allOf(ThreadStatus.class), PageRequest.first(10)).total()).isZero();
        assertThat(model.requests()).isEmpty();
    }

    @Test
    void another_users_thread_cannot_be_continued() {
        model.reply(Reply.text("mine"));
        ThreadId ada = service().chat(command("hello", null), new RecordingSink()).threadId();

        assertThatThrownBy(() -> service().chat(new ChatCommand(AGENT, UserId.of("bob"), Optional.of(ada), "hi"),
                new RecordingSink())).isInstanceOf(ThreadNotFound.class);
    }

    @Test
    void a_thread_the_client_names_itself_is_opened_under_that_name_and_continued_by_it() {
        model.reply(Reply.text("first")).reply(Reply.text("second"));

        ChatOutcome first = service().chat(ChatCommand.toClientThread(AGENT, USER, "3f1c-uuid-of-the-client", "hello",
                Optional.empty()), new RecordingSink());
        ChatOutcome second = service().chat(ChatCommand.toClientThread(AGENT, USER, "3f1c-uuid-of-the-client", "again",
                Optional.empty()), new RecordingSink());

        ThreadId named = ThreadId.forClient(AGENT, USER, "3f1c-uuid-of-the-client");
        assertThat(first.threadId()).isEqualTo(named);
        assertThat(second.threadId()).isEqualTo(named);
        assertThat(roles(named)).containsExactly(Role.USER, Role.ASSISTANT, Role.USER, Role.ASSISTANT);
        assertThat(threads.list(new ThreadScope(AGENT, USER), EnumSet.allOf(ThreadStatus.class), PageRequest.first(10))
                .total()).isEqualTo(1);
    }

    @Test
    void the_same_client_name_from_two_users_names_two_threads() {
        model.reply(Reply.text("ada's")).reply(Reply.text("bob's"));

        ThreadId ada = service().chat(ChatCommand.toClientThread(AGENT, USER, "shared-key", "hello", Optional.empty()),
                new RecordingSink()).threadId();
        ThreadId bob = service().chat(ChatCommand.toClientThread(AGENT, UserId.of("bob"), "shared-key", "hello",
                Optional.empty()), new RecordingSink()).threadId();

        assertThat(ada).isNotEqualTo(bob);
        assertThat(roles(ada)).containsExactly(Role.USER, Role.ASSISTANT);
        assertThat(roles(bob)).containsExactly(Role.USER, Role.ASSISTANT);
    }

    @Test
    void a_message_names_its_thread_by_our_id_or_by_the_clients_name_but_not_both() {
        assertThatThrownBy(() -> new ChatCommand(AGENT, USER, Optional.of(ThreadId.of("thread_1")), "hi", Optional.empty(),
                Optional.of("key"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChatCommand.toClientThread(AGENT, USER, "k".repeat(129), "hi", Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(ChatCommand.toClientThread(AGENT, USER, "thread_1", "hi", Optional.empty()).fingerprint())
                .isNotEqualTo(command("hi", ThreadId.of("thread_1")).fingerprint());
    }

    @Test
    void a_soft_deleted_thread_cannot_be_continued() {
        model.reply(Reply.text("first"));
        ThreadId id = service().chat(command("hello", null), new RecordingSink()).threadId();
        threads.update(threads.find(new ThreadScope(AGENT, USER), id).orElseThrow().softDeleted(clock.now()));

        assertThatThrownBy(() -> service().chat(command("again", id), new RecordingSink())).isInstanceOf(ThreadDeleted.class);
        assertThat(messages.listByThread(id)).hasSize(2);
    }

    @Test
    void a_failed_set_up_of_a_new_thread_leaves_nothing_behind() {
        runs = StoreFaults.refusingRunCreates(new InMemoryRunStore());
        RecordingSink sink = new RecordingSink();

        assertThatThrownBy(() -> service().chat(command("hello", null), sink)).isInstanceOf(StoreFailure.class);

        assertThat(threads.list(new ThreadScope(AGENT, USER), EnumSet.allOf(ThreadStatus.class), PageRequest.first(10)).total()).isZero();
        assertThat(sink.opened).isFalse();
        assertThat(model.requests()).isEmpty();
    }

    @Test
    void a_failed_user_message_write_on_a_continued_thread_ends_the_run_failed() {
        model.reply(Reply.text("first"));
        ThreadId id = service().chat(command("hello", null), new RecordingSink()).threadId();
        ChatService failing = new ChatService(agents(), new TurnContext(new RunRecords(threads, StoreFaults.refusingAppends(messages,
                message -> message.role() == Role.USER), runs, steps), model, ToolRuntime.none(), clock, IdSource.random(),
                ChatSettings.defaults()), control(), new InMemoryIdempotencyKeys());

        assertThatThrownBy(() -> failing.chat(command("again", id), new RecordingSink())).isInstanceOf(StoreFailure.class);

        List<Run> all = runs.listByThread(id);
        assertThat(all).extracting(Run::status).containsExactly(RunStatus.COMPLETED, RunStatus.FAILED);
        assertThat(all.get(1).failure().code()).isEqualTo("store_error");
        assertThat(messages.listByThread(id)).hasSize(2);
    }

    @Test
    void an_answer_cut_by_the_token_limit_ends_the_run_incomplete_and_keeps_the_text() {
        model.reply(Reply.builder().text("A long").usage(Usage.reported(5, 2)).finish(FinishReason.LENGTH).build());
        RecordingSink sink = new RecordingSink();

        ChatOutcome outcome = service().chat(command("Tell me everything", null), sink);

        Run run = runs.listByThread(outcome.threadId()).getFirst();
        assertThat(run.status()).isEqualTo(RunStatus.INCOMPLETE);
        assertThat(run.usage()).isEqualTo(Usage.reported(5, 2));
        assertThat(sink.last()).isInstanceOfSatisfying(ChatEvent.Error.class,
                error -> assertThat(error.code()).isEqualTo("max_output_tokens"));
        Message kept = messages.listByThread(outcome.threadId()).get(1);
        assertThat(kept.content()).isEqualTo("A long");
        assertThat(kept.status()).isEqualTo(MessageStatus.INCOMPLETE);
    }

    @Test
    void under_the_cancel_policy_a_client_gone_at_the_first_token_cancels_the_run_and_closes_the_model() {
        runSettings = runSettings.withDisconnectPolicy(RunSettings.DisconnectPolicy.CANCEL).withDisconnectGrace(java.time.Duration.ZERO);
        model.reply(Reply.builder().text("never ").text("seen").hang().build());
        RecordingSink sink = new RecordingSink();
        sink.onEmit = event -> {
            sink.disconnect();
            throw new ClientDisconnected("gone", null);
        };

        ChatOutcome outcome = service().chat(command("hello", null), sink);

        Run run = runs.listByThread(outcome.threadId()).getFirst();
        assertThat(run.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(run.failure().code()).isEqualTo("client_disconnected");
        assertThat(model.closedStreams()).isEqualTo(1);
        // The run goes on apart from its client, so it may have taken the next piece before it heard the client left.
        assertThat(messages.listByThread(outcome.threadId())).extracting(Message::content)
                .satisfiesExactly(request -> assertThat(request).isEqualTo("hello"),
                        partial -> assertThat(partial).isIn("never ", "never seen"));
    }

    @Test
    void by_default_a_client_gone_at_the_first_token_leaves_the_run_to_finish_and_store_its_answer() {
        model.reply(Reply.builder().text("still ").pause(java.time.Duration.ofMillis(50)).text("answered")
                .finish(FinishReason.STOP).build());
        RecordingSink sink = new RecordingSink();
        sink.onEmit = event -> {
            sink.disconnect();
            throw new ClientDisconnected("gone", null);
        };

        ChatOutcome outcome = service().chat(command("hello", null), sink);

        assertThat(outcome).isInstanceOf(ChatOutcome.Answered.class);
        assertThat(runs.listByThread(outcome.threadId()).getFirst().status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(messages.listByThread(outcome.threadId())).extracting(Message::content)
                .containsExactly("hello", "still answered");
        assertThat(sink.events).as("the client got what came before it left, and nothing after").hasSize(1);
    }

    @Test
    void a_model_stream_that_ends_without_finishing_fails_the_run() {
        model.reply(Reply.builder().text("and then").build());
        RecordingSink sink = new RecordingSink();

        ChatOutcome outcome = service().chat(command("hello", null), sink);

        assertThat(runs.listByThread(outcome.threadId()).getFirst().failure().code()).isEqualTo("model_stream_cut");
        assertThat(sink.types()).containsExactly("Token", "Error");
    }

    @Test
    void a_model_failure_without_a_message_still_ends_the_run_with_a_clear_error() {
        ChatService service = new ChatService(agents(), new TurnContext(new RunRecords(threads, messages, runs, steps), new dev.agentchat.ports.chat.ChatModel() {
            @Override
            public String modelName() {
                return "broken";
            }

            @Override
            public dev.agentchat.ports.chat.ModelStream stream(ModelRequest request) {
                throw new dev.agentchat.ports.chat.ModelFailure("", null);
            }
        }, ToolRuntime.none(), clock, IdSource.random(), ChatSettings.defaults()), control(), new InMemoryIdempotencyKeys());
        RecordingSink sink = new RecordingSink();

        ChatOutcome outcome = service.chat(command("hello", null), sink);

        Run run = runs.listByThread(outcome.threadId()).getFirst();
        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.failure().code()).isEqualTo("model_error");
        assertThat(sink.last()).isInstanceOfSatisfying(ChatEvent.Error.class,
                error -> assertThat(error.message()).isNotBlank());
    }

    @Test
    void an_answer_longer_than_a_message_may_be_is_cut_and_the_run_ends_incomplete() {
        String piece = "x".repeat(100_000);
        Reply.Builder reply = Reply.builder();
        for (int i = 0; i < 11; i++) {
            reply.text(piece);
        }
        model.reply(reply.finish(FinishReason.STOP).build());
        RecordingSink sink = new RecordingSink();

        ChatOutcome outcome = service().chat(command("Write a lot", null), sink);

        Run run = runs.listByThread(outcome.threadId()).getFirst();
        assertThat(run.status()).isEqualTo(RunStatus.INCOMPLETE);
        assertThat(run.failure().code()).isEqualTo("answer_too_long");
        assertThat(messages.listByThread(outcome.threadId()).get(1).content()).hasSize(Message.MAX_CONTENT_LENGTH);
        assertThat(model.closedStreams()).as("the model is not read past the limit").isEqualTo(1);
    }

    @Test
    void a_store_that_refuses_the_end_of_the_run_does_not_stop_the_client_being_told() {
        runs = StoreFaults.refusingRunUpdates(new InMemoryRunStore());
        model.reply(Reply.text("fine"));
        RecordingSink sink = new RecordingSink();

        service().chat(command("hello", null), sink);

        assertThat(sink.last()).isInstanceOfSatisfying(ChatEvent.Error.class,
                error -> assertThat(error.code()).isEqualTo("store_error"));
        assertThat(sink.last().toString()).doesNotContain("injected fault");
    }

    @Test
    void a_batch_the_log_kept_although_it_reported_a_failure_is_kept_once_and_nothing_after_it_is_lost() {
        // given a log whose first write goes through but reports a failure, as a timed-out write may
        InMemoryEventLog kept = new InMemoryEventLog();
        java.util.concurrent.atomic.AtomicBoolean firstWrite = new java.util.concurrent.atomic.AtomicBoolean(true);
        eventLog = new WritesThrough(kept, () -> {
            if (firstWrite.getAndSet(false)) {
                throw new StoreFailure("the answer to the write was lost");
            }
        }, false);
        runSettings = runSettings.withEventFlushInterval(java.time.Duration.ofMillis(20));
        Reply.Builder slow = Reply.builder();
        for (int i = 0; i < 30; i++) {
            slow.text("w" + i + " ").pause(java.time.Duration.ofMillis(5));
        }
        model.reply(slow.finish(FinishReason.STOP).build());
        RecordingSink sink = new RecordingSink();
        RunControl control = control();
        ChatService service = new ChatService(agents(), context(), control, new InMemoryIdempotencyKeys());

        // when
        ChatOutcome outcome = service.chat(command("hello", null), sink);
        control.live().find(outcome.runId()).ifPresent(live -> live.awaitRetired(java.time.Duration.ofSeconds(5)));

        // then every event is in the log once, in order, as the client got them
        List<RunEvent> logged = kept.readAfter(outcome.threadId(), outcome.runId(), 0, 1_000, Instant.now());
        assertThat(logged).extracting(RunEvent::sequence)
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, sink.events.size()).boxed().toList());
        assertThat(logged).extracting(RunEvent::event).containsExactlyElementsOf(sink.events);
        assertThat(firstWrite.get()).as("the failing write happened").isFalse();
    }

    @Test
    void a_long_run_reserves_more_ids_as_it_goes_and_its_client_gets_every_event_in_order() {
        // given an answer longer than the ids every run has reserved from the start
        eventLog = new InMemoryEventLog();
        runSettings = runSettings.withEventFlushInterval(java.time.Duration.ofMillis(20));
        int length = (int) dev.agentchat.domain.chat.EventIdReservation.BLOCK + 1_000;
        model.reply(Reply.text(java.util.Collections.nCopies(length, "w ").toArray(String[]::new)));
        RecordingSink sink = new RecordingSink();

        // when
        ChatOutcome outcome = service().chat(command("hello", null), sink);

        // then
        assertThat(sink.events).hasSize(length + 1);
        assertThat(sink.last()).isInstanceOf(ChatEvent.Done.class);
        assertThat(eventLog.logged(outcome.threadId(), outcome.runId()).recorded())
                .as("the log holds a reservation past the run's last event").isGreaterThan(length + 1L);
    }

    @Test
    void a_client_never_gets_an_event_whose_id_the_log_has_not_reserved() {
        // given a log that takes no write: no id past the first block is ever reserved
        eventLog = new WritesThrough(new InMemoryEventLog(), () -> {
            throw new StoreFailure("the log is down");
        }, true);
        runSettings = runSettings.withEventFlushInterval(java.time.Duration.ofMillis(20));
        long block = dev.agentchat.domain.chat.EventIdReservation.BLOCK;
        model.reply(Reply.text(java.util.Collections.nCopies((int) block + 100, "w ").toArray(String[]::new)));
        RecordingSink sink = new RecordingSink();

        // when
        ChatOutcome outcome = service().chat(command("hello", null), sink);

        // then the client got the reserved ids only; the run itself completed and is stored so
        assertThat(sink.events).hasSize((int) block).allMatch(ChatEvent.Token.class::isInstance);
        assertThat(runs.listByThread(outcome.threadId()).getFirst().status()).isEqualTo(RunStatus.COMPLETED);
    }

    @Test
    void an_instance_whose_log_was_ended_by_someone_else_while_it_could_not_write_sends_no_id_of_theirs()
            throws Exception {
        // given a log that takes no write while a long answer streams, and then the run's end logged past the
        // first block by someone who took this instance for gone (a follower elsewhere, or recovery)
        InMemoryEventLog kept = new InMemoryEventLog();
        java.util.concurrent.atomic.AtomicBoolean down = new java.util.concurrent.atomic.AtomicBoolean(true);
        eventLog = new WritesThrough(kept, () -> {
            if (down.get()) {
                throw new StoreFailure("the log is down");
            }
        }, true);
        runSettings = runSettings.withEventFlushInterval(java.time.Duration.ofMillis(20));
        long block = dev.agentchat.domain.chat.EventIdReservation.BLOCK;
        Reply.Builder answer = Reply.builder();
        for (int i = 0; i < block + 100; i++) {
            answer.text("w ");
        }
        // The answer's end waits for the test, so the run is still going when the test looks for it.
        CompletableFuture<Void> finish = new CompletableFuture<>();
        model.reply(answer.await(finish).text("done.").finish(FinishReason.STOP).build());
        RecordingSink sink = new RecordingSink();
        var chat = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()
                .submit(() -> service().chat(command("hello", null), sink));
        await().atMost(java.time.Duration.ofSeconds(10)).until(() -> sink.events.size() >= block);
        Run run = runs.listUnfinished(Instant.now().plusSeconds(60), 10).stream()
                .filter(candidate -> candidate.status() == RunStatus.IN_PROGRESS).findFirst().orElseThrow();
        RunEvent theirs = new RunEvent(block + 1, new ChatEvent.Error("The run stopped.", "run_abandoned", Instant.now()));
        kept.append(run.threadId(), run.id(), List.of(theirs), Instant.now().plusSeconds(3_600));

        // when the log takes writes again before the run ends
        down.set(false);
        finish.complete(null);
        chat.get(10, java.util.concurrent.TimeUnit.SECONDS);

        // then the client got only ids the log had reserved, and the log's id past them is still theirs alone
        assertThat(sink.events).hasSize((int) block).allMatch(ChatEvent.Token.class::isInstance);
        assertThat(kept.readAfter(run.threadId(), run.id(), 0, 10_000, Instant.now())).containsExactly(theirs);
    }

    @Test
    void a_client_whose_stream_cannot_be_opened_does_not_hold_the_run_or_the_thread() {
        model.reply(Reply.text("Still answered."));
        RecordingSink broken = new RecordingSink() {
            @Override
            public void open(RunId runId, ThreadId threadId) {
                throw new IllegalStateException("the response was committed already");
            }
        };

        ChatOutcome outcome = service().chat(command("hello", null), broken);

        assertThat(outcome).isInstanceOf(ChatOutcome.Answered.class);
        assertThat(runs.listByThread(outcome.threadId()).getFirst().status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(threads.find(new ThreadScope(AGENT, USER), outcome.threadId()).orElseThrow().activeRun())
                .as("the thread is free for the next message").isEmpty();
    }

    private ChatService service() {
        return new ChatService(agents(), context(), control(), new InMemoryIdempotencyKeys());
    }

    /** What the test's turns work with: its stores, its model and clock, and no tools. */
    private TurnContext context() {
        return new TurnContext(new RunRecords(threads, messages, runs, steps), model, ToolRuntime.none(), clock,
                IdSource.random(), ChatSettings.defaults());
    }

    private static InMemoryAgentStore agents() {
        return new InMemoryAgentStore(List.of(new Agent(AGENT, Set.of(), "Helper", "", "Be helpful.")));
    }

    /** Run control over the test's stores, with its run settings. */
    private RunControl control() {
        return RunControl.create(eventLog, new RunRecords(threads, messages, runs, steps), Instant::now, IdSource.random(), runSettings);
    }

    private static ChatCommand command(String message, ThreadId threadId) {
        return new ChatCommand(AGENT, USER, Optional.ofNullable(threadId), message);
    }

    private List<Role> roles(ThreadId threadId) {
        return messages.listByThread(threadId).stream().map(Message::role).toList();
    }

    /** A sink that keeps every event, and can play a client that leaves. */
    /**
     * An event log over {@code kept} whose writes first pass {@code fault}, which may throw: before the
     * write when {@code faultFirst}, as a log that is down, or after it, as a write whose answer was lost.
     */
    private record WritesThrough(InMemoryEventLog kept, Runnable fault, boolean faultFirst) implements EventLog {
        @Override
        public void append(ThreadId threadId, RunId runId, List<RunEvent> events, long reservedThrough, Instant keepUntil) {
            if (faultFirst) {
                fault.run();
            }
            kept.append(threadId, runId, events, reservedThrough, keepUntil);
            if (!faultFirst) {
                fault.run();
            }
        }

        @Override
        public List<RunEvent> readAfter(ThreadId threadId, RunId runId, long after, int limit, Instant now) {
            return kept.readAfter(threadId, runId, after, limit, now);
        }

        @Override
        public dev.agentchat.ports.run.LoggedEvents logged(ThreadId threadId, RunId runId) {
            return kept.logged(threadId, runId);
        }

        @Override
        public int deleteByThread(ThreadId threadId) {
            return kept.deleteByThread(threadId);
        }
    }

    private static class RecordingSink implements ChatEventSink {
        final List<ChatEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        final List<Runnable> onDisconnect = new ArrayList<>();
        Consumer<ChatEvent> onEmit = event -> { };
        boolean opened;

        @Override
        public void open(RunId runId, ThreadId threadId) {
            opened = true;
        }

        @Override
        public void emit(RunEvent numbered) {
            ChatEvent event = numbered.event();
            events.add(event);
            onEmit.accept(event);
        }

        @Override
        public void onDisconnect(Runnable action) {
            onDisconnect.add(action);
        }

        void disconnect() {
            onDisconnect.forEach(Runnable::run);
        }

        List<String> types() {
            return events.stream().map(event -> event.getClass().getSimpleName()).toList();
        }

        ChatEvent last() {
            return events.getLast();
        }
    }
}
