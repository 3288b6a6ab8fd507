package dev.agentchat.adapter.openaijava;

import java.io.IOException;
import okhttp3.Call;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Tells a stream which OkHttp call carries its request, so that a close from another thread can cancel
 * it: cancelling closes the socket, which ends a read blocked on it at once (closing the response body
 * instead would wait for that read, which holds the body's lock). The SDK makes the call inside
 * {@code execute()} on the thread that asks, and OkHttp runs application interceptors on that same
 * thread, so the thread names the stream.
 */
final class CallTracker implements Interceptor {
    /** What a stream learns about its calls: each attempt (a retry is a new call) replaces the last. */
    interface Listener {
        void started(Call call);
    }

    private final ThreadLocal<Listener> current = new ThreadLocal<>();

    /** Runs {@code attempt} with calls it makes reported to {@code listener}. */
    <T> T reporting(Listener listener, java.util.function.Supplier<T> attempt) {
        current.set(listener);
        try {
            return attempt.get();
        } finally {
            current.remove();
        }
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Listener listener = current.get();
        if (listener != null) {
            listener.started(chain.call());
        }
        return chain.proceed(chain.request());
    }
}
