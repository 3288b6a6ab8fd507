package dev.agentchat.adapter.memory.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentchat.domain.chat.ChatEvent;
import dev.agentchat.domain.chat.RunEvent;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.ports.contract.EventLogContract;
import dev.agentchat.ports.run.EventLog;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class InMemoryEventLogTest extends EventLogContract {
    private static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");

    @Override
    protected EventLog createSubject() {
        // The contract's events are timed around its own T0, so the log's clock stands there too.
        return new InMemoryEventLog(() -> T0);
    }

    @Test
    void runs_past_their_time_are_dropped_from_memory_on_a_later_append() {
        // given
        AtomicReference<Instant> now = new AtomicReference<>(T0);
        InMemoryEventLog log = new InMemoryEventLog(now::get);
        ThreadId thread = ThreadId.of("thread-old");
        RunId old = RunId.of("run-old");
        log.append(thread, old, List.of(new RunEvent(1, new ChatEvent.Token("a", T0))), T0.plusSeconds(10));

        // when: long after its time, another run appends
        now.set(T0.plusSeconds(3_600));
        log.append(thread, RunId.of("run-new"), List.of(new RunEvent(1, new ChatEvent.Token("b", T0))),
                T0.plusSeconds(7_200));

        // then: even a reader whose clock is behind finds nothing of the old run
        assertThat(log.readAfter(thread, old, 0, 10, T0)).isEmpty();
        assertThat(log.readAfter(thread, RunId.of("run-new"), 0, 10, T0)).hasSize(1);
    }
}
