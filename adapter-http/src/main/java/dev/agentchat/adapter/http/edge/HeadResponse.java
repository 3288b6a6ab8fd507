package dev.agentchat.adapter.http.edge;

import io.helidon.common.uri.UriQuery;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.ServerResponseTrailers;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;

/**
 * The answer to a HEAD request: the status and headers that GET would get, the body's length as
 * {@code Content-Length} where it is known, and no body. An event stream ({@link #isHead} lets its
 * writer tell) is answered with its headers alone, and ends there.
 */
public final class HeadResponse implements ServerResponse {
    private final ServerResponse response;

    HeadResponse(ServerResponse response) {
        this.response = response;
    }

    /** Whether a response answers a HEAD request, so that a stream writer sends its headers only. */
    public static boolean isHead(ServerResponse response) {
        return response instanceof HeadResponse;
    }

    /** Sends the status and headers without a body: for a stream, whose length is not known. */
    public void sendHeadersOnly() {
        response.send();
    }

    @Override
    public void send(byte[] bytes) {
        if (!response.headers().contains(HeaderNames.CONTENT_LENGTH)) {
            response.header(HeaderNames.CONTENT_LENGTH, Integer.toString(bytes.length));
        }
        response.send(new byte[0]);
    }

    @Override
    public void send(byte[] bytes, int position, int length) {
        send(java.util.Arrays.copyOfRange(bytes, position, position + length));
    }

    @Override
    public void send(Object entity) {
        switch (entity) {
            case byte[] bytes -> send(bytes);
            case String text -> send(text.getBytes(StandardCharsets.UTF_8));
            default -> throw new IllegalArgumentException("HEAD answers bodies of bytes or text, not "
                    + entity.getClass().getName());
        }
    }

    @Override
    public void send() {
        response.send();
    }

    /** A body streamed to a HEAD answer is counted, not sent; its length goes out when it is closed. */
    @Override
    public OutputStream outputStream() {
        return new OutputStream() {
            private long length;
            private boolean closed;

            @Override
            public void write(int b) {
                length++;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                length += len;
            }

            @Override
            public void close() {
                if (!closed) {
                    closed = true;
                    if (!response.headers().contains(HeaderNames.CONTENT_LENGTH)) {
                        response.header(HeaderNames.CONTENT_LENGTH, Long.toString(length));
                    }
                    response.send(new byte[0]);
                }
            }
        };
    }

    @Override
    public ServerResponse status(Status status) {
        response.status(status);
        return this;
    }

    @Override
    public Status status() {
        return response.status();
    }

    @Override
    public ServerResponse header(Header header) {
        response.header(header);
        return this;
    }

    @Override
    public boolean isSent() {
        return response.isSent();
    }

    @Override
    public long bytesWritten() {
        return 0;
    }

    @Override
    public ServerResponse whenSent(Runnable listener) {
        response.whenSent(listener);
        return this;
    }

    @Override
    public ServerResponse reroute(String newPath) {
        response.reroute(newPath);
        return this;
    }

    @Override
    public ServerResponse reroute(String path, UriQuery query) {
        response.reroute(path, query);
        return this;
    }

    @Override
    public ServerResponse next() {
        response.next();
        return this;
    }

    @Override
    public ServerResponseHeaders headers() {
        return response.headers();
    }

    @Override
    public ServerResponseTrailers trailers() {
        return response.trailers();
    }

    @Override
    public void streamResult(String result) {
        response.streamResult(result);
    }

    @Override
    public void streamFilter(UnaryOperator<OutputStream> filterFunction) {
        response.streamFilter(filterFunction);
    }
}
