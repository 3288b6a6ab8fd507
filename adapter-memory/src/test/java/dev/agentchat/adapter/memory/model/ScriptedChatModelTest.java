package dev.agentchat.adapter.memory.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.agentchat.domain.chat.FinishReason;
import dev.agentchat.domain.chat.ModelStreamItem;
import dev.agentchat.domain.usage.Usage;
import dev.agentchat.ports.chat.ModelFailure;
import dev.agentchat.ports.chat.ModelRequest;
import dev.agentchat.ports.chat.ModelStream;
import dev.agentchat.ports.contract.ChatModelContract;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ScriptedChatModelTest extends ChatModelContract<ScriptedChatModel> {

    @Override
    protected ScriptedChatModel createSubject() {
        return new ScriptedChatModel();
    }

    @Override
    protected void prepareAnswer(ScriptedChatModel subject) {
        subject.reply(Reply.text("Hello", " there."));
    }

    @Override
    protected ScriptedChatModel createSlowSubject() {
        return new ScriptedChatModel().reply(Reply.builder().text("Once upon").hang().build());
    }

    @Test
    void it_plays_the_queued_replies_in_order_one_per_request() {
        // given
        ScriptedChatModel model = new ScriptedChatModel()
                .reply(Reply.text("first"))
                .reply(Reply.text("second"));

        // when
        String firstAnswer = textOf(ask(model, aQuestion("one")));
        String secondAnswer = textOf(ask(model, aQuestion("two")));

        // then
        assertThat(firstAnswer).isEqualTo("first");
        assertThat(secondAnswer).isEqualTo("second");
    }

    @Test
    void it_plays_every_cue_of_a_reply_as_scripted() {
        // given
        ScriptedChatModel model = new ScriptedChatModel().reply(Reply.builder()
                .text("Let me look.")
                .toolCall("call-1", "lookup_vm", "{\"vm\":\"web-01\"}")
                .usage(Usage.reported(42, 7))
                .finish(FinishReason.TOOL_CALLS)
                .build());

        // when
        List<ModelStreamItem> items = ask(model, aQuestion("Is web-01 up?"));

        // then
        assertThat(items).containsExactly(
                new ModelStreamItem.TextDelta("Let me look."),
                new ModelStreamItem.ToolCallRequest("call-1", "lookup_vm", "{\"vm\":\"web-01\"}"),
                new ModelStreamItem.UsageReport(Usage.reported(42, 7)),
                new ModelStreamItem.Finish(FinishReason.TOOL_CALLS));
    }

    @Test
    void a_reply_waits_where_scripted_until_the_test_releases_it() throws Exception {
        // given a reply that waits for a release between its two pieces
        CompletableFuture<Void> release = new CompletableFuture<>();
        ScriptedChatModel model = new ScriptedChatModel()
                .reply(Reply.builder().text("before ").await(release).text("after").build());
        ModelStream stream = model.stream(aQuestion("wait for me"));
        assertThat(stream.next()).contains(new ModelStreamItem.TextDelta("before "));

        // when the reader asks for the next piece, it is held until the release
        CompletableFuture<Optional<ModelStreamItem>> next = CompletableFuture.supplyAsync(stream::next,
                runnable -> Thread.ofVirtual().start(runnable));
        assertThat(next).isNotDone();
        release.complete(null);

        // then the rest of the reply follows
        assertThat(next.get(10, java.util.concurrent.TimeUnit.SECONDS)).contains(new ModelStreamItem.TextDelta("after"));
    }

    @Test
    void closing_a_stream_ends_a_wait_for_a_release_that_never_comes() throws Exception {
        // given a reply that waits for a release no one gives
        ScriptedChatModel model = new ScriptedChatModel()
                .reply(Reply.builder().await(new CompletableFuture<Void>()).text("never").build());
        ModelStream stream = model.stream(aQuestion("wait for ever"));
        CompletableFuture<Optional<ModelStreamItem>> next = CompletableFuture.supplyAsync(stream::next,
                runnable -> Thread.ofVirtual().start(runnable));

        // when the stream is closed
        stream.close();

        // then the wait ends with nothing more
        assertThat(next.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEmpty();
    }

    @Test
    void it_records_every_request_oldest_first() {
        // given
        ScriptedChatModel model = new ScriptedChatModel().reply(Reply.text("a")).reply(Reply.text("b"));
        ModelRequest first = aQuestion("first");
        ModelRequest second = aQuestion("second");

        // when
        ask(model, first);
        ask(model, second);

        // then
        assertThat(model.requests()).containsExactly(first, second);
    }

    @Test
    void with_no_reply_queued_it_fails_as_an_unavailable_model() {
        // given
        ScriptedChatModel model = new ScriptedChatModel();
        ModelRequest request = aQuestion("anyone there?");

        // when / then
        assertThatThrownBy(() -> model.stream(request))
                .isInstanceOfSatisfying(ModelFailure.class,
                        failure -> assertThat(failure.code()).isEqualTo("model_unavailable"));
        assertThat(model.requests()).containsExactly(request);
    }

    @Test
    void once_its_replies_are_used_up_it_fails_as_an_unavailable_model() {
        // given
        ScriptedChatModel model = new ScriptedChatModel().reply(Reply.text("only one"));
        ask(model, aQuestion("one"));

        // when / then
        assertThatThrownBy(() -> model.stream(aQuestion("two")))
                .isInstanceOfSatisfying(ModelFailure.class,
                        failure -> assertThat(failure.code()).isEqualTo("model_unavailable"));
    }

    @Test
    void a_fail_cue_throws_its_model_failure_after_the_cues_before_it() {
        // given
        ModelFailure rateLimited = new ModelFailure("rate_limited", "Too many requests.");
        ScriptedChatModel model = new ScriptedChatModel().reply(new Reply(List.of(
                new Cue.Send(new ModelStreamItem.TextDelta("Partial")),
                new Cue.Fail(rateLimited))));

        try (ModelStream stream = model.stream(aQuestion("Tell me"))) {
            // when / then
            assertThat(stream.next()).contains(new ModelStreamItem.TextDelta("Partial"));
            assertThatThrownBy(stream::next).isSameAs(rateLimited);
        }
    }

    @Test
    void a_pause_cue_holds_back_the_next_item() {
        // given
        ScriptedChatModel model = new ScriptedChatModel().reply(Reply.builder()
                .pause(Duration.ofMillis(200)).text("Thought about it.").finish(FinishReason.STOP).build());

        try (ModelStream stream = model.stream(aQuestion("Think first"))) {
            // when
            long start = System.nanoTime();
            Optional<ModelStreamItem> item = stream.next();
            Duration waited = Duration.ofNanos(System.nanoTime() - start);

            // then
            assertThat(item).contains(new ModelStreamItem.TextDelta("Thought about it."));
            assertThat(waited).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        }
    }

    @Test
    void a_hang_cue_blocks_next_until_the_stream_is_closed_from_another_thread() throws InterruptedException {
        // given
        ScriptedChatModel model = new ScriptedChatModel().reply(Reply.builder().text("Thinking").hang()
                .text("never sent").finish(FinishReason.STOP).build());
        ModelStream stream = model.stream(aQuestion("Hang on"));
        assertThat(stream.next()).contains(new ModelStreamItem.TextDelta("Thinking"));
        CompletableFuture<Optional<ModelStreamItem>> blocked = new CompletableFuture<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                blocked.complete(stream.next());
            } catch (Throwable failure) {
                blocked.completeExceptionally(failure);
            }
        });

        try {
            // when: the reader waits in next() while the stream stays open
            await().atMost(Duration.ofSeconds(5)).until(() -> reader.getState() == Thread.State.TIMED_WAITING
                    || reader.getState() == Thread.State.WAITING);
            assertThat(blocked).as("next() on a hanging reply, before the close").isNotDone();
            stream.close();

            // then
            assertThat(blocked).succeedsWithin(Duration.ofSeconds(2)).isEqualTo(Optional.empty());
            assertThat(reader.join(Duration.ofSeconds(2))).isTrue();
            assertThat(stream.next()).isEmpty();
        } finally {
            stream.close();
        }
    }

    @Test
    void closed_streams_counts_each_closed_stream_once() {
        // given
        ScriptedChatModel model = new ScriptedChatModel()
                .reply(Reply.text("one")).reply(Reply.text("two")).reply(Reply.text("three"));
        ModelStream one = model.stream(aQuestion("1"));
        ModelStream two = model.stream(aQuestion("2"));
        ModelStream readToTheEnd = model.stream(aQuestion("3"));
        readAll(readToTheEnd);

        // when
        one.close();
        one.close();
        two.close();

        // then: a stream read to its end but never closed does not count
        assertThat(model.closedStreams()).isEqualTo(2);
    }

    private static List<ModelStreamItem> ask(ScriptedChatModel model, ModelRequest request) {
        try (ModelStream stream = model.stream(request)) {
            return readAll(stream);
        }
    }

    @Test
    void two_threads_closing_a_stream_at_once_count_one_closed_stream() throws Exception {
        ScriptedChatModel model = new ScriptedChatModel();
        for (int round = 0; round < 500; round++) {
            model.reply(Reply.builder().hang().build());
            ModelStream stream = model.stream(aQuestion("Are you there?"));
            java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
            Runnable closer = () -> {
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                stream.close();
            };
            Thread first = Thread.ofVirtual().start(closer);
            Thread second = Thread.ofVirtual().start(closer);
            gate.countDown();
            first.join();
            second.join();

            assertThat(model.closedStreams()).as("after round " + round).isEqualTo(round + 1);
        }
    }
}
