package dev.agentchat.ports.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.agentchat.domain.agent.AgentId;
import dev.agentchat.domain.chat.FinishReason;
import dev.agentchat.domain.chat.ModelStreamItem;
import dev.agentchat.ports.chat.ChatModel;
import dev.agentchat.ports.chat.ModelMessage;
import dev.agentchat.ports.chat.ModelRequest;
import dev.agentchat.ports.chat.ModelStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ChatModel} that can be asked a simple question must do with its stream. An adapter's
 * test extends this, says how to make the model, and how to make it ready to answer one more request
 * (a scripted model queues a reply; a real or demo model needs nothing).
 *
 * @param <M> the adapter's model type, so that its test can prepare answers through the adapter's own API
 */
public abstract class ChatModelContract<M extends ChatModel> {
    /** How long a whole short answer may take; generous, since a real model may sit behind it. */
    protected static final Duration ANSWER_LIMIT = Duration.ofSeconds(60);
    /** How soon a close from another thread must end a blocked {@code next()}. */
    private static final Duration PROMPTLY = Duration.ofSeconds(2);
    /** Bounds a read loop, so that a stream that never ends fails the test rather than filling the heap. */
    private static final int MAX_ITEMS = 100_000;

    /** A model to test. */
    protected abstract M createSubject();

    /** Makes {@code subject} ready to answer one more request promptly, with some text and a normal finish. */
    protected abstract void prepareAnswer(M subject);

    /**
     * A model whose next answer is still going long after a test has looked at it (half a minute or more):
     * its stream blocks in {@code next()} so that a test can close it from another thread.
     */
    protected abstract M createSlowSubject();

    @Test
    void a_stream_yields_text_and_then_a_finish() {
        // given
        M model = createSubject();
        prepareAnswer(model);

        // when
        List<ModelStreamItem> items;
        try (ModelStream stream = model.stream(aQuestion("Say hello in one short sentence."))) {
            items = readAll(stream);
        }

        // then
        assertThat(items).filteredOn(ModelStreamItem.TextDelta.class::isInstance).isNotEmpty();
        assertThat(textOf(items)).isNotBlank();
        assertThat(items).filteredOn(ModelStreamItem.Finish.class::isInstance).hasSize(1)
                .containsExactly(new ModelStreamItem.Finish(FinishReason.STOP));
        int finish = indexOfFinish(items);
        assertThat(items.subList(finish, items.size()))
                .as("items after the finish")
                .noneMatch(ModelStreamItem.TextDelta.class::isInstance);
    }

    @Test
    void an_ended_stream_stays_empty() {
        // given
        M model = createSubject();
        prepareAnswer(model);
        try (ModelStream stream = model.stream(aQuestion("Say hello."))) {
            readAll(stream);

            // when / then
            for (int i = 0; i < 3; i++) {
                assertThat(stream.next()).isEmpty();
            }
        }
    }

    @Test
    void a_stream_closed_before_reading_yields_nothing() {
        // given
        M model = createSubject();
        prepareAnswer(model);
        ModelStream stream = model.stream(aQuestion("Say hello."));

        // when
        stream.close();

        // then
        assertThat(stream.next()).isEmpty();
    }

    @Test
    void a_stream_closed_while_answering_yields_nothing_more() {
        // given
        M model = createSubject();
        prepareAnswer(model);
        ModelStream stream = model.stream(aQuestion("Say hello."));
        assertThat(assertTimeoutPreemptively(ANSWER_LIMIT, stream::next)).as("the first item").isPresent();

        // when
        stream.close();

        // then
        assertThat(stream.next()).isEmpty();
        assertThat(stream.next()).isEmpty();
    }

    @Test
    void closing_a_stream_twice_is_harmless() {
        // given
        M model = createSubject();
        prepareAnswer(model);
        ModelStream stream = model.stream(aQuestion("Say hello."));
        stream.close();

        // when / then
        assertThatCode(stream::close).doesNotThrowAnyException();
        assertThat(stream.next()).isEmpty();
    }

    @Test
    void two_open_streams_each_carry_their_own_whole_answer() {
        // given
        M model = createSubject();
        prepareAnswer(model);
        prepareAnswer(model);

        // when: read in turns, one item from each
        List<ModelStreamItem> first = new ArrayList<>();
        List<ModelStreamItem> second = new ArrayList<>();
        try (ModelStream one = model.stream(aQuestion("Say hello."));
             ModelStream two = model.stream(aQuestion("Say goodbye."))) {
            assertTimeoutPreemptively(ANSWER_LIMIT, () -> {
                boolean oneOpen = true;
                boolean twoOpen = true;
                for (int i = 0; i < MAX_ITEMS && (oneOpen || twoOpen); i++) {
                    oneOpen = oneOpen && addNext(one, first);
                    twoOpen = twoOpen && addNext(two, second);
                }
            });
        }

        // then
        assertThat(first).filteredOn(ModelStreamItem.Finish.class::isInstance).hasSize(1);
        assertThat(second).filteredOn(ModelStreamItem.Finish.class::isInstance).hasSize(1);
        assertThat(textOf(first)).isNotBlank();
        assertThat(textOf(second)).isNotBlank();
    }

    @Test
    void closing_from_another_thread_ends_a_blocked_next_promptly() throws InterruptedException {
        // given: a reader blocked in next() on an answer that is far from done
        M model = createSlowSubject();
        ModelStream stream = model.stream(aQuestion("Tell me a long story."));
        CompletableFuture<Optional<ModelStreamItem>> lastRead = new CompletableFuture<>();
        Thread reader = Thread.ofVirtual().name("blocked-reader").start(() -> {
            try {
                Optional<ModelStreamItem> item = stream.next();
                while (item.isPresent() && !(item.get() instanceof ModelStreamItem.Finish)) {
                    item = stream.next();
                }
                lastRead.complete(item);
            } catch (Throwable failure) {
                lastRead.completeExceptionally(failure);
            }
        });
        try {
            awaitBlocked(reader);
            assertThat(lastRead).as("the slow answer, before the close").isNotDone();

            // when
            stream.close();

            // then
            assertThat(lastRead).succeedsWithin(PROMPTLY).isEqualTo(Optional.empty());
            assertThat(reader.join(PROMPTLY)).as("the reader ended").isTrue();
        } finally {
            stream.close(); // never leave the reader parked when an assertion above fails
        }
    }

    /** A one-message conversation asking {@code question}. */
    protected static ModelRequest aQuestion(String question) {
        return new ModelRequest(AgentId.of("support-triage"), "You are a helpful assistant. Answer briefly.",
                List.of(ModelMessage.user(question)));
    }

    /** Every item of the stream until it ends, within {@link #ANSWER_LIMIT}. */
    protected static List<ModelStreamItem> readAll(ModelStream stream) {
        return assertTimeoutPreemptively(ANSWER_LIMIT, () -> {
            List<ModelStreamItem> items = new ArrayList<>();
            while (addNext(stream, items)) {
                if (items.size() > MAX_ITEMS) {
                    throw new AssertionError("the stream did not end after " + MAX_ITEMS + " items");
                }
            }
            return items;
        });
    }

    /** The text of the items' deltas, joined. */
    protected static String textOf(List<ModelStreamItem> items) {
        return items.stream()
                .filter(ModelStreamItem.TextDelta.class::isInstance)
                .map(item -> ((ModelStreamItem.TextDelta) item).text())
                .collect(Collectors.joining());
    }

    private static boolean addNext(ModelStream stream, List<ModelStreamItem> items) {
        Optional<ModelStreamItem> item = stream.next();
        item.ifPresent(items::add);
        return item.isPresent();
    }

    private static int indexOfFinish(List<ModelStreamItem> items) {
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i) instanceof ModelStreamItem.Finish) {
                return i;
            }
        }
        throw new AssertionError("no finish in " + items);
    }

    /**
     * Waits until the thread parks (in next(), the only place it can), or a few seconds at most; a thread that
     * ended instead is left to the assertions that follow, which say what went wrong.
     */
    private static void awaitBlocked(Thread thread) {
        await().atMost(Duration.ofSeconds(5)).until(() -> switch (thread.getState()) {
            case WAITING, TIMED_WAITING, TERMINATED -> true;
            case NEW, RUNNABLE, BLOCKED -> false;
        });
    }
}
