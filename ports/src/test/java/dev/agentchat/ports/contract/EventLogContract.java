package dev.agentchat.ports.contract;

import static dev.agentchat.ports.contract.Records.T0;
import static dev.agentchat.ports.contract.Records.aRunId;
import static dev.agentchat.ports.contract.Records.aThreadId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentchat.domain.chat.ChatEvent;
import dev.agentchat.domain.chat.RunEvent;
import dev.agentchat.domain.message.MessageId;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.step.StepId;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.ports.run.EventLog;
import dev.agentchat.ports.run.LoggedEvents;
import dev.agentchat.ports.store.RecordConflict;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link EventLog} must do. An adapter's test extends this and says how to make the log.
 * Every test works in runs of its own, so the log need not be empty.
 */
public abstract class EventLogContract {
    private static final Instant KEEP_UNTIL = T0.plusSeconds(3_600);
    private static final Instant NOW = T0.plusSeconds(60);

    private EventLog log;

    /** A log to test; it may hold other tests' events. */
    protected abstract EventLog createSubject();

    @BeforeEach
    void createLog() {
        log = createSubject();
    }

    @Test
    void every_kind_of_event_is_read_back_as_it_was_appended_in_order() {
        // given
        ThreadId thread = aThreadId();
        RunId run = aRunId();
        List<RunEvent> events = List.of(
                new RunEvent(1, new ChatEvent.Token("Hel", T0.plusMillis(1))),
                new RunEvent(2, new ChatEvent.Token("lo \uD83D\uDE00 \"quoted\"\n", T0.plusMillis(2))),
                new RunEvent(3, new ChatEvent.TraceStart(StepId.of("step-1"), "calculator", "{\"expression\":\"2+2\"}",
                        T0.plusMillis(3))),
                new RunEvent(4, new ChatEvent.TraceUpdate(StepId.of("step-1"), "half way", T0.plusMillis(4))),
                new RunEvent(5, new ChatEvent.TraceEnd(StepId.of("step-1"), "completed", "4", null, 12, T0.plusMillis(5))),
                new RunEvent(6, new ChatEvent.TraceEnd(StepId.of("step-2"), "failed", null, "no such tool", 0,
                        T0.plusMillis(6))),
                new RunEvent(7, new ChatEvent.Error("The model failed.", "model_error", T0.plusMillis(7))));
        RunId other = aRunId();
        List<RunEvent> done = List.of(new RunEvent(1, new ChatEvent.Done(other, thread, MessageId.of("msg-1"), 42,
                T0.plusNanos(123_456_789))));

        // when
        log.append(thread, run, events.subList(0, 3), KEEP_UNTIL);
        log.append(thread, run, events.subList(3, 7), KEEP_UNTIL);
        log.append(thread, other, done, KEEP_UNTIL);

        // then
        assertThat(log.readAfter(thread, run, 0, 100, NOW)).containsExactlyElementsOf(events);
        assertThat(log.readAfter(thread, other, 0, 100, NOW)).containsExactlyElementsOf(done);
    }

    @Test
    void reading_after_an_event_returns_only_the_later_ones_across_batches() {
        // given
        ThreadId thread = aThreadId();
        RunId run = aRunId();
        List<RunEvent> events = tokens(1, 10);
        log.append(thread, run, events.subList(0, 4), KEEP_UNTIL);
        log.append(thread, run, events.subList(4, 10), KEEP_UNTIL);

        // when / then
        assertThat(log.readAfter(thread, run, 2, 100, NOW)).containsExactlyElementsOf(events.subList(2, 10));
        assertThat(log.readAfter(thread, run, 5, 100, NOW)).containsExactlyElementsOf(events.subList(5, 10));
        assertThat(log.readAfter(thread, run, 10, 100, NOW)).isEmpty();
    }

    @Test
    void a_read_returns_at_most_the_limit_so_a_long_run_is_read_page_by_page() {
        // given
        ThreadId thread = aThreadId();
        RunId run = aRunId();
        List<RunEvent> events = tokens(1, 25);
        for (int from = 0; from < 25; from += 5) {
            log.append(thread, run, events.subList(from, from + 5), KEEP_UNTIL);
        }

        // when
        List<RunEvent> read = new ArrayList<>();
        List<RunEvent> page = log.readAfter(thread, run, 0, 7, NOW);
        while (!page.isEmpty()) {
            assertThat(page).hasSizeLessThanOrEqualTo(7);
            read.addAll(page);
            page = log.readAfter(thread, run, page.getLast().sequence(), 7, NOW);
        }

        // then
        assertThat(read).containsExactlyElementsOf(events);
    }

    @Test
    void events_are_kept_apart_by_run_and_thread() {
        // given
        ThreadId thread = aThreadId();
        RunId run = aRunId();
        log.append(thread, run, tokens(1, 3), KEEP_UNTIL);

        // when / then
        assertThat(log.readAfter(thread, aRunId(), 0, 100, NOW)).isEmpty();
        assertThat(log.readAfter(aThreadId(), run, 0, 100, NOW)).isEmpty();
    }

    @Test
    void appending_a_batch_again_is_a_conflict_that_keeps_the_first() {
        // given: a write that went through although its caller did not hear so
        ThreadId thread = aThreadId();
        RunId run = aRunId();
        List<RunEvent> batch = tokens(1, 3);
        log.append(thread, run, batch, KEEP_UNTIL);

        // when / then
        assertThatThrownBy(() -> log.append(thread, run, batch, KEEP_UNTIL)).isInstanceOf(RecordConflict.class);
        assertThat(log.readAfter(thread, run, 0, 100, NOW)).containsExactlyElementsOf(batch);
    }

    @Test
    void events_past_their_time_are_not_read() {
        // given
        ThreadId thread = aThreadId();
        RunId run = aRunId();
        log.append(thread, run, tokens(1, 2), T0.plusSeconds(10));
        log.append(thread, run, tokens(3, 4), T0.plusSeconds(20));

        // when / then
        assertThat(log.readAfter(thread, run, 0, 100, T0.plusSeconds(5))).hasSize(4);
        assertThat(log.readAfter(thread, run, 0, 100, T0.plusSeconds(15))).extracting(RunEvent::sequence)
                .containsExactly(3L, 4L);
        assertThat(log.readAfter(thread, run, 0, 100, T0.plusSeconds(20))).isEmpty();
    }

    @Test
    void deleting_a_thread_forgets_the_events_of_its_runs_only() {
        // given
        ThreadId thread = aThreadId();
        RunId first = aRunId();
        RunId second = aRunId();
        log.append(thread, first, tokens(1, 2), KEEP_UNTIL);
        log.append(thread, second, tokens(1, 3), KEEP_UNTIL);
        ThreadId kept = aThreadId();
        RunId keptRun = aRunId();
        log.append(kept, keptRun, tokens(1, 2), KEEP_UNTIL);

        // when
        int removed = log.deleteByThread(thread);

        // then
        assertThat(removed).isEqualTo(2);
        assertThat(log.readAfter(thread, first, 0, 100, NOW)).isEmpty();
        assertThat(log.readAfter(thread, second, 0, 100, NOW)).isEmpty();
        assertThat(log.readAfter(kept, keptRun, 0, 100, NOW)).hasSize(2);
    }

    @Test
    void a_run_with_nothing_logged_has_logged_nothing() {
        assertThat(log.logged(aThreadId(), aRunId())).isEqualTo(LoggedEvents.NONE);
    }

    @Test
    void the_log_tells_its_last_event_and_the_highest_reservation_a_batch_recorded() {
        // given
        ThreadId thread = aThreadId();
        RunId run = aRunId();
        log.append(thread, run, tokens(1, 3), 8_192, KEEP_UNTIL);
        log.append(thread, run, tokens(4, 6), 12_288, KEEP_UNTIL);

        // when
        LoggedEvents logged = log.logged(thread, run);

        // then
        assertThat(logged).isEqualTo(new LoggedEvents(6, false, 12_288));
        assertThat(log.logged(aThreadId(), run)).isEqualTo(LoggedEvents.NONE);
    }

    @Test
    void a_batch_reserves_at_least_its_own_events_and_says_whether_it_ended_the_run() {
        // given: a batch that recorded no reservation beyond itself, ending with the run's end
        ThreadId thread = aThreadId();
        RunId run = aRunId();
        List<RunEvent> batch = new ArrayList<>(tokens(1, 2));
        batch.add(new RunEvent(3, new ChatEvent.Error("The run stopped.", "run_abandoned", T0.plusMillis(3))));
        log.append(thread, run, batch, KEEP_UNTIL);

        // when / then
        assertThat(log.logged(thread, run)).isEqualTo(new LoggedEvents(3, true, 3));
    }

    @Test
    void a_run_has_one_end_whoever_logs_it() {
        // given the end a follower logged past the reservation, for an instance that seemed gone
        ThreadId thread = aThreadId();
        RunId run = aRunId();
        log.append(thread, run, tokens(1, 2), KEEP_UNTIL);
        RunEvent storedEnd = new RunEvent(4_097, new ChatEvent.Error("The run stopped.", "run_abandoned", T0));
        log.append(thread, run, List.of(storedEnd), KEEP_UNTIL);

        // when the instance's own last batch arrives late
        List<RunEvent> late = new ArrayList<>(tokens(3, 4));
        late.add(new RunEvent(5, new ChatEvent.Done(run, thread, MessageId.of("msg-late"), 9, T0)));

        // then it is refused, and readers find the one end
        assertThatThrownBy(() -> log.append(thread, run, late, KEEP_UNTIL)).isInstanceOf(RecordConflict.class);
        assertThat(log.readAfter(thread, run, 2, 100, NOW)).containsExactly(storedEnd);
    }

    /** Token events numbered {@code from} to {@code to}, both included. */
    private static List<RunEvent> tokens(long from, long to) {
        return LongStream.rangeClosed(from, to)
                .mapToObj(n -> new RunEvent(n, new ChatEvent.Token("t" + n, T0.plusMillis(n))))
                .toList();
    }
}
