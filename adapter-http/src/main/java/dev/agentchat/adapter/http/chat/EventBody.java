package dev.agentchat.adapter.http.chat;

import io.helidon.common.GenericType;
import io.helidon.common.buffers.BufferData;
import io.helidon.common.media.type.MediaType;
import io.helidon.http.DateTime;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.http.spi.Sink;
import io.helidon.webserver.http.spi.SinkProvider;
import io.helidon.webserver.http.spi.SinkProviderContext;
import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;

/**
 * An event stream's body, put on the wire frame by frame in HTTP/1.1 chunks, so that it has a known end and
 * its connection serves the client's next request.
 *
 * <p>Why not Helidon's own SSE sink: its body ends only when the connection does, so every streamed answer
 * cost the client a new TCP connection (and, behind TLS, a new handshake). Why not the response's output
 * stream: it sends the status and headers only with the first frame, and a client waiting for a slow model's
 * first token should know at once that its request was taken. Here the head goes out when the body is
 * opened, each frame is one chunk written at once, and {@link #end()} writes the last chunk and hands the
 * connection back; {@link #close()} instead cuts it, for a client that has gone or stopped reading.
 */
public final class EventBody implements Sink<byte[]> {
    static final GenericType<EventBody> TYPE = GenericType.create(EventBody.class);

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATE = "Date: ".getBytes(StandardCharsets.US_ASCII);

    private final ConnectionContext connection;
    private final Runnable sent;

    private EventBody(SinkProviderContext context) {
        this.connection = context.connectionContext();
        this.sent = context.closeRunnable();
        writeHead(context.serverResponse());
    }

    /** Opens {@code response}'s body as an event stream: the status and headers go out now. */
    static EventBody open(ServerResponse response) {
        response.header(HeaderValues.CONTENT_TYPE_EVENT_STREAM);
        return response.sink(TYPE);
    }

    /** {@code response}'s body as the wire of an {@link EventStream} whose frames are SSE bytes. */
    public static EventStream.Wire<byte[]> wire(ServerResponse response) {
        EventBody body = open(response);
        return new EventStream.Wire<>() {
            @Override
            public void send(byte[] frame) {
                body.emit(frame);
            }

            @Override
            public void end() {
                body.end();
            }

            @Override
            public void cut() {
                body.close();
            }
        };
    }

    /** Writes one frame as one chunk, at once; a client that has gone is reported as an unchecked I/O error. */
    @Override
    public EventBody emit(byte[] frame) {
        if (frame.length == 0) {
            return this;   // an empty chunk is the last one: nothing to send
        }
        byte[] size = Integer.toHexString(frame.length).getBytes(StandardCharsets.US_ASCII);
        BufferData chunk = BufferData.create(size.length + frame.length + 4);
        chunk.write(size);
        chunk.write(CRLF);
        chunk.write(frame);
        chunk.write(CRLF);
        connection.dataWriter().writeNow(chunk);
        return this;
    }

    /** Ends the body with the last chunk: the connection is the client's again, for its next request. */
    public void end() {
        try {
            connection.dataWriter().writeNow(BufferData.create(LAST_CHUNK));
        } finally {
            sent.run();
        }
    }

    /** Ends the body by cutting the connection: for a client that has gone or stopped reading. */
    @Override
    public void close() {
        try {
            sent.run();
        } finally {
            connection.serverSocket().close();
        }
    }

    private void writeHead(ServerResponse response) {
        ServerResponseHeaders headers = response.headers();
        Status status = response.status();
        headers.set(HeaderValues.TRANSFER_ENCODING_CHUNKED);
        headers.remove(HeaderNames.CONTENT_LENGTH);
        BufferData head = BufferData.growing(512);
        head.write(("HTTP/1.1 " + status.code() + " " + status.reasonPhrase() + "\r\n").getBytes(StandardCharsets.US_ASCII));
        if (!headers.contains(HeaderNames.DATE)) {
            head.write(DATE);
            head.write(DateTime.http1Bytes());
        }
        for (Header header : headers) {
            header.writeHttp1Header(head);
        }
        head.write(CRLF);
        connection.dataWriter().writeNow(head);
    }

    /** Makes {@link EventBody}s for {@code response.sink(EventBody.TYPE)}; found by Helidon through the service loader. */
    public static final class Provider implements SinkProvider<byte[]> {
        @Override
        public boolean supports(GenericType<? extends Sink<?>> type, ServerRequest request) {
            return TYPE.equals(type);
        }

        @Override
        @SuppressWarnings("unchecked")
        public <X extends Sink<byte[]>> X create(SinkProviderContext context) {
            return (X) new EventBody(context);
        }

        @Override
        @Deprecated
        @SuppressWarnings("removal")
        public <X extends Sink<byte[]>> X create(ServerResponse response, BiConsumer<Object, MediaType> eventConsumer,
                Runnable closeRunnable) {
            throw new UnsupportedOperationException("an event body needs its connection");
        }
    }
}
