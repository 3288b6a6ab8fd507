package dev.agentchat.adapter.http.edge;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Cuts off connections whose client keeps a read waiting too long: half a request line, half the
 * headers, half a body, or an idle connection between requests. Only reads count, so a response
 * that streams for minutes (an SSE stream, whose request was read whole) is never cut.
 *
 * <p>One watcher thread looks at every connection a few times per timeout; it runs only while there
 * are connections.
 */
final class ReadTimeouts {
    private static final System.Logger LOG = System.getLogger(ReadTimeouts.class.getName());

    private final long timeoutNanos;
    private final long checkMillis;
    private final Set<WatchedConnection> connections = ConcurrentHashMap.newKeySet();
    private boolean watching;

    ReadTimeouts(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
        this.checkMillis = Math.max(50, Math.min(1_000, timeout.toMillis() / 4));
    }

    void add(WatchedConnection connection) {
        connections.add(connection);
        synchronized (this) {
            if (!watching) {
                watching = true;
                Thread.ofVirtual().name("request-read-timeouts").start(this::watch);
            }
        }
    }

    void remove(WatchedConnection connection) {
        connections.remove(connection);
    }

    private void watch() {
        try {
            while (true) {
                synchronized (this) {
                    if (connections.isEmpty()) {
                        watching = false;
                        return;
                    }
                }
                long now = System.nanoTime();
                for (WatchedConnection connection : connections) {
                    if (connection.waitingNanos(now) > timeoutNanos) {
                        LOG.log(Level.DEBUG, "Closing {0}: the client sent nothing for {1} ms while a read waited",
                                connection, timeoutNanos / 1_000_000);
                        connections.remove(connection);
                        connection.cut();
                    }
                }
                Thread.sleep(checkMillis);
            }
        } catch (InterruptedException e) {
            synchronized (this) {
                watching = false;
            }
            Thread.currentThread().interrupt();
        }
    }
}
