package dev.agentchat.bootstrap;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One request written byte for byte to a fresh loopback connection, and what came back: enough of
 * HTTP/1.1 to read a status line, headers and a body by Content-Length, chunks or the connection's
 * end, each within a deadline. An event stream's body is not read: its headers are the answer.
 */
final class RawHttpExchange {
    private static final int MAX_HEAD = 64 * 1024;
    private static final int MAX_BODY = 1024 * 1024;

    private RawHttpExchange() {
    }

    /**
     * What came back.
     *
     * @param status      the status code, or -1 when no status line arrived in time
     * @param headers     the response headers, names in lower case (the last of repeated ones)
     * @param body        the body read, empty when none was read
     * @param millis      how long the status line took, from the first byte sent
     * @param trouble     what went wrong on the connection, or null
     */
    record Answer(int status, Map<String, String> headers, byte[] body, long millis, String trouble) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        boolean answered() {
            return status > 0;
        }
    }

    /** Sends {@code request} and reads the answer; {@code head} says the request was HEAD, whose answer has no body. */
    static Answer exchange(int port, byte[] request, boolean head, Duration within) {
        long started = System.nanoTime();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), (int) within.toMillis());
            socket.setSoTimeout((int) within.toMillis());
            String writeTrouble = write(socket, request);
            InputStream in = socket.getInputStream();
            long deadline = started + within.toNanos();
            byte[] headBytes;
            try {
                headBytes = readHead(in, deadline, socket);
            } catch (IOException e) {
                return new Answer(-1, Map.of(), new byte[0], elapsed(started),
                        (writeTrouble == null ? "" : writeTrouble + "; then ") + describe(e));
            }
            long millis = elapsed(started);
            if (headBytes == null) {
                return new Answer(-1, Map.of(), new byte[0], millis,
                        (writeTrouble == null ? "" : writeTrouble + "; then ") + "the connection ended before a status line");
            }
            String headText = new String(headBytes, StandardCharsets.ISO_8859_1);
            String[] lines = headText.split("\r\n");
            String[] statusLine = lines[0].split(" ", 3);
            int status = statusLine.length > 1 && statusLine[1].matches("\\d{3}") ? Integer.parseInt(statusLine[1]) : -1;
            if (status < 0) {
                return new Answer(-1, Map.of(), new byte[0], millis, "not a status line: " + lines[0]);
            }
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
                }
            }
            try {
                byte[] body = readBody(in, status, headers, head, started + 2 * within.toNanos(), socket);
                return new Answer(status, headers, body, millis, null);
            } catch (IOException e) {
                return new Answer(status, headers, new byte[0], millis, "the body could not be read: " + describe(e));
            }
        } catch (IOException e) {
            return new Answer(-1, Map.of(), new byte[0], elapsed(started), describe(e));
        }
    }

    /** Writes the request; a server that refuses early may close while a large body is still being written. */
    private static String write(Socket socket, byte[] request) {
        try {
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            return null;
        } catch (IOException e) {
            return "writing stopped: " + describe(e);
        }
    }

    /** The bytes up to the blank line that ends the headers, or null when the connection ends first. */
    private static byte[] readHead(InputStream in, long deadline, Socket socket) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (head.size() < MAX_HEAD) {
            remaining(deadline, socket);
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
            if (matched == end.length) {
                return head.toByteArray();
            }
        }
        throw new IOException("headers longer than " + MAX_HEAD + " bytes");
    }

    private static byte[] readBody(InputStream in, int status, Map<String, String> headers, boolean head, long deadline,
                                   Socket socket) throws IOException {
        if (head || status / 100 == 1 || status == 204 || status == 304) {
            return new byte[0];
        }
        String type = headers.getOrDefault("content-type", "");
        if (type.startsWith("text/event-stream")) {
            return new byte[0];
        }
        if (headers.containsKey("content-length")) {
            long length = Long.parseLong(headers.get("content-length"));
            if (length > MAX_BODY) {
                return new byte[0];
            }
            return readExactly(in, (int) length, deadline, socket);
        }
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            return readChunks(in, deadline, socket);
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

    private static byte[] readExactly(InputStream in, int length, long deadline, Socket socket) throws IOException {
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

    private static byte[] readChunks(InputStream in, long deadline, Socket socket) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (body.size() < MAX_BODY) {
            String sizeLine = readLine(in, deadline, socket);
            int semicolon = sizeLine.indexOf(';');
            int size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).strip(), 16);
            if (size == 0) {
                readLine(in, deadline, socket);
                break;
            }
            body.writeBytes(readExactly(in, size, deadline, socket));
            readLine(in, deadline, socket);
        }
        return body.toByteArray();
    }

    private static String readLine(InputStream in, long deadline, Socket socket) throws IOException {
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

    private static long elapsed(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }

    private static String describe(IOException e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
