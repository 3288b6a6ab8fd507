package dev.agentchat.adapter.http.chat;

import java.time.Duration;

/** The event streams open now, so that a service that stops lets them send their last events first. */
public final class OpenStreams {
    private int open;

    synchronized void opened() {
        open++;
    }

    synchronized void closed() {
        open--;
        if (open == 0) {
            notifyAll();
        }
    }

    /** Waits at most {@code patience} until no stream is open; whether none is. */
    public synchronized boolean awaitNone(Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (open > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }
}
