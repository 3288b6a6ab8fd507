package dev.agentchat.adapter.cosmos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentchat.domain.chat.ChatEvent;
import dev.agentchat.domain.chat.RunEvent;
import dev.agentchat.domain.message.MessageId;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.step.StepId;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.ports.contract.EventLogContract;
import dev.agentchat.ports.run.EventLog;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class CosmosEventLogTest extends EventLogContract {
    private static final Instant T = Instant.parse("2025-03-01T12:00:00Z");

    @Override
    protected EventLog createSubject() {
        return CosmosTestServer.stores().events();
    }

    @Test
    void numbers_too_large_for_a_double_come_back_exactly() {
        // given: Cosmos DB keeps JSON numbers as doubles, exact only up to 2^53
        EventLog log = createSubject();
        ThreadId thread = ThreadId.of("thread-" + UUID.randomUUID());
        RunId run = RunId.of("run-" + UUID.randomUUID());
        List<RunEvent> events = List.of(
                new RunEvent(1, new ChatEvent.TraceEnd(StepId.of("step-1"), "completed", "", null, Long.MAX_VALUE, T)),
                new RunEvent(2, new ChatEvent.Done(run, thread, MessageId.of("msg-1"), (1L << 53) + 1, T.plusNanos(1))));

        // when
        log.append(thread, run, events, T.plusSeconds(60));

        // then
        assertThat(log.readAfter(thread, run, 0, 10, T)).containsExactlyElementsOf(events);
    }

    @Test
    void a_read_that_spans_several_query_pages_returns_every_event_in_order() {
        // given: more batches than one query page holds
        EventLog log = createSubject();
        ThreadId thread = ThreadId.of("thread-" + UUID.randomUUID());
        RunId run = RunId.of("run-" + UUID.randomUUID());
        List<RunEvent> events = LongStream.rangeClosed(1, 230)
                .mapToObj(n -> new RunEvent(n, new ChatEvent.Token("t" + n, T.plusMillis(n)))).toList();
        events.reversed().forEach(event -> log.append(thread, run, List.of(event), T.plusSeconds(60)));

        // when
        List<RunEvent> read = log.readAfter(thread, run, 3, 1_000, T);

        // then
        assertThat(read).containsExactlyElementsOf(events.subList(3, 230));
    }

    @Test
    void appending_a_batch_is_one_write_and_both_it_and_the_read_are_charged() {
        // given
        CosmosStores stores = CosmosTestServer.stores();
        EventLog log = stores.events();
        ThreadId thread = ThreadId.of("thread-" + UUID.randomUUID());
        RunId run = RunId.of("run-" + UUID.randomUUID());
        List<RunEvent> batch = List.of(new RunEvent(1, new ChatEvent.Token("a", T)), new RunEvent(2, new ChatEvent.Token("b", T)));
        long writes = stores.charges().writes();
        double units = stores.charges().total();

        // when
        log.append(thread, run, batch, T.plusSeconds(60));
        double written = stores.charges().total();
        List<RunEvent> read = log.readAfter(thread, run, 0, 10, T);

        // then
        assertThat(read).containsExactlyElementsOf(batch);
        assertThat(stores.charges().writes() - writes).isEqualTo(1);
        assertThat(written).isGreaterThan(units);
        assertThat(stores.charges().total()).isGreaterThan(written);
    }
}
