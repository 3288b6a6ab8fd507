package dev.agentchat.adapter.memory.model;

import dev.agentchat.domain.chat.ModelStreamItem;
import dev.agentchat.ports.chat.ModelStream;
import java.util.Iterator;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** Plays a reply's cues on the reading thread. Closing it wakes a pause, a hang or a wait at once. */
final class CueStream implements ModelStream {
    private final Iterator<Cue> cues;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final CompletableFuture<Void> closedToo = new CompletableFuture<>();
    private final Runnable onClose;

    CueStream(Reply reply, Runnable onClose) {
        this.cues = reply.cues().iterator();
        this.onClose = onClose;
    }

    @Override
    public Optional<ModelStreamItem> next() {
        while (!isClosed() && cues.hasNext()) {
            switch (cues.next()) {
                case Cue.Send send -> {
                    return Optional.of(send.item());
                }
                case Cue.Pause pause -> awaitClose(pause.duration().toNanos());
                case Cue.Fail fail -> throw fail.failure();
                case Cue.Hang hang -> awaitClose(Long.MAX_VALUE);
                case Cue.Await await -> awaitRelease(await.release().toCompletableFuture());
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        // Closing may race between the reader and a disconnect callback: only the first close counts.
        if (closing.compareAndSet(false, true)) {
            closed.countDown();
            closedToo.complete(null);
            onClose.run();
        }
    }

    private boolean isClosed() {
        return closed.getCount() == 0;
    }

    private void awaitRelease(CompletableFuture<?> release) {
        try {
            CompletableFuture.anyOf(release, closedToo).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
        } catch (ExecutionException e) {
            // A release that failed is still a release: the script goes on.
        }
    }

    private void awaitClose(long nanos) {
        try {
            closed.await(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
        }
    }
}
