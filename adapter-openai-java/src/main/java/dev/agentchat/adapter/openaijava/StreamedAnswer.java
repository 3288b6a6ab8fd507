package dev.agentchat.adapter.openaijava;

import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.agentchat.domain.chat.ModelStreamItem;
import dev.agentchat.ports.chat.ModelFailure;
import dev.agentchat.ports.chat.ModelServiceFailures;
import dev.agentchat.ports.chat.ModelStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;

/**
 * One answer, read on the thread that calls {@link #next()}: that thread sends the request (and its
 * retries) at the first {@code next()}, and then reads the body through the SDK's blocking stream, one SSE
 * event per chunk. No other thread touches the answer: nothing is handed over per token.
 *
 * <p>{@link #close()} may come from any thread. It cancels the OkHttp call in flight, which closes its
 * socket: a read blocked on it ends at once, and the service sees the connection close. A close during a
 * retry's wait ends the wait. An interrupt of the reader ends the answer as a close does (a virtual
 * thread's socket read is interruptible: the JDK closes the socket).
 *
 * <p>A body that ends or breaks before the finish reason fails {@code next()} with
 * {@code model_stream_cut} after the items before it; after the finish reason the answer is whole (only
 * the usage may be missing) and the stream just ends. The usage is counted when the service sent none.
 */
final class StreamedAnswer implements ModelStream, CallTracker.Listener {
    private final OpenAIClient client;
    private final ChatCompletionCreateParams params;
    private final CallTracker calls;
    private final Retrying retrying;
    private final ServiceFailures failures;
    private final UsageCount usage;

    /** Counted down by close(), from any thread; read by the reader, which waits on it between retries. */
    private final CountDownLatch closing = new CountDownLatch(1);
    /** The call in flight: written by the reader's thread (in the SDK's call), cancelled by close(). */
    private volatile Call call;

    // Confined to the reader's thread.
    private final ChunkItems chunkItems = new ChunkItems();
    private final ArrayDeque<ModelStreamItem> ready = new ArrayDeque<>();
    private StreamResponse<ChatCompletionChunk> response;
    private Iterator<ChatCompletionChunk> chunks;
    private boolean ended;
    private boolean usageSeen;
    /** Whether an event arrived: a request refused, or cut before any, cost nothing to count. */
    private boolean bodyStarted;
    /** Told when the first event of the answer arrives. */
    private Runnable firstChunk = () -> {
    };
    /** The failure that ended the answer, thrown once the items before it are read. */
    private ModelFailure failure;

    StreamedAnswer(OpenAIClient client, ChatCompletionCreateParams params, CallTracker calls, Retrying retrying,
            ServiceFailures failures, UsageCount usage) {
        this.client = client;
        this.params = params;
        this.calls = calls;
        this.retrying = retrying;
        this.failures = failures;
        this.usage = usage;
    }

    @Override
    public void whenFirstChunk(Runnable action) {
        this.firstChunk = action;
    }

    @Override
    public Optional<ModelStreamItem> next() {
        while (!closed()) {
            ModelStreamItem item = ready.poll();
            if (item != null) {
                return Optional.of(seen(item));
            }
            if (ended) {
                return finishing();
            }
            readMore();
        }
        release();
        return Optional.empty();
    }

    /** Read on the reader's thread, as what it reads: once the answer's chunks named a model. */
    @Override
    public Optional<String> responseModel() {
        return chunkItems.responseModel();
    }

    /**
     * The end of an answer whose items are all read: its usage, counted if the service sent none (a request
     * refused before any chunk cost nothing), then its failure if it failed, then nothing.
     */
    private Optional<ModelStreamItem> finishing() {
        if (!usageSeen && (failure == null || bodyStarted)) {
            usageSeen = true;
            return Optional.of(new ModelStreamItem.UsageReport(usage.estimate()));
        }
        usageSeen = true;
        release();
        ModelFailure thrown = failure;
        failure = null;
        if (thrown != null) {
            throw thrown;
        }
        return Optional.empty();
    }

    private void readMore() {
        if (chunks == null) {
            send();
            return;
        }
        try {
            if (!chunks.hasNext()) {
                ready.addAll(chunkItems.rest());
                ended = true;
                if (!chunkItems.finished()) {
                    failure = failures.endedEarly();
                }
                return;
            }
            if (!bodyStarted) {
                bodyStarted = true; // an event arrived, even if it turns out not to be a chunk
                firstChunk.run();
            }
            ChatCompletionChunk chunk = chunks.next();
            if (chunk == null) {
                throw failures.notAChunk(null); // the JSON null
            }
            ready.addAll(chunkItems.of(chunk));
        } catch (RuntimeException e) {
            if (closed()) {
                return; // the close cut the connection: not a failure
            }
            end(failures.midAnswer(e));
        }
    }

    /** Sends the request, retrying a refusal or a failed connection, until the answer begins or fails. */
    private void send() {
        for (int attempt = 0; ; attempt++) {
            try {
                response = calls.reporting(this, () -> client.chat().completions().createStreaming(params));
                chunks = response.stream().iterator();
                return;
            } catch (RuntimeException e) {
                if (closed()) {
                    return;
                }
                Optional<Duration> wait = retrying.waitAfter(e, attempt);
                if (wait.isEmpty()) {
                    ended = true;
                    failure = failures.beforeAnswer(e);
                    return;
                }
                if (waitUnlessClosed(wait.get())) {
                    return;
                }
            }
        }
    }

    /** Whether the stream was closed (or its reader interrupted) during the wait. */
    private boolean waitUnlessClosed(Duration wait) {
        try {
            return closing.await(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            return true;
        }
    }

    /** Ends the answer on a failure; a cut once the finish reason came only loses what follows it. */
    private void end(ModelFailure cause) {
        ended = true;
        if (ModelServiceFailures.STREAM_CUT.equals(cause.code()) && chunkItems.finished()) {
            ready.addAll(chunkItems.rest());
            return;
        }
        failure = cause;
    }

    private ModelStreamItem seen(ModelStreamItem item) {
        if (item instanceof ModelStreamItem.UsageReport) {
            usageSeen = true;
        } else {
            usage.note(item);
        }
        return item;
    }

    /** The reader's own cleanup: the body is closed on the thread that reads it, never while a read holds its lock. */
    private void release() {
        StreamResponse<ChatCompletionChunk> open = response;
        response = null;
        if (open != null) {
            open.close();
        }
    }

    private boolean closed() {
        if (closing.getCount() == 0) {
            return true;
        }
        if (Thread.currentThread().isInterrupted()) {
            // The run is being stopped: that ends the answer as a close would.
            close();
            return true;
        }
        return false;
    }

    @Override
    public void started(Call started) {
        call = started;
        if (closing.getCount() == 0) {
            started.cancel(); // closed while the call was being made
        }
    }

    @Override
    public void close() {
        closing.countDown();
        Call inFlight = call;
        if (inFlight != null) {
            inFlight.cancel();
        }
    }
}
