package dev.agentchat.ports.contract;

import static dev.agentchat.ports.contract.Records.T0;
import static dev.agentchat.ports.contract.Records.aMessage;
import static dev.agentchat.ports.contract.Records.aMessageId;
import static dev.agentchat.ports.contract.Records.aRunId;
import static dev.agentchat.ports.contract.Records.aThreadId;
import static dev.agentchat.ports.contract.Records.uniqueId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentchat.domain.message.Message;
import dev.agentchat.domain.message.MessageId;
import dev.agentchat.domain.message.Role;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.ports.message.MessageStore;
import dev.agentchat.ports.store.RecordConflict;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link MessageStore} must do. An adapter's test extends this and says how to make the store.
 * Every test works in threads of its own, so the store need not be empty.
 */
public abstract class MessageStoreContract {
    /** Enough appends that an unguarded list loses some on two cores most runs, few enough for a remote store. */
    private static final int WRITERS = 32;
    private static final int MESSAGES_PER_WRITER = 25;

    private MessageStore store;

    /** A store to test; it may hold other tests' messages. */
    protected abstract MessageStore createSubject();

    @BeforeEach
    void createStore() {
        store = createSubject();
    }

    @Test
    void a_thread_lists_its_messages_in_the_order_they_were_appended() {
        // given: a conversation with every role, a partial answer and text that needs escaping
        ThreadId thread = aThreadId();
        RunId run = aRunId();
        List<Message> conversation = List.of(
                aMessage().inThread(thread).ofRun(run).from(Role.USER).saying("My VM \"web-01\" is down \u2639")
                        .createdAt(T0).build(),
                aMessage().inThread(thread).ofRun(run).from(Role.TOOL).saying("{\"state\":\"stopped\"}")
                        .createdAt(T0.plusMillis(10)).build(),
                aMessage().inThread(thread).ofRun(run).from(Role.ASSISTANT).saying("It is stopped.\nStart it")
                        .incomplete().createdAt(T0.plusMillis(1_500)).build());

        // when
        conversation.forEach(store::append);

        // then
        assertThat(store.listByThread(thread)).containsExactlyElementsOf(conversation);
    }

    @Test
    void messages_appended_in_the_same_instant_keep_their_append_order() {
        // given: ids that sort against the append order
        ThreadId thread = aThreadId();
        Message question = aMessage().inThread(thread).withId(MessageId.of(uniqueId("z"))).createdAt(T0).build();
        Message answer = aMessage().inThread(thread).withId(MessageId.of(uniqueId("a"))).from(Role.ASSISTANT)
                .saying("Restart it.").createdAt(T0).build();

        // when
        store.append(question);
        store.append(answer);

        // then
        assertThat(store.listByThread(thread)).containsExactly(question, answer);
    }

    @Test
    void a_thread_without_messages_lists_none() {
        assertThat(store.listByThread(aThreadId())).isEmpty();
    }

    @Test
    void threads_do_not_see_each_others_messages() {
        // given
        ThreadId one = aThreadId();
        ThreadId other = aThreadId();
        Message inOne = aMessage().inThread(one).saying("one").build();
        Message inOther = aMessage().inThread(other).saying("other").build();

        // when
        store.append(inOne);
        store.append(inOther);

        // then
        assertThat(store.listByThread(one)).containsExactly(inOne);
        assertThat(store.listByThread(other)).containsExactly(inOther);
    }

    @Test
    void appending_a_message_twice_is_a_conflict_that_keeps_the_first() {
        // given
        ThreadId thread = aThreadId();
        Message first = aMessage().inThread(thread).saying("first").build();
        store.append(first);
        Message again = aMessage().inThread(thread).withId(first.id()).saying("again").build();

        // when / then
        assertThatThrownBy(() -> store.append(again)).isInstanceOf(RecordConflict.class);
        assertThat(store.listByThread(thread)).containsExactly(first);
    }

    @Test
    void a_listing_does_not_change_when_more_messages_arrive() {
        // given
        ThreadId thread = aThreadId();
        Message first = aMessage().inThread(thread).build();
        store.append(first);
        List<Message> listing = store.listByThread(thread);

        // when
        store.append(aMessage().inThread(thread).createdAt(T0.plusSeconds(1)).build());

        // then
        assertThat(listing).containsExactly(first);
    }

    @Test
    void delete_by_thread_removes_its_messages_and_counts_them() {
        // given
        ThreadId thread = aThreadId();
        for (int i = 0; i < 3; i++) {
            store.append(aMessage().inThread(thread).createdAt(T0.plusSeconds(i)).build());
        }

        // when
        int removed = store.deleteByThread(thread);

        // then
        assertThat(removed).isEqualTo(3);
        assertThat(store.listByThread(thread)).isEmpty();
        assertThat(store.deleteByThread(thread)).isZero();
    }

    @Test
    void delete_by_thread_leaves_other_threads_alone() {
        // given
        ThreadId doomed = aThreadId();
        ThreadId kept = aThreadId();
        store.append(aMessage().inThread(doomed).build());
        Message survivor = aMessage().inThread(kept).build();
        store.append(survivor);

        // when
        store.deleteByThread(doomed);

        // then
        assertThat(store.listByThread(kept)).containsExactly(survivor);
    }

    @Test
    void delete_by_thread_of_a_thread_without_messages_counts_zero() {
        assertThat(store.deleteByThread(aThreadId())).isZero();
    }

    @Test
    void concurrent_appends_keep_every_message_in_its_writers_order_and_let_exactly_one_append_of_the_same_id_win() {
        // given: writers that each append a run of messages to one thread, and rivals that all append one id
        ThreadId thread = aThreadId();
        List<List<Message>> byWriter = IntStream.range(0, WRITERS)
                .mapToObj(writer -> IntStream.range(0, MESSAGES_PER_WRITER)
                        .mapToObj(i -> aMessage().inThread(thread).saying("writer " + writer + " message " + i)
                                .createdAt(T0.plusMillis(i)).build())
                        .toList())
                .toList();
        MessageId contestedId = aMessageId();
        List<Message> rivals = IntStream.range(0, 16)
                .mapToObj(i -> aMessage().inThread(thread).withId(contestedId).saying("rival " + i).build())
                .toList();
        List<Runnable> writers = new ArrayList<>();
        byWriter.forEach(messages -> writers.add(() -> messages.forEach(store::append)));
        rivals.forEach(message -> writers.add(() -> store.append(message)));

        // when
        List<Race.Outcome> outcomes = Race.run(writers);

        // then
        assertThat(outcomes.subList(0, byWriter.size())).allMatch(Race.Outcome::succeeded);
        List<Race.Outcome> contest = outcomes.subList(byWriter.size(), outcomes.size());
        assertThat(contest).filteredOn(Race.Outcome::succeeded).hasSize(1);
        assertThat(contest).filteredOn(outcome -> !outcome.succeeded()).hasSize(rivals.size() - 1)
                .allMatch(Race.Outcome::conflicted);
        Message winner = rivals.get(contest.indexOf(new Race.Outcome(null)));

        List<Message> listed = store.listByThread(thread);
        assertThat(listed).hasSize(WRITERS * MESSAGES_PER_WRITER + 1).contains(winner);
        for (List<Message> own : byWriter) {
            Set<MessageId> ownIds = own.stream().map(Message::id).collect(Collectors.toSet());
            assertThat(listed.stream().filter(message -> ownIds.contains(message.id())).toList())
                    .containsExactlyElementsOf(own);
        }
    }
}
