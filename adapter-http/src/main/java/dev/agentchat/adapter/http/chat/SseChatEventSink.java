package dev.agentchat.adapter.http.chat;

import dev.agentchat.domain.chat.RunEvent;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.ports.chat.ChatEventSink;
import dev.agentchat.ports.chat.ClientDisconnected;
import dev.agentchat.ports.time.Clock;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A run's events as this service's Server-Sent Events on one response, each frame with the event's
 * sequence as its {@code id}, so that a client that reconnects can say with {@code Last-Event-ID} where
 * it was; a silence gets a {@code heartbeat} event. How the frames reach the wire is {@link EventStream}'s.
 */
public final class SseChatEventSink implements ChatEventSink, AutoCloseable {
    private static final byte[] ID = "id:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA = "data:".getBytes(StandardCharsets.US_ASCII);

    private final Clock clock;
    private final EventStream<byte[]> stream;

    /** A sink for a stream of {@code kind}: a chat's, or a run's events read by a client that follows it. */
    public SseChatEventSink(ServerResponse response, Clock clock, Duration heartbeatInterval, OpenStreams streams,
                            OpenStreams.Kind kind) {
        this.clock = clock;
        this.stream = new EventStream<>(response, clock, heartbeatInterval, streams, kind);
    }

    @Override
    public void open(RunId runId, ThreadId threadId) {
        stream.open(runId, threadId, EventBody::wire, () -> frame(new Heartbeat(clock.now()).data()));
    }

    @Override
    public void emit(RunEvent event) {
        if (!stream.write(frame(event), event.isLast())) {
            throw new ClientDisconnected("the client has gone", null);
        }
    }

    @Override
    public void onDisconnect(Runnable action) {
        stream.onDisconnect(action);
    }

    /** Everything was written: see {@link EventStream#complete()}. */
    public void complete() {
        stream.complete();
    }

    /** Ends the stream: every frame is on the wire already. */
    @Override
    public void close() {
        stream.close();
    }

    /**
     * The event's SSE frame, {@code id:SEQUENCE}, {@code data:DATA} and the empty line that ends it, in one array: it
     * is written per token. The data begins with the space that makes it read {@code data: {...}}.
     */
    static byte[] frame(RunEvent event) {
        byte[] data = ChatEventJson.encode(event.event());
        long sequence = event.sequence();
        int digits = digits(sequence);
        byte[] frame = new byte[ID.length + digits + 1 + DATA.length + data.length + 2];
        System.arraycopy(ID, 0, frame, 0, ID.length);
        int at = ID.length + digits;
        for (long rest = sequence; at > ID.length; rest /= 10) {
            frame[--at] = (byte) ('0' + rest % 10);
        }
        at = ID.length + digits;
        frame[at++] = '\n';
        System.arraycopy(DATA, 0, frame, at, DATA.length);
        System.arraycopy(data, 0, frame, at + DATA.length, data.length);
        frame[frame.length - 2] = '\n';
        frame[frame.length - 1] = '\n';
        return frame;
    }

    /** A frame without an id (a heartbeat): {@code data:DATA} and the empty line. */
    private static byte[] frame(byte[] data) {
        byte[] frame = new byte[DATA.length + data.length + 2];
        System.arraycopy(DATA, 0, frame, 0, DATA.length);
        System.arraycopy(data, 0, frame, DATA.length, data.length);
        frame[frame.length - 2] = '\n';
        frame[frame.length - 1] = '\n';
        return frame;
    }

    private static int digits(long positive) {
        int digits = 1;
        for (long rest = positive; rest >= 10; rest /= 10) {
            digits++;
        }
        return digits;
    }
}
