package dev.agentchat.bootstrap;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * HTTP/1.1 spoken by hand over a socket, for requests that no well-behaved client would send:
 * the bytes go out exactly as written, and the answer is read as it comes.
 */
final class RawHttp implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    /** A byte read ahead to see whether an answer came; read again first. */
    private int pushedBack = -1;

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
            socket.setSoTimeout(10_000);
            in = socket.getInputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends text as ISO-8859-1 bytes, the way HTTP/1.1 headers travel. */
    RawHttp send(String text) {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    RawHttp send(byte[] bytes) {
        try {
            OutputStream out = socket.getOutputStream();
            out.write(bytes);
            out.flush();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads one answer; {@code head} says it answers a HEAD request, so that it has no body whatever its headers say. */
    Response read(boolean head) {
        try {
            String statusLine = line();
            if (statusLine == null) {
                throw new AssertionError("the server closed the connection without an answer");
            }
            int status = Integer.parseInt(statusLine.split(" ")[1]);
            Map<String, List<String>> headers = new LinkedHashMap<>();
            for (String line = line(); line != null && !line.isEmpty(); line = line()) {
                int colon = line.indexOf(':');
                headers.computeIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), name -> new ArrayList<>())
                        .add(line.substring(colon + 1).trim());
            }
            Response response = new Response(status, headers, "");
            if (head || status == 204 || status == 304) {
                return response;
            }
            String body;
            if (response.header("content-length").isPresent()) {
                body = new String(in.readNBytes(Integer.parseInt(response.header("content-length").get())), StandardCharsets.UTF_8);
            } else if (response.header("transfer-encoding").filter(te -> te.contains("chunked")).isPresent()) {
                body = chunked();
            } else {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            return new Response(status, headers, body);
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
                pushedBack = next;
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private int next() throws IOException {
        if (pushedBack != -1) {
            int value = pushedBack;
            pushedBack = -1;
            return value;
        }
        return in.read();
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = next(); b != -1; b = next()) {
            if (b == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    private String chunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = line();
            int length = Integer.parseInt(size.split(";")[0].trim(), 16);
            if (length == 0) {
                for (String trailer = line(); trailer != null && !trailer.isEmpty(); trailer = line()) {
                    // trailers are not looked at
                }
                return body.toString(StandardCharsets.UTF_8);
            }
            body.write(in.readNBytes(length));
            line();
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
