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
    private static final byte[] DATA = "data:".getBytes(StandardCharsets.US_ASCII);

    private final Clock clock;
    private final EventStream<byte[]> stream;

    public SseChatEventSink(ServerResponse response, Clock clock, Duration heartbeatInterval, OpenStreams streams) {
        this.clock = clock;
        this.stream = new EventStream<>(response, clock, heartbeatInterval, streams);
    }

    @Override
    public void open(RunId runId, ThreadId threadId) {
        stream.open(runId, threadId, EventBody::wire, () -> frame(null, new Heartbeat(clock.now()).data()));
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

    /** The event's SSE frame: its sequence as the {@code id}, its JSON as the one {@code data} line. */
    static byte[] frame(RunEvent event) {
        return frame(Long.toString(event.sequence()), ChatEventJson.encode(event.event()));
    }

    /**
     * {@code id:ID}, when there is one, and {@code data:DATA}, each on its line, and the empty line that ends
     * the frame; the data begins with the space that makes it read {@code data: {...}}.
     */
    private static byte[] frame(String id, byte[] data) {
        byte[] idLine = id == null ? new byte[0] : ("id:" + id + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] frame = new byte[idLine.length + DATA.length + data.length + 2];
        System.arraycopy(idLine, 0, frame, 0, idLine.length);
        System.arraycopy(DATA, 0, frame, idLine.length, DATA.length);
        System.arraycopy(data, 0, frame, idLine.length + DATA.length, data.length);
        frame[frame.length - 2] = '\n';
        frame[frame.length - 1] = '\n';
        return frame;
    }
}
