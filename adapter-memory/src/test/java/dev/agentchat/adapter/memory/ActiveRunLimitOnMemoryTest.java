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
import dev.agentchat.adapter.memory.store.StoreFaults;
import dev.agentchat.domain.agent.Agent;
import dev.agentchat.domain.agent.AgentId;
import dev.agentchat.domain.chat.FinishReason;
import dev.agentchat.domain.chat.RunEvent;
import dev.agentchat.domain.refusal.TooManyActiveRuns;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.domain.thread.ThreadScope;
import dev.agentchat.domain.thread.ThreadStatus;
import dev.agentchat.domain.thread.UserId;
import dev.agentchat.ports.chat.ChatCommand;
import dev.agentchat.ports.chat.ChatEventSink;
import dev.agentchat.ports.chat.ChatOutcome;
import dev.agentchat.ports.chat.ChatService;
import dev.agentchat.ports.chat.ChatSettings;
import dev.agentchat.ports.chat.IdempotentRequest;
import dev.agentchat.ports.chat.TurnContext;
import dev.agentchat.ports.id.IdSource;
import dev.agentchat.ports.run.RunControl;
import dev.agentchat.ports.run.RunRecords;
import dev.agentchat.ports.run.RunSettings;
import dev.agentchat.ports.run.RunStore;
import dev.agentchat.ports.store.PageRequest;
import dev.agentchat.ports.store.StoreFailure;
import dev.agentchat.ports.tool.ToolRuntime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The limit on a user's runs in progress, over the in-memory adapters: who is refused, what is left behind, and when a place comes back. */
class ActiveRunLimitOnMemoryTest {
    private static final AgentId AGENT = AgentId.of("helper");
    private static final UserId ADA = UserId.of("ada");
    private static final UserId BOB = UserId.of("bob");
    private static final int LIMIT = 2;

    private final InMemoryThreadStore threads = new InMemoryThreadStore();
    private final InMemoryMessageStore messages = new InMemoryMessageStore();
    private final InMemoryStepStore steps = new InMemoryStepStore();
    private final InMemoryIdempotencyKeys keys = new InMemoryIdempotencyKeys();
    private final ScriptedChatModel model = new ScriptedChatModel();
    /** What every held run waits for before it answers. */
    private final CompletableFuture<Void> release = new CompletableFuture<>();
    private final List<CompletableFuture<ChatOutcome>> held = new ArrayList<>();
    private RunStore runs = new InMemoryRunStore();
    private RunControl control;

    @AfterEach
    void letHeldRunsEnd() {
        release.complete(null);
        if (control != null) {
            control.live().stopAll(Duration.ofSeconds(5));
        }
    }

    @Test
    void a_user_at_the_limit_is_refused_and_nothing_of_the_chat_is_stored() {
        ChatService service = service();
        holdRuns(service, ADA, LIMIT);

        assertThatThrownBy(() -> service.chat(command(ADA, "one too many", Optional.of("key-1")), new Sink()))
                .isInstanceOfSatisfying(TooManyActiveRuns.class, refused -> {
                    assertThat(refused.limit()).isEqualTo(LIMIT);
                    assertThat(refused.retryAfter()).isPositive();
                });

        assertThat(threadsOf(ADA)).isEqualTo(LIMIT);
        assertThat(runs.listUnfinished(Instant.MAX, 100)).hasSize(LIMIT);
        assertThat(model.requests()).hasSize(LIMIT);
        assertThat(keys.claim(new IdempotentRequest(new ThreadScope(AGENT, ADA), "key-1", "any", ThreadId.of("thread_x"),
                RunId.of("run_x"), Instant.now().plusSeconds(60)), Instant.now())).as("the key is free").isEmpty();
    }

    @Test
    void another_user_is_not_held_back_by_one_at_the_limit() {
        ChatService service = service();
        holdRuns(service, ADA, LIMIT);
        model.reply(Reply.text("hello Bob"));

        ChatOutcome outcome = service.chat(command(BOB, "hi", Optional.empty()), new Sink());

        assertThat(outcome).isInstanceOf(ChatOutcome.Answered.class);
        assertThat(threadsOf(BOB)).isEqualTo(1);
    }

    @Test
    void a_place_comes_back_when_a_run_ends() throws Exception {
        ChatService service = service();
        holdRuns(service, ADA, LIMIT);

        release.complete(null);
        for (CompletableFuture<ChatOutcome> run : held) {
            assertThat(run.get(10, TimeUnit.SECONDS)).isInstanceOf(ChatOutcome.Answered.class);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> control.live().activeRunsOf(ADA) == 0);
        model.reply(Reply.text("again"));

        assertThat(service.chat(command(ADA, "once more", Optional.empty()), new Sink()))
                .isInstanceOf(ChatOutcome.Answered.class);
    }

    @Test
    void a_retry_that_follows_its_earlier_run_holds_no_place_of_its_own() throws Exception {
        ChatService service = service();
        model.reply(Reply.builder().await(release).text("done").finish(FinishReason.STOP).build());
        CompletableFuture<ChatOutcome> first = CompletableFuture.supplyAsync(
                () -> service.chat(command(ADA, "once", Optional.of("key-r")), new Sink()), Thread.ofVirtual()::start);
        await().atMost(Duration.ofSeconds(10)).until(() -> model.requests().size() == 1);

        CompletableFuture<ChatOutcome> retry = CompletableFuture.supplyAsync(
                () -> service.chat(command(ADA, "once", Optional.of("key-r")), new Sink()), Thread.ofVirtual()::start);
        release.complete(null);

        assertThat(retry.get(10, TimeUnit.SECONDS).runId()).isEqualTo(first.get(10, TimeUnit.SECONDS).runId());
        await().atMost(Duration.ofSeconds(10)).until(() -> control.live().activeRunsOf(ADA) == 0);
        assertThat(model.requests()).hasSize(1);
    }

    @Test
    void a_retry_sent_while_the_user_is_at_the_limit_follows_its_run_instead_of_being_refused() throws Exception {
        // given a user at the limit, one of whose runs was asked for with an idempotency key
        ChatService service = service(1);
        model.reply(Reply.builder().await(release).text("done").finish(FinishReason.STOP).build());
        CompletableFuture<ChatOutcome> first = CompletableFuture.supplyAsync(
                () -> service.chat(command(ADA, "once", Optional.of("key-l")), new Sink()), Thread.ofVirtual()::start);
        await().atMost(Duration.ofSeconds(10)).until(() -> control.live().activeRunsOf(ADA) == 1);

        // when the client sends the same request again, while the first run is still going
        CompletableFuture<RunId> following = new CompletableFuture<>();
        Sink retrySink = new Sink() {
            @Override
            public void open(RunId runId, ThreadId threadId) {
                following.complete(runId);
            }
        };
        CompletableFuture<ChatOutcome> retry = CompletableFuture.supplyAsync(
                () -> service.chat(command(ADA, "once", Optional.of("key-l")), retrySink), Thread.ofVirtual()::start);
        assertThat(CompletableFuture.anyOf(following, retry).get(10, TimeUnit.SECONDS))
                .as("the retry follows the run (it was not refused)").isInstanceOf(RunId.class);
        release.complete(null);

        // then it follows the run, and no second run was asked of the model
        assertThat(retry.get(10, TimeUnit.SECONDS).runId()).isEqualTo(first.get(10, TimeUnit.SECONDS).runId());
        assertThat(model.requests()).hasSize(1);
    }

    @Test
    void a_place_comes_back_when_the_set_up_fails() {
        runs = StoreFaults.refusingRunCreates(new InMemoryRunStore());
        ChatService service = service(1);

        for (int attempt = 0; attempt < 3; attempt++) {
            assertThatThrownBy(() -> service.chat(command(ADA, "hi", Optional.empty()), new Sink()))
                    .as("the store's failure, not the limit").isInstanceOf(StoreFailure.class);
            assertThat(control.live().activeRunsOf(ADA)).isZero();
        }
    }

    @Test
    void of_many_chats_racing_for_a_users_last_place_exactly_one_is_admitted() throws Exception {
        ChatService service = service();
        holdRuns(service, ADA, LIMIT - 1);
        int racers = 8;
        for (int i = 0; i < racers; i++) {
            model.reply(Reply.builder().await(release).text("raced").finish(FinishReason.STOP).build());
        }
        CountDownLatch ready = new CountDownLatch(racers);
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<ChatOutcome>> racing = new ArrayList<>();
        for (int i = 0; i < racers; i++) {
            CompletableFuture<ChatOutcome> result = new CompletableFuture<>();
            racing.add(result);
            Thread.ofVirtual().start(() -> {
                ready.countDown();
                try {
                    go.await();
                    result.complete(service.chat(command(ADA, "race", Optional.empty()), new Sink()));
                } catch (Throwable e) {
                    result.completeExceptionally(e);
                }
            });
        }
        assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();

        go.countDown();

        await().atMost(Duration.ofSeconds(10)).until(() -> racing.stream().filter(CompletableFuture::isDone).count() == racers - 1);
        assertThat(racing).filteredOn(CompletableFuture::isDone)
                .allSatisfy(refused -> assertThatThrownBy(refused::get).isInstanceOf(ExecutionException.class)
                        .hasCauseInstanceOf(TooManyActiveRuns.class));
        assertThat(control.live().activeRunsOf(ADA)).isEqualTo(LIMIT);
        assertThat(threadsOf(ADA)).isEqualTo(LIMIT);
        release.complete(null);
        assertThat(racing.stream().filter(run -> !run.isCompletedExceptionally()).findFirst().orElseThrow()
                .get(10, TimeUnit.SECONDS)).isInstanceOf(ChatOutcome.Answered.class);
    }

    /** Starts {@code count} chats of {@code user} whose answers wait for the test's release, and waits until all are running. */
    private void holdRuns(ChatService service, UserId user, int count) {
        for (int i = 0; i < count; i++) {
            model.reply(Reply.builder().await(release).text("done").finish(FinishReason.STOP).build());
            CompletableFuture<ChatOutcome> run = new CompletableFuture<>();
            held.add(run);
            Thread.ofVirtual().start(() -> {
                try {
                    run.complete(service.chat(command(user, "hold", Optional.empty()), new Sink()));
                } catch (Throwable e) {
                    run.completeExceptionally(e);
                }
            });
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> control.live().activeRunsOf(user) == count
                && model.requests().size() >= count);
    }

    private long threadsOf(UserId user) {
        return threads.list(new ThreadScope(AGENT, user), EnumSet.allOf(ThreadStatus.class), PageRequest.first(100)).total();
    }

    private ChatService service() {
        return service(LIMIT);
    }

    private ChatService service(int limit) {
        RunRecords records = new RunRecords(threads, messages, runs, steps);
        control = RunControl.create(new InMemoryEventLog(), records, Instant::now, IdSource.random(), RunSettings.defaults());
        TurnContext context = new TurnContext(records, model, ToolRuntime.none(), Instant::now,
                IdSource.random(), ChatSettings.defaults().withMaxActiveRunsPerUser(limit));
        return new ChatService(new InMemoryAgentStore(List.of(new Agent(AGENT, Set.of(), "Helper", "", "Be helpful."))),
                context, control, keys);
    }

    private static ChatCommand command(UserId user, String message, Optional<String> key) {
        return new ChatCommand(AGENT, user, Optional.empty(), message, key);
    }

    /** A client that takes every event and never leaves. */
    private static class Sink implements ChatEventSink {
        @Override
        public void open(RunId runId, ThreadId threadId) {
        }

        @Override
        public void emit(RunEvent event) {
        }

        @Override
        public void onDisconnect(Runnable action) {
        }
    }
}
