package dev.agentchat.adapter.http.chat;

import dev.agentchat.domain.chat.RunEvent;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.ports.chat.ChatEventSink;
import dev.agentchat.ports.chat.ClientDisconnected;
import dev.agentchat.ports.time.Clock;
import io.helidon.http.sse.SseEvent;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.sse.SseSink;
import java.time.Duration;

/**
 * A run's events as this service's Server-Sent Events on one response, each frame with the event's
 * sequence as its {@code id}, so that a client that reconnects can say with {@code Last-Event-ID} where
 * it was; a silence gets a {@code heartbeat} event. How the frames reach the wire is {@link EventStream}'s.
 */
public final class SseChatEventSink implements ChatEventSink, AutoCloseable {
    private final Clock clock;
    private final EventStream<SseEvent> stream;

    public SseChatEventSink(ServerResponse response, Clock clock, Duration heartbeatInterval, OpenStreams streams) {
        this.clock = clock;
        this.stream = new EventStream<>(response, clock, heartbeatInterval, streams);
    }

    @Override
    public void open(RunId runId, ThreadId threadId) {
        stream.open(runId, threadId, SseChatEventSink::sse, () -> SseEvent.create(new Heartbeat(clock.now()).data()));
    }

    @Override
    public void emit(RunEvent event) {
        SseEvent frame = SseEvent.builder().id(Long.toString(event.sequence()))
                .data(ChatEventJson.encode(event.event())).build();
        if (!stream.write(frame, event.isLast())) {
            throw new ClientDisconnected("the client has gone", null);
        }
    }

    @Override
    public void onDisconnect(Runnable action) {
        stream.onDisconnect(action);
    }

    /** Ends the stream: every frame is on the wire already. */
    @Override
    public void close() {
        stream.close();
    }

    /** Helidon's SSE sink, which sends the content type and puts each event on the wire as it is emitted. */
    private static EventStream.Wire<SseEvent> sse(ServerResponse response) {
        SseSink sse = response.sink(SseSink.TYPE);
        return new EventStream.Wire<>() {
            @Override
            public void send(SseEvent frame) {
                sse.emit(frame);
            }

            @Override
            public void close() {
                sse.close();
            }
        };
    }
}
