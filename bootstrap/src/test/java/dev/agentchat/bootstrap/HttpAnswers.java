package dev.agentchat.bootstrap;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * HTTP/1.1 answers read off a socket by hand, each read within a deadline and each part bounded:
 * enough to read a status line, headers and a body by Content-Length, chunks or the connection's end.
 */
final class HttpAnswers {
    private static final int MAX_HEAD = 64 * 1024;
    private static final int MAX_BODY = 1024 * 1024;

    private HttpAnswers() {
    }

    /** An answer's status and headers; header names are lower case, values in the order sent. */
    record Head(int status, Map<String, List<String>> headers) {
        Optional<String> header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null ? Optional.empty() : Optional.of(values.getFirst());
        }
    }

    /**
     * The status line and headers, or null when the connection ends before they do.
     *
     * @throws IOException when nothing came by the deadline, or what came is no status line
     */
    static Head readHead(InputStream in, Socket socket, long deadline) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < end.length) {
            if (bytes.size() >= MAX_HEAD) {
                throw new IOException("headers longer than " + MAX_HEAD + " bytes");
            }
            remaining(deadline, socket);
            int b = in.read();
            if (b < 0) {
                return null;
            }
            bytes.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String[] lines = bytes.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        if (statusLine.length < 2 || !statusLine[1].matches("\\d{3}")) {
            throw new IOException("not a status line: " + lines[0]);
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.computeIfAbsent(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), name -> new ArrayList<>())
                        .add(lines[i].substring(colon + 1).strip());
            }
        }
        return new Head(Integer.parseInt(statusLine[1]), headers);
    }

    /**
     * The body of the answer {@code head} begins: none for a HEAD request ({@code headRequest}), 1xx, 204
     * and 304, nor, when {@code skipStreams}, for an event stream, whose headers are then the answer.
     */
    static byte[] readBody(InputStream in, Socket socket, Head head, boolean headRequest, boolean skipStreams,
                           long deadline) throws IOException {
        int status = head.status();
        if (headRequest || status / 100 == 1 || status == 204 || status == 304) {
            return new byte[0];
        }
        if (skipStreams && head.header("content-type").orElse("").startsWith("text/event-stream")) {
            return new byte[0];
        }
        Optional<String> length = head.header("content-length");
        if (length.isPresent()) {
            long declared = Long.parseLong(length.get());
            return declared > MAX_BODY ? new byte[0] : readExactly(in, socket, (int) declared, deadline);
        }
        if (head.header("transfer-encoding").filter(coding -> coding.equalsIgnoreCase("chunked")).isPresent()) {
            return readChunks(in, socket, deadline);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        while (body.size() < MAX_BODY) {
            remaining(deadline, socket);
            int n = in.read(buffer);
            if (n < 0) {
                break;
            }
            body.write(buffer, 0, n);
        }
        return body.toByteArray();
    }

    private static byte[] readExactly(InputStream in, Socket socket, int length, long deadline) throws IOException {
        byte[] body = new byte[length];
        int read = 0;
        while (read < length) {
            remaining(deadline, socket);
            int n = in.read(body, read, length - read);
            if (n < 0) {
                throw new IOException("the body ended after " + read + " of " + length + " bytes");
            }
            read += n;
        }
        return body;
    }

    private static byte[] readChunks(InputStream in, Socket socket, long deadline) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (body.size() < MAX_BODY) {
            String sizeLine = readLine(in, socket, deadline);
            int semicolon = sizeLine.indexOf(';');
            int size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).strip(), 16);
            if (size == 0) {
                for (String trailer = readLine(in, socket, deadline); !trailer.isEmpty(); trailer = readLine(in, socket, deadline)) {
                    // trailers are not looked at
                }
                break;
            }
            body.writeBytes(readExactly(in, socket, size, deadline));
            readLine(in, socket, deadline);
        }
        return body.toByteArray();
    }

    private static String readLine(InputStream in, Socket socket, long deadline) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (line.size() < 1024) {
            remaining(deadline, socket);
            int b = in.read();
            if (b < 0) {
                throw new IOException("the body ended inside a chunk line");
            }
            if (b == '\n') {
                break;
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    /** Shortens the socket's read timeout to what is left before the deadline, and fails once it has passed. */
    private static void remaining(long deadline, Socket socket) throws IOException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new SocketTimeoutException("no answer in time");
        }
        socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
    }
}
