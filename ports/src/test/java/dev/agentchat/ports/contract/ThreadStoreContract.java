package dev.agentchat.ports.contract;

import static dev.agentchat.ports.contract.Records.T0;
import static dev.agentchat.ports.contract.Records.aScope;
import static dev.agentchat.ports.contract.Records.aThread;
import static dev.agentchat.ports.contract.Records.aThreadId;
import static dev.agentchat.ports.contract.Records.anotherAgentOf;
import static dev.agentchat.ports.contract.Records.anotherUserOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.thread.ChatThread;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.domain.thread.ThreadScope;
import dev.agentchat.domain.thread.ThreadStatus;
import dev.agentchat.ports.store.PageRequest;
import dev.agentchat.ports.store.RecordConflict;
import dev.agentchat.ports.thread.ThreadPage;
import dev.agentchat.ports.thread.ThreadStore;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ThreadStore} must do. An adapter's test extends this and says how to make the store.
 * Every test works in scopes and ids of its own, so the store need not be empty.
 */
public abstract class ThreadStoreContract {
    private static final Set<ThreadStatus> ACTIVE = EnumSet.of(ThreadStatus.ACTIVE);
    private static final Set<ThreadStatus> DELETED = EnumSet.of(ThreadStatus.DELETED);
    private static final Set<ThreadStatus> ANY_STATUS = EnumSet.allOf(ThreadStatus.class);
    private static final PageRequest WHOLE_LISTING = PageRequest.first(PageRequest.MAX_LIMIT);

    private ThreadStore store;

    /** A store to test; it may hold other tests' threads. */
    protected abstract ThreadStore createSubject();

    @BeforeEach
    void createStore() {
        store = createSubject();
    }

    // --- create and find ---

    @Test
    void a_created_thread_can_be_found_in_its_scope() {
        // given
        ChatThread thread = aThread().titled("Why does DNS fail on web-01? \u2713").updatedAt(T0.plusMillis(1_234)).build();

        // when
        store.create(thread);

        // then
        assertThat(store.find(thread.scope(), thread.id())).contains(thread);
    }

    @Test
    void an_unknown_thread_is_not_found() {
        assertThat(store.find(aScope(), aThreadId())).isEmpty();
    }

    @Test
    void creating_a_thread_twice_is_a_conflict_that_keeps_the_first() {
        // given
        ChatThread first = aThread().titled("First").build();
        store.create(first);
        ChatThread second = aThread().withId(first.id()).in(first.scope()).titled("Second").build();

        // when / then
        assertThatThrownBy(() -> store.create(second)).isInstanceOf(RecordConflict.class);
        assertThat(store.find(first.scope(), first.id())).contains(first);
    }

    @Test
    void find_is_confined_to_the_threads_agent() {
        // given
        ChatThread thread = aThread().build();
        store.create(thread);

        // when / then
        assertThat(store.find(anotherAgentOf(thread.scope()), thread.id())).isEmpty();
    }

    @Test
    void find_is_confined_to_the_threads_user() {
        // given
        ChatThread thread = aThread().build();
        store.create(thread);

        // when / then
        assertThat(store.find(anotherUserOf(thread.scope()), thread.id())).isEmpty();
    }

    @Test
    void find_returns_a_soft_deleted_thread_too() {
        // given
        ChatThread thread = aThread().build();
        store.create(thread);
        ChatThread deleted = thread.softDeleted(T0.plusSeconds(60));
        store.update(deleted);

        // when / then
        assertThat(store.find(thread.scope(), thread.id())).contains(deleted);
    }

    // --- update ---

    @Test
    void update_replaces_the_stored_thread() {
        // given
        ChatThread thread = aThread().build();
        store.create(thread);
        ChatThread continued = thread.startRun(RunId.of("run-next"), Optional.empty(), T0.plusSeconds(90));

        // when
        store.update(continued);

        // then
        assertThat(store.find(thread.scope(), thread.id())).contains(continued);
        assertThat(store.list(thread.scope(), ANY_STATUS, WHOLE_LISTING).threads()).containsExactly(continued);
    }

    @Test
    void updating_a_missing_thread_is_a_conflict_and_does_not_create_it() {
        // given
        ChatThread neverCreated = aThread().build();

        // when / then
        assertThatThrownBy(() -> store.update(neverCreated)).isInstanceOf(RecordConflict.class);
        assertThat(store.find(neverCreated.scope(), neverCreated.id())).isEmpty();
    }

    // --- list ---

    @Test
    void list_holds_only_the_scopes_threads() {
        // given
        ThreadScope scope = aScope();
        ChatThread mine = aThread().in(scope).build();
        ChatThread otherAgents = aThread().in(anotherAgentOf(scope)).build();
        ChatThread otherUsers = aThread().in(anotherUserOf(scope)).build();
        List.of(mine, otherAgents, otherUsers).forEach(store::create);

        // when
        ThreadPage page = store.list(scope, ANY_STATUS, WHOLE_LISTING);

        // then
        assertThat(page.threads()).containsExactly(mine);
        assertThat(page.total()).isEqualTo(1);
    }

    @Test
    void list_holds_only_threads_with_the_requested_statuses() {
        // given
        ThreadScope scope = aScope();
        ChatThread active = aThread().in(scope).updatedAt(T0.plusSeconds(1)).build();
        ChatThread deleted = aThread().in(scope).updatedAt(T0.plusSeconds(2)).deleted().build();
        store.create(active);
        store.create(deleted);

        // when / then
        assertThat(store.list(scope, ACTIVE, WHOLE_LISTING).threads()).containsExactly(active);
        assertThat(store.list(scope, DELETED, WHOLE_LISTING).threads()).containsExactly(deleted);
        assertThat(store.list(scope, ANY_STATUS, WHOLE_LISTING).threads()).containsExactly(deleted, active);
    }

    @Test
    void a_soft_deleted_thread_leaves_the_active_listing() {
        // given
        ThreadScope scope = aScope();
        ChatThread thread = aThread().in(scope).build();
        store.create(thread);

        // when
        store.update(thread.softDeleted(T0.plusSeconds(5)));

        // then
        ThreadPage active = store.list(scope, ACTIVE, WHOLE_LISTING);
        assertThat(active.threads()).isEmpty();
        assertThat(active.total()).isZero();
    }

    @Test
    void list_puts_the_most_recently_updated_thread_first() {
        // given: created in an order that is neither the update order nor its reverse
        ThreadScope scope = aScope();
        ChatThread middle = aThread().in(scope).updatedAt(T0.plusSeconds(20)).build();
        ChatThread newest = aThread().in(scope).updatedAt(T0.plusSeconds(30)).build();
        ChatThread oldest = aThread().in(scope).updatedAt(T0.plusSeconds(10)).build();
        List.of(middle, newest, oldest).forEach(store::create);

        // when
        ThreadPage page = store.list(scope, ACTIVE, WHOLE_LISTING);

        // then
        assertThat(page.threads()).containsExactly(newest, middle, oldest);
    }

    @Test
    void list_orders_by_update_time_to_the_millisecond() {
        // given: instants whose ISO-8601 texts do not sort as the instants do ("12:00:00Z" > "12:00:00.500Z")
        ThreadScope scope = aScope();
        ChatThread onTheSecond = aThread().in(scope).updatedAt(T0).build();
        ChatThread aMilliLater = aThread().in(scope).updatedAt(T0.plusMillis(1)).build();
        ChatThread halfASecondLater = aThread().in(scope).updatedAt(T0.plusMillis(500)).build();
        List.of(halfASecondLater, onTheSecond, aMilliLater).forEach(store::create);

        // when
        ThreadPage page = store.list(scope, ACTIVE, WHOLE_LISTING);

        // then
        assertThat(page.threads()).containsExactly(halfASecondLater, aMilliLater, onTheSecond);
    }

    @Test
    void list_breaks_ties_in_update_time_by_id() {
        // given
        ThreadScope scope = aScope();
        ChatThread b = aThread().in(scope).withId(ThreadId.of("b-" + scope.userId())).build();
        ChatThread c = aThread().in(scope).withId(ThreadId.of("c-" + scope.userId())).build();
        ChatThread a = aThread().in(scope).withId(ThreadId.of("a-" + scope.userId())).build();
        List.of(b, c, a).forEach(store::create);

        // when
        ThreadPage page = store.list(scope, ACTIVE, WHOLE_LISTING);

        // then
        assertThat(page.threads()).containsExactly(a, b, c);
    }

    @Test
    void continuing_a_thread_moves_it_to_the_top_of_the_listing() {
        // given
        ThreadScope scope = aScope();
        ChatThread older = aThread().in(scope).updatedAt(T0.plusSeconds(1)).build();
        ChatThread newer = aThread().in(scope).updatedAt(T0.plusSeconds(2)).build();
        store.create(older);
        store.create(newer);

        // when
        ChatThread continued = older.startRun(RunId.of("run-next"), Optional.empty(), T0.plusSeconds(3));
        store.update(continued);

        // then
        assertThat(store.list(scope, ACTIVE, WHOLE_LISTING).threads()).containsExactly(continued, newer);
    }

    @Test
    void list_pages_with_limit_and_offset_and_counts_the_whole_listing() {
        // given
        ThreadScope scope = aScope();
        List<ChatThread> newestFirst = createThreadsNewestFirst(scope, 5);

        // when
        ThreadPage page = store.list(scope, ACTIVE, new PageRequest(2, 2));

        // then
        assertThat(page.threads()).containsExactly(newestFirst.get(2), newestFirst.get(3));
        assertThat(page.total()).isEqualTo(5);
        assertThat(page.limit()).isEqualTo(2);
        assertThat(page.offset()).isEqualTo(2);
    }

    @Test
    void the_last_page_holds_what_is_left() {
        // given
        ThreadScope scope = aScope();
        List<ChatThread> newestFirst = createThreadsNewestFirst(scope, 5);

        // when
        ThreadPage page = store.list(scope, ACTIVE, new PageRequest(2, 4));

        // then
        assertThat(page.threads()).containsExactly(newestFirst.get(4));
        assertThat(page.total()).isEqualTo(5);
    }

    @Test
    void a_page_past_the_end_is_empty_but_still_counts_the_whole_listing() {
        // given
        ThreadScope scope = aScope();
        createThreadsNewestFirst(scope, 5);

        // when
        ThreadPage page = store.list(scope, ACTIVE, new PageRequest(2, 10));

        // then
        assertThat(page.threads()).isEmpty();
        assertThat(page.total()).isEqualTo(5);
    }

    @Test
    void the_pages_together_hold_every_thread_once() {
        // given
        ThreadScope scope = aScope();
        List<ChatThread> newestFirst = createThreadsNewestFirst(scope, 7);

        // when
        List<ChatThread> paged = new ArrayList<>();
        for (int offset = 0; offset < 7; offset += 3) {
            paged.addAll(store.list(scope, ACTIVE, new PageRequest(3, offset)).threads());
        }

        // then
        assertThat(paged).containsExactlyElementsOf(newestFirst);
    }

    @Test
    void a_scope_without_threads_lists_nothing() {
        // when
        ThreadPage page = store.list(aScope(), ANY_STATUS, WHOLE_LISTING);

        // then
        assertThat(page.threads()).isEmpty();
        assertThat(page.total()).isZero();
    }

    // --- delete ---

    @Test
    void delete_removes_the_thread_and_says_so_once() {
        // given
        ChatThread thread = aThread().build();
        store.create(thread);

        // when
        boolean first = store.delete(thread.scope(), thread.id());
        boolean second = store.delete(thread.scope(), thread.id());

        // then
        assertThat(first).isTrue();
        assertThat(second).isFalse();
        assertThat(store.find(thread.scope(), thread.id())).isEmpty();
        assertThat(store.list(thread.scope(), ANY_STATUS, WHOLE_LISTING).total()).isZero();
    }

    @Test
    void delete_in_another_scope_finds_nothing_and_leaves_the_thread() {
        // given
        ChatThread thread = aThread().build();
        store.create(thread);

        // when
        boolean byAnotherAgent = store.delete(anotherAgentOf(thread.scope()), thread.id());
        boolean byAnotherUser = store.delete(anotherUserOf(thread.scope()), thread.id());

        // then
        assertThat(byAnotherAgent).isFalse();
        assertThat(byAnotherUser).isFalse();
        assertThat(store.find(thread.scope(), thread.id())).contains(thread);
    }

    @Test
    void delete_of_an_unknown_thread_is_false() {
        assertThat(store.delete(aScope(), aThreadId())).isFalse();
    }

    @Test
    void delete_leaves_the_scopes_other_threads() {
        // given
        ThreadScope scope = aScope();
        ChatThread doomed = aThread().in(scope).updatedAt(T0.plusSeconds(1)).build();
        ChatThread kept = aThread().in(scope).updatedAt(T0.plusSeconds(2)).build();
        store.create(doomed);
        store.create(kept);

        // when
        store.delete(scope, doomed.id());

        // then
        assertThat(store.list(scope, ANY_STATUS, WHOLE_LISTING).threads()).containsExactly(kept);
    }

    // --- concurrency ---

    @Test
    void concurrent_creates_keep_every_thread_and_let_exactly_one_create_of_the_same_id_win() {
        // given: distinct threads, and rivals that all create one id, each with its own title
        ThreadScope scope = aScope();
        List<ChatThread> distinct = IntStream.range(0, 60)
                .mapToObj(i -> aThread().in(scope).updatedAt(T0.plusSeconds(i + 1)).build())
                .toList();
        ThreadId contestedId = aThreadId();
        List<ChatThread> rivals = IntStream.range(0, 20)
                .mapToObj(i -> aThread().in(scope).withId(contestedId).titled("Rival " + i).build())
                .toList();
        List<Runnable> writers = new ArrayList<>();
        distinct.forEach(thread -> writers.add(() -> store.create(thread)));
        rivals.forEach(thread -> writers.add(() -> store.create(thread)));

        // when
        List<Race.Outcome> outcomes = Race.run(writers);

        // then
        assertThat(outcomes.subList(0, distinct.size())).allMatch(Race.Outcome::succeeded);
        List<Race.Outcome> contest = outcomes.subList(distinct.size(), outcomes.size());
        assertThat(contest).filteredOn(Race.Outcome::succeeded).hasSize(1);
        assertThat(contest).filteredOn(outcome -> !outcome.succeeded()).hasSize(rivals.size() - 1)
                .allMatch(Race.Outcome::conflicted);
        ChatThread winner = rivals.get(contest.indexOf(new Race.Outcome(null)));
        assertThat(store.find(scope, contestedId)).contains(winner);
        ThreadPage page = store.list(scope, ACTIVE, WHOLE_LISTING);
        assertThat(page.total()).isEqualTo(distinct.size() + 1);
        assertThat(page.threads()).containsAll(distinct);
    }

    /** Creates {@code count} active threads in the scope, each updated a second after the previous; returns them newest first. */
    private List<ChatThread> createThreadsNewestFirst(ThreadScope scope, int count) {
        List<ChatThread> newestFirst = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ChatThread thread = aThread().in(scope).updatedAt(T0.plusSeconds(i + 1)).build();
            store.create(thread);
            newestFirst.addFirst(thread);
        }
        return newestFirst;
    }

    @Test
    void a_delete_racing_updates_of_the_same_thread_still_removes_it() {
        for (int round = 0; round < 200; round++) {
            // given
            ChatThread thread = aThread().build();
            store.create(thread);
            List<Runnable> writers = new ArrayList<>();
            writers.add(() -> {
                if (!store.delete(thread.scope(), thread.id())) {
                    throw new AssertionError("delete missed a thread that was there");
                }
            });
            IntStream.range(0, 3).forEach(i -> writers.add(() -> store.update(thread.startRun(RunId.of("run-" + i), Optional.empty(), T0.plusSeconds(i + 1)))));

            // when
            List<Race.Outcome> outcomes = Race.run(writers);

            // then: the delete saw the thread, and any update that lost the race was told so
            assertThat(outcomes.getFirst().succeeded()).as("delete in round " + round).isTrue();
            assertThat(outcomes.subList(1, outcomes.size())).allMatch(o -> o.succeeded() || o.conflicted());
            assertThat(store.find(thread.scope(), thread.id())).isEmpty();
        }
    }

    @Test
    void an_update_made_from_a_stale_copy_is_a_conflict_and_keeps_the_newer_change() {
        // given two readers of the same thread, one of whom soft-deletes it first
        ChatThread thread = aThread().build();
        store.create(thread);
        ChatThread deleted = thread.softDeleted(T0.plusSeconds(1));
        store.update(deleted);

        // when the other continues the copy it read before
        ChatThread stale = thread.startRun(RunId.of("run-next"), Optional.empty(), T0.plusSeconds(2));

        // then
        assertThatThrownBy(() -> store.update(stale)).isInstanceOf(RecordConflict.class);
        assertThat(store.find(thread.scope(), thread.id())).contains(deleted);
    }

    @Test
    void a_listing_longer_than_a_page_of_the_database_is_ordered_as_a_whole() {
        // given: 150 threads, each updated later than the one created before it, so that the newest
        // were stored last (a store that sorted each page on its own would show older ones first)
        ThreadScope scope = aScope();
        List<ChatThread> created = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            ChatThread thread = aThread().in(scope).updatedAt(T0.plusSeconds(i)).build();
            store.create(thread);
            created.add(thread);
        }

        // when
        ThreadPage first = store.list(scope, EnumSet.allOf(ThreadStatus.class), new PageRequest(3, 0));
        ThreadPage later = store.list(scope, EnumSet.allOf(ThreadStatus.class), new PageRequest(3, 120));

        // then
        assertThat(first.threads()).extracting(ChatThread::id)
                .containsExactly(created.get(149).id(), created.get(148).id(), created.get(147).id());
        assertThat(later.threads()).extracting(ChatThread::id)
                .containsExactly(created.get(29).id(), created.get(28).id(), created.get(27).id());
        assertThat(first.total()).isEqualTo(150);
    }
}
