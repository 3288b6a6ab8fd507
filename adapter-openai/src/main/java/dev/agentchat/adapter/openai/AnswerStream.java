package dev.agentchat.adapter.openai;

import dev.agentchat.domain.chat.ModelStreamItem;
import dev.agentchat.ports.chat.ModelFailure;
import dev.agentchat.ports.chat.ModelServiceFailures;
import dev.agentchat.ports.chat.ModelStream;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;

/**
 * One streamed answer, read item by item: the blocking face of the SDK's reactive response body.
 *
 * <p>Why not the SDK's own {@code getChatCompletionsStream}: its blocking iterator keeps reading from
 * upstream after it is disposed, and its parser fails on SSE comment lines. Here Netty's thread only
 * copies each body piece into a queue; the reader's thread (the one calling {@link #next()}) parses it,
 * so all parsing state is confined to that thread. {@link #close()} may come from any thread: it
 * cancels the subscription, which makes Netty close the connection at once, and wakes the reader.
 *
 * <p>A connection that ends or breaks before {@code [DONE]} fails {@code next()} with
 * {@code model_stream_cut}, unless the finish reason had already arrived: then the answer is whole (only
 * the usage may be missing), and the stream just ends.
 */
final class AnswerStream implements ModelStream {
    private static final String DONE = "[DONE]";

    /** What Netty's thread hands to the reader. */
    private sealed interface Signal {
    }

    private record Piece(byte[] bytes) implements Signal {
    }

    private record Failed(ModelFailure failure) implements Signal {
    }

    private record Completed() implements Signal {
    }

    private record Closed() implements Signal {
    }

    /**
     * Unbounded, and the body is requested unbounded: an answer is bounded by the model's output token
     * limit, so this holds at most a few hundred kilobytes; and a body read to its end lets the
     * connection go back to the pool even when the reader stops early.
     */
    private final BlockingQueue<Signal> signals = new LinkedBlockingQueue<>();
    private final Upstream upstream = new Upstream();
    private final ModelFailures failures;

    // Confined to the reader's thread.
    private final ServerSentEvents events = new ServerSentEvents();
    private final ChunkTranslator chunks;
    private final ArrayDeque<ModelStreamItem> ready = new ArrayDeque<>();
    private boolean ended;
    /** The failure that ended the answer, thrown once the items before it are read. */
    private ModelFailure failure;
    private final UsageEstimate estimate;
    private boolean usageSeen;
    /** Whether any of the answer's body arrived: a request refused before it cost nothing to count. */
    private boolean bodyStarted;
    /** Told when the body's first bytes arrive: the answer's first chunk is in them. */
    private Runnable firstChunk = () -> {
    };

    /** Written by close() from any thread, read by the reader and by Netty's thread. */
    private volatile boolean closed;

    private AnswerStream(ModelFailures failures, UsageEstimate estimate) {
        this.failures = failures;
        this.chunks = new ChunkTranslator(failures);
        this.estimate = estimate;
    }

    /** Starts reading {@code body}; an error from it that is no {@link ModelFailure} yet counts as a broken connection. */
    static AnswerStream reading(Flux<ByteBuffer> body, ModelFailures failures, UsageEstimate estimate) {
        AnswerStream stream = new AnswerStream(failures, estimate);
        body.subscribe(stream.upstream);
        return stream;
    }

    @Override
    public void whenFirstChunk(Runnable action) {
        this.firstChunk = action;
    }

    @Override
    public Optional<ModelStreamItem> next() {
        while (!closed) {
            if (!ready.isEmpty()) {
                return Optional.of(seen(ready.poll()));
            }
            if (failure != null) {
                if (!usageSeen && bodyStarted) {
                    // Tokens were spent before the failure: count them before reporting it.
                    usageSeen = true;
                    return Optional.of(new ModelStreamItem.UsageReport(estimate.usage()));
                }
                ModelFailure thrown = failure;
                failure = null;
                usageSeen = true;
                throw thrown;
            }
            if (ended) {
                if (!usageSeen) {
                    // The service sent no usage: count it here rather than report none.
                    usageSeen = true;
                    return Optional.of(new ModelStreamItem.UsageReport(estimate.usage()));
                }
                return Optional.empty();
            }
            Signal signal;
            try {
                signal = signals.take();
            } catch (InterruptedException e) {
                // The reader is being stopped: that ends the answer as a close would.
                close();
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
            try {
                switch (signal) {
                    case Piece piece -> {
                        if (!bodyStarted) {
                            bodyStarted = true;
                            firstChunk.run();
                        }
                        read(events.feed(piece.bytes()));
                    }
                    case Completed completed -> endOfBody();
                    case Failed failed -> throw failed.failure();
                    case Closed close -> {
                        // the loop condition sees it
                    }
                }
            } catch (ModelFailure e) {
                end(e);
            }
        }
        return Optional.empty();
    }

    private ModelStreamItem seen(ModelStreamItem item) {
        if (item instanceof ModelStreamItem.UsageReport) {
            usageSeen = true;
        } else {
            estimate.saw(item);
        }
        return item;
    }

    /** Read on the reader's thread, as what it reads: once the answer's chunks named a model. */
    @Override
    public Optional<String> responseModel() {
        return chunks.responseModel();
    }

    @Override
    public void close() {
        closed = true;
        upstream.dispose();
        signals.offer(new Closed());
    }

    private void read(List<String> data) {
        for (String event : data) {
            if (ended) {
                return; // anything after [DONE] is not part of the answer
            }
            if (DONE.equals(event)) {
                ready.addAll(chunks.flush());
                ended = true;
                upstream.drain();
            } else {
                ready.addAll(chunks.translate(event));
            }
        }
    }

    private void endOfBody() {
        events.finish().ifPresent(last -> read(List.of(last)));
        if (!ended) {
            throw failures.endedEarly();
        }
    }

    /** Ends the answer on a failure, which next() throws once the items before it are read. */
    private void end(ModelFailure cause) {
        ended = true;
        upstream.dispose();
        if (ModelServiceFailures.STREAM_CUT.equals(cause.code()) && chunks.finished()) {
            // The answer is whole: only what follows its finish (the usage, [DONE]) was lost.
            ready.addAll(chunks.flush());
            return;
        }
        failure = cause;
    }

    /** Runs on Netty's (or Reactor's) threads; only ever adds to the queue. */
    private final class Upstream extends BaseSubscriber<ByteBuffer> {
        /** Set once the answer is read: what still comes (the end of the body) is only drained. */
        private volatile boolean draining;

        void drain() {
            draining = true;
        }

        @Override
        protected void hookOnSubscribe(Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        protected void hookOnNext(ByteBuffer buffer) {
            if (draining || closed) {
                return;
            }
            // Copied: Netty may reuse the buffer once this returns.
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            signals.offer(new Piece(bytes));
        }

        @Override
        protected void hookOnComplete() {
            signals.offer(new Completed());
        }

        @Override
        protected void hookOnError(Throwable error) {
            signals.offer(new Failed(error instanceof ModelFailure failure ? failure : failures.midAnswer(error)));
        }
    }
}
