package dev.agentchat.adapter.http.chat;

import dev.agentchat.domain.chat.ChatEvent;
import dev.agentchat.domain.chat.ChatTurn;
import dev.agentchat.domain.chat.ModelStreamItem;
import dev.agentchat.domain.chat.RunEvent;
import dev.agentchat.domain.chat.TurnStep;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The work the service does for each token between the model's delta and the socket write: the chat
 * turn's step (the domain event), the event's JSON, and the SSE frame with its id. It lives in the
 * HTTP adapter's package because the frame encoder is that package's own.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class TokenPathBenchmark {
    private ChatTurn turn;
    private ModelStreamItem.TextDelta delta;
    private ChatEvent.Token token;
    private Instant now;
    private long sequence;

    @Setup
    public void setUp() {
        now = Instant.parse("2026-11-25T09:15:00.123Z");
        // A turn some way into its answer, as most tokens find it.
        turn = ChatTurn.begin().accept(new ModelStreamItem.TextDelta("Restart the VM, then check the DNS settings "),
                now).turn();
        delta = new ModelStreamItem.TextDelta(" network");
        token = new ChatEvent.Token(" network", now);
    }

    /** The domain's step for one delta: the new turn and its token event. */
    @Benchmark
    public TurnStep turnStep() {
        return turn.accept(delta, now);
    }

    /** The token event as the frame's JSON, in UTF-8. */
    @Benchmark
    public byte[] eventJson() {
        return ChatEventJson.encode(token);
    }

    /** The whole per-token path: step, JSON and the numbered SSE frame's bytes, as handed to the socket in one chunk. */
    @Benchmark
    public byte[] tokenToFrame() {
        TurnStep step = turn.accept(delta, now);
        RunEvent numbered = new RunEvent(++sequence, step.events().getFirst());
        return SseChatEventSink.frame(numbered);
    }
}
