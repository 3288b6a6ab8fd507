package dev.agentchat.bootstrap;

import static dev.agentchat.bootstrap.ServiceUnderTest.body;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;

/**
 * A chat client as a browser's EventSource behaves behind a balancer: it sends a message, reads the run's
 * stream, and when the connection is cut before the run's end it reconnects with the last id it saw in
 * {@code Last-Event-ID}, wherever the balancer sends it. What it got is told in a {@link Visit}.
 */
final class ResumingClient {
    static final String AGENT = "support-triage";
    /** The events that end a run's stream. */
    private static final Set<String> ENDS = Set.of("done", "error");
    /** Longer than an abandoned run takes to be ended in the tests, and than several heartbeats. */
    private static final Duration QUIET_PATIENCE = Duration.ofSeconds(40);
    private static final int RECONNECTS = 3;

    private ResumingClient() {
    }

    /**
     * Everything one client saw: the chat's status, the run, the frames of each connection in order (a
     * connection cut by the balancer ends without the run's end), and when each reconnection was answered.
     *
     * @param failure what went wrong outside the protocol (an I/O error, an answer that was no stream), or null
     */
    record Visit(String message, int status, String threadId, String runId, List<List<SseStream.Frame>> connections,
                 List<Long> reconnectedNanos, long endedNanos, String failure) {

        /** The events of every connection, in the order received, heartbeats left out. */
        List<SseStream.Frame> events() {
            return connections.stream().flatMap(List::stream).filter(frame -> !frame.type().equals("heartbeat")).toList();
        }

        boolean cut() {
            return connections.size() > 1;
        }

        /** The run's end the client received, or null. */
        SseStream.Frame end() {
            List<SseStream.Frame> events = events();
            return events.isEmpty() || !ENDS.contains(events.getLast().type()) ? null : events.getLast();
        }

        String text() {
            StringBuilder text = new StringBuilder();
            events().stream().filter(frame -> frame.type().equals("token"))
                    .forEach(frame -> text.append(frame.data().path("content").asText()));
            return text.toString();
        }

        String describe() {
            return message + " (run " + runId + ", status " + status + (failure == null ? "" : ", " + failure) + "): "
                    + connections.stream().map(frames -> frames.stream().filter(frame -> !frame.type().equals("heartbeat"))
                            .map(frame -> frame.id() + ":" + frame.type()).toList().toString()).toList();
        }
    }

    /**
     * Sends {@code message} through {@code client} and follows its run to the end; counts {@code midStream}
     * down once it has seen {@code tokens} tokens (or the stream ended sooner).
     */
    static Visit chat(ServiceClient client, String message, int tokens, CountDownLatch midStream) {
        List<List<SseStream.Frame>> connections = new ArrayList<>();
        List<Long> reconnected = new ArrayList<>();
        int status = 0;
        String threadId = null;
        String runId = null;
        boolean counted = false;
        try {
            try (SseStream stream = client.chat(AGENT, body("message", message), "Idempotency-Key", "lb-" + UUID.randomUUID())) {
                status = stream.response.statusCode();
                threadId = stream.header("X-Thread-Id");
                runId = stream.header("X-Run-Id");
                if (status != 200) {
                    midStream.countDown();
                    return new Visit(message, status, threadId, runId, connections, reconnected, System.nanoTime(),
                            "the chat was answered " + status);
                }
                List<SseStream.Frame> frames = new ArrayList<>();
                connections.add(frames);
                for (SseStream.Frame frame = stream.next(QUIET_PATIENCE); frame != null; frame = stream.next(QUIET_PATIENCE)) {
                    frames.add(frame);
                    if (!counted && frames.stream().filter(seen -> seen.type().equals("token")).count() >= tokens) {
                        counted = true;
                        midStream.countDown();
                    }
                }
            }
            if (!counted) {
                midStream.countDown();
            }
            for (int attempt = 0; attempt < RECONNECTS && !ended(connections); attempt++) {
                String lastId = lastId(connections);
                try (SseStream stream = client.events(AGENT, threadId, runId, lastId, null)) {
                    reconnected.add(System.nanoTime());
                    if (stream.response.statusCode() != 200) {
                        return new Visit(message, status, threadId, runId, connections, reconnected, System.nanoTime(),
                                "the reconnection was answered " + stream.response.statusCode());
                    }
                    List<SseStream.Frame> frames = new ArrayList<>();
                    connections.add(frames);
                    for (SseStream.Frame frame = stream.next(QUIET_PATIENCE); frame != null; frame = stream.next(QUIET_PATIENCE)) {
                        frames.add(frame);
                    }
                }
            }
            return new Visit(message, status, threadId, runId, connections, reconnected, System.nanoTime(), null);
        } catch (UncheckedIOException | AssertionError e) {
            if (!counted) {
                midStream.countDown();
            }
            return new Visit(message, status, threadId, runId, connections, reconnected, System.nanoTime(), e.toString());
        }
    }

    private static boolean ended(List<List<SseStream.Frame>> connections) {
        return connections.stream().flatMap(List::stream).anyMatch(frame -> ENDS.contains(frame.type()));
    }

    /** The last id received on any connection, or null before the first. */
    private static String lastId(List<List<SseStream.Frame>> connections) {
        return connections.stream().flatMap(List::stream).map(SseStream.Frame::id).filter(id -> id != null)
                .reduce((first, second) -> second).orElse(null);
    }
}
