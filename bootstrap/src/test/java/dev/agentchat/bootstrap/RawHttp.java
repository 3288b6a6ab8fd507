package dev.agentchat.bootstrap;

import dev.agentchat.adapter.http.ApiDocument;
import java.io.IOException;
import java.io.PushbackInputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * HTTP/1.1 spoken by hand over a socket, for requests that no well-behaved client would send:
 * the bytes go out exactly as written, and the answers are read as they come ({@link HttpAnswers}); a
 * refusal's body is held against the OpenAPI document's Problem schema.
 */
final class RawHttp implements AutoCloseable {
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private final Socket socket;
    /** Pushes back a byte read ahead to see whether an answer came. */
    private final PushbackInputStream in;
    /** The request line of the request sent last, for holding its answer against the API document. */
    private String lastRequest = "";

    /** One answer as read off the wire; header names are lower case. */
    record Response(int status, Map<String, List<String>> headers, String body) {
        Optional<String> header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null ? Optional.empty() : Optional.of(values.getFirst());
        }
    }

    RawHttp(int port) {
        try {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout((int) PATIENCE.toMillis());
            in = new PushbackInputStream(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends text as ISO-8859-1 bytes, the way HTTP/1.1 headers travel. */
    RawHttp send(String text) {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    RawHttp send(byte[] bytes) {
        lastRequest = new String(bytes, StandardCharsets.ISO_8859_1);
        try {
            OutputStream out = socket.getOutputStream();
            out.write(bytes);
            out.flush();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads one answer, body and all; {@code head} says it answers a HEAD request, so that it has no body whatever its headers say. */
    Response read(boolean head) {
        try {
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            HttpAnswers.Head answer = HttpAnswers.readHead(in, socket, deadline);
            if (answer == null) {
                throw new AssertionError("the server closed the connection without an answer");
            }
            byte[] body = HttpAnswers.readBody(in, socket, answer, head, false, deadline);
            Response response = new Response(answer.status(), answer.headers(), new String(body, StandardCharsets.UTF_8));
            ApiDocument.get().checkRawAnswer(lastRequest, response.status(), response.header("content-type").orElse(null),
                    response.body());
            lastRequest = "";
            return response;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Response read() {
        return read(false);
    }

    /** Whether the server closes the connection within {@code patience} (and sends nothing more before it does). */
    boolean closedWithin(Duration patience) {
        try {
            socket.setSoTimeout((int) patience.toMillis());
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            // a reset is a close too
            return true;
        }
    }

    /** Whether anything (an answer, or the end of the stream) arrives within {@code patience}. */
    boolean answersWithin(Duration patience) {
        try {
            socket.setSoTimeout((int) patience.toMillis());
            int next = in.read();
            if (next != -1) {
                in.unread(next);
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
