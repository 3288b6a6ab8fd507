package dev.agentchat.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One client of a chat back end, as a browser tab is: its turns one after another, each over the
 * connection of the turn before when the server kept that alive (HTTP/1.1: the answer had a known end
 * and no {@code Connection: close}), over a new one otherwise. Not shared between threads.
 */
final class ChatClient implements AutoCloseable {
    private final int port;
    private final ChatProtocol protocol;
    private final Counts counts;
    private SseConnection connection;

    /**
     * Called with the stamps of each piece of answer text and the moment ({@link System#nanoTime}) it
     * was read. The model server's tokens are each a {@link System#nanoTime} and a space, so a back end
     * that merged deltas would hand over several stamps in one piece.
     */
    @FunctionalInterface
    interface StampListener {
        void stamps(long arrivedNanos, long[] stamps);
    }

    /** What the clients of one back end saw, added up over all of them. */
    static final class Counts {
        final AtomicLong turns = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        final AtomicLong events = new AtomicLong();
        final AtomicLong tokens = new AtomicLong();
        /** Events that carried answer text: as many as the tokens when every event carries one. */
        final AtomicLong textEvents = new AtomicLong();
        final AtomicLong connectionsOpened = new AtomicLong();
        final AtomicLong turnsOnAKeptConnection = new AtomicLong();
        /** Kept connections that failed as the next request went out (the server had closed them), so that one more was opened. */
        final AtomicLong keptConnectionsLost = new AtomicLong();
        private final List<String> first = new ArrayList<>();

        void error(String what) {
            errors.incrementAndGet();
            synchronized (first) {
                if (first.size() < 5) {
                    first.add(what);
                }
            }
        }

        List<String> firstErrors() {
            synchronized (first) {
                return List.copyOf(first);
            }
        }
    }

    ChatClient(int port, ChatProtocol protocol, Counts counts) {
        this.port = port;
        this.protocol = protocol;
        this.counts = counts;
    }

    /** Opens a connection now, unless one is kept, so that a turn started later finds it open (a burst). */
    void connect() throws IOException {
        if (connection == null || !connection.reusable()) {
            openConnection();
        }
    }

    /**
     * One turn read to its end, each piece of answer text's stamps to {@code listener}; false when the
     * turn failed (the failure is counted).
     */
    boolean turn(StampListener listener) {
        try {
            SseConnection stream = send();
            if (stream.status() != 200) {
                return failed("status " + stream.status());
            }
            for (String data = stream.nextData(); data != null; data = stream.nextData()) {
                long now = System.nanoTime();
                counts.events.incrementAndGet();
                switch (protocol.read(data)) {
                    case ChatProtocol.Text text -> {
                        if (text.text() != null && !text.text().isBlank()) {
                            long[] stamps = stampsOf(text.text());
                            counts.tokens.addAndGet(stamps.length);
                            counts.textEvents.incrementAndGet();
                            listener.stamps(now, stamps);
                        }
                    }
                    case ChatProtocol.Finished finished -> {
                        stream.drain(5);
                        counts.turns.incrementAndGet();
                        return true;
                    }
                    case ChatProtocol.Failed failure -> {
                        return failed(failure.reason());
                    }
                    case ChatProtocol.Other other -> {
                        // not timed
                    }
                }
            }
            return failed("stream ended before its end event");
        } catch (IOException | RuntimeException e) {
            return failed(e.toString());
        }
    }

    private static long[] stampsOf(String text) {
        return Arrays.stream(text.strip().split("\\s+")).mapToLong(Long::parseLong).toArray();
    }

    private SseConnection send() throws IOException {
        if (connection != null && connection.reusable()) {
            boolean kept = connection.requests() > 0;
            try {
                connection.request(protocol.path(), protocol.body());
                if (kept) {
                    counts.turnsOnAKeptConnection.incrementAndGet();
                }
                return connection;
            } catch (IOException e) {
                if (!kept || Thread.currentThread().isInterrupted()) {
                    throw e;   // a new connection failed, or this client is being stopped: not a kept one the server closed
                }
                counts.keptConnectionsLost.incrementAndGet();
                if (Boolean.getBoolean("bench.debugConnections")) {
                    System.err.println("a kept connection failed: " + e);
                }
                // The server closed the kept connection as the request went out (its idle timeout): a new one.
            }
        }
        openConnection();
        connection.request(protocol.path(), protocol.body());
        return connection;
    }

    private void openConnection() throws IOException {
        close();
        connection = SseConnection.open(port);
        counts.connectionsOpened.incrementAndGet();
    }

    private boolean failed(String reason) {
        counts.error(reason);
        close();
        return false;
    }

    @Override
    public void close() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
    }
}
