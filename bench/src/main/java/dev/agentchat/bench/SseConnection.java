package dev.agentchat.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * An HTTP/1.1 connection over a plain socket whose answers are read as Server-Sent Events: the client
 * the harness runs thousands of, one virtual thread each, so it is small, lock-free and allocates
 * little. It reads a chunked body, a body of a given length, or a body that runs to the connection's
 * close. A connection whose answer was read to its end, and that the server did not say it would
 * close, can carry the next request ({@link #reusable}).
 */
final class SseConnection implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final byte[] buffer = new byte[8_192];
    private int position;
    private int limit;
    private int status;
    private boolean chunked;
    private long chunkLeft;
    private boolean ended;
    private long lengthLeft;
    private boolean closeAfter;
    private int requests;
    private byte[] line = new byte[512];
    private String runId;
    private String threadId;

    private SseConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
    }

    /** The API key the bench's clients send ({@code -Dbench.apiKey}), if the service is measured with authentication on. */
    static Optional<String> apiKey() {
        return Optional.ofNullable(System.getProperty("bench.apiKey")).filter(key -> !key.isBlank());
    }

    static SseConnection post(int port, String path, String json) throws IOException {
        SseConnection connection = open(port);
        connection.request(path, json);
        return connection;
    }

    /** A new connection that has carried no request yet. */
    static SseConnection open(int port) throws IOException {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 30_000);
        return new SseConnection(socket);
    }

    /** A new connection that asks for the event stream at {@code path} (a run followed) and has read the head of its answer. */
    static SseConnection get(int port, String path) throws IOException {
        SseConnection connection = open(port);
        OutputStream out = connection.socket.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
                + apiKey().map(key -> "Authorization: Bearer " + key + "\r\n").orElse("") + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        connection.answerExpected();
        return connection;
    }

    /** Sends a request on this connection and reads the head of its answer. */
    void request(String path, String json) throws IOException {
        if (!reusable()) {
            throw new IllegalStateException("the answer before was not read to its end, or the server closes the connection");
        }
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        OutputStream out = socket.getOutputStream();
        out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Accept: text/event-stream\r\n" + apiKey().map(key -> "Authorization: Bearer " + key + "\r\n").orElse("")
                + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        answerExpected();
    }

    /** A request went out: its answer's head is read, and its body is read from the start. */
    private void answerExpected() throws IOException {
        requests++;
        status = 0;
        chunked = false;
        chunkLeft = 0;
        ended = false;
        lengthLeft = -1;
        runId = null;
        threadId = null;
        readHead();
    }

    /** How many requests this connection has carried. */
    int requests() {
        return requests;
    }

    /**
     * Whether the next request may go over this connection: none went yet, or the answer before was read
     * to the end the server gave it (its last chunk, or its length) and the server did not say
     * {@code Connection: close}.
     */
    boolean reusable() {
        return !socket.isClosed() && (requests == 0 || (ended && !closeAfter));
    }

    /**
     * Reads the rest of the answer, so that the connection can carry the next request if the server keeps
     * it. A body that has not ended {@code seconds} after the last event read is given up with its
     * connection: the turn had already ended, only the connection is not kept.
     */
    void drain(int seconds) throws IOException {
        socket.setSoTimeout(seconds * 1_000);
        try {
            while (nextData() != null) {
                // events after the end of the turn, if any, are of no interest
            }
        } catch (SocketTimeoutException e) {
            close();
        } finally {
            if (!socket.isClosed()) {
                socket.setSoTimeout(0);
            }
        }
    }

    private void readHead() throws IOException {
        String statusLine = rawLine();
        if (statusLine == null) {
            throw new IOException("no answer");
        }
        String[] parts = statusLine.split(" ");
        status = Integer.parseInt(parts[1]);
        closeAfter = !parts[0].equals("HTTP/1.1");
        for (String header = rawLine(); header != null && !header.isEmpty(); header = rawLine()) {
            String lower = header.toLowerCase(Locale.ROOT);
            if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            } else if (lower.startsWith("content-length:")) {
                lengthLeft = Long.parseLong(lower.substring(15).strip());
            } else if (lower.startsWith("connection:") && lower.contains("close")) {
                closeAfter = true;
            } else if (lower.startsWith("x-run-id:")) {
                runId = header.substring(9).strip();
            } else if (lower.startsWith("x-thread-id:")) {
                threadId = header.substring(12).strip();
            }
        }
    }

    int status() {
        return status;
    }

    /** The run the service's stream follows ({@code X-Run-Id}), or null. */
    String runId() {
        return runId;
    }

    /** The thread of that run ({@code X-Thread-Id}), or null. */
    String threadId() {
        return threadId;
    }

    /** The data of the next event (its data lines joined), or null at the end of the stream. */
    String nextData() throws IOException {
        StringBuilder data = null;
        while (true) {
            String text = bodyLine();
            if (text == null) {
                return data == null ? null : data.toString();
            }
            if (text.isEmpty()) {
                if (data != null) {
                    return data.toString();
                }
                continue;
            }
            if (text.startsWith("data:")) {
                String value = text.length() > 5 && text.charAt(5) == ' ' ? text.substring(6) : text.substring(5);
                if (data == null) {
                    data = new StringBuilder(value);
                } else {
                    data.append('\n').append(value);
                }
            }
        }
    }

    /** One line of the body, without its line end; null at the end of the body. */
    private String bodyLine() throws IOException {
        int length = 0;
        while (true) {
            int b = bodyByte();
            if (b < 0) {
                return length == 0 ? null : new String(line, 0, length, StandardCharsets.UTF_8);
            }
            if (b == '\n') {
                return new String(line, 0, length, StandardCharsets.UTF_8);
            }
            if (b != '\r') {
                if (length == line.length) {
                    line = java.util.Arrays.copyOf(line, length * 2);
                }
                line[length++] = (byte) b;
            }
        }
    }

    private int bodyByte() throws IOException {
        if (ended) {
            return -1;
        }
        if (!chunked) {
            if (lengthLeft == 0) {
                ended = true;
                return -1;
            }
            if (lengthLeft > 0) {
                lengthLeft--;
            }
            // Without a length the body runs to the connection's close: that end is not one a next request can follow.
            return read();
        }
        if (chunkLeft == 0) {
            String size = rawLine();
            if (size != null && size.isEmpty()) {
                size = rawLine();   // the line end that closes the chunk before
            }
            if (size == null) {
                ended = true;
                closeAfter = true;   // closed before its last chunk
                return -1;
            }
            int semicolon = size.indexOf(';');
            chunkLeft = Long.parseLong(semicolon < 0 ? size.strip() : size.substring(0, semicolon).strip(), 16);
            if (chunkLeft == 0) {
                // The last chunk is followed by trailers, if any, and an empty line: read them, so that the
                // next answer on this connection starts at its status line.
                for (String trailer = rawLine(); trailer != null && !trailer.isEmpty(); trailer = rawLine()) {
                    // no trailer is of interest
                }
                ended = true;
                return -1;
            }
        }
        chunkLeft--;
        return read();
    }

    /** A line of the head or a chunk size, in ASCII. */
    private String rawLine() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int b = read(); b >= 0; b = read()) {
            if (b == '\n') {
                return text.toString();
            }
            if (b != '\r') {
                text.append((char) b);
            }
        }
        return text.isEmpty() ? null : text.toString();
    }

    private int read() throws IOException {
        if (position == limit) {
            limit = in.read(buffer, 0, buffer.length);
            position = 0;
            if (limit <= 0) {
                limit = 0;
                return -1;
            }
        }
        return buffer[position++] & 0xff;
    }

    /** The text of a JSON string member, found without parsing (the harness knows its frames). */
    static String member(String json, String name) {
        String key = "\"" + name + "\":\"";
        int start = json.indexOf(key);
        if (start < 0) {
            return null;
        }
        start += key.length();
        int end = json.indexOf('"', start);
        return end < 0 ? null : json.substring(start, end);
    }

    /** Drops the connection with a reset (no linger), as a client whose process died. */
    void reset() {
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException e) {
            // closed already: nothing to reset
        }
        close();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing is all that was wanted
        }
    }
}
