package dev.agentchat.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One HTTP/1.1 request over a plain socket whose answer is read as Server-Sent Events: the
 * client the harness runs thousands of, one virtual thread each, so it is small and allocates little.
 * It reads a chunked body (the model server's) or a body that runs to the connection's close (the
 * service's SSE).
 */
final class SseConnection implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final int status;
    private final boolean chunked;
    private long chunkLeft;
    private boolean ended;

    private SseConnection(Socket socket, InputStream in, int status, boolean chunked) {
        this.socket = socket;
        this.in = in;
        this.status = status;
        this.chunked = chunked;
    }

    static SseConnection post(int port, String path, String json) throws IOException {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 30_000);
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        OutputStream out = socket.getOutputStream();
        out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Accept: text/event-stream\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        InputStream in = new BufferedInputStream(socket.getInputStream(), 8_192);
        String statusLine = readLine(in);
        if (statusLine == null) {
            socket.close();
            throw new IOException("no answer");
        }
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        boolean chunked = false;
        for (String header = readLine(in); header != null && !header.isEmpty(); header = readLine(in)) {
            String lower = header.toLowerCase(Locale.ROOT);
            if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            }
        }
        return new SseConnection(socket, in, status, chunked);
    }

    int status() {
        return status;
    }

    /** The data of the next event (its data lines joined), or null at the end of the stream. */
    String nextData() throws IOException {
        StringBuilder data = null;
        while (true) {
            String line = bodyLine();
            if (line == null) {
                return data == null ? null : data.toString();
            }
            if (line.isEmpty()) {
                if (data != null) {
                    return data.toString();
                }
                continue;
            }
            if (line.startsWith("data:")) {
                String value = line.charAt(5) == ' ' ? line.substring(6) : line.substring(5);
                if (data == null) {
                    data = new StringBuilder(value);
                } else {
                    data.append('\n').append(value);
                }
            }
        }
    }

    private String bodyLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        while (true) {
            int b = bodyByte();
            if (b < 0) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
            }
            if (b == '\n') {
                return line.toString(StandardCharsets.UTF_8);
            }
            if (b != '\r') {
                line.write(b);
            }
        }
    }

    private int bodyByte() throws IOException {
        if (ended) {
            return -1;
        }
        if (!chunked) {
            return in.read();
        }
        if (chunkLeft == 0) {
            String size = readLine(in);
            if (size != null && size.isEmpty()) {
                size = readLine(in);   // the CRLF that ends the chunk before
            }
            if (size == null) {
                ended = true;
                return -1;
            }
            int semicolon = size.indexOf(';');
            chunkLeft = Long.parseLong(semicolon < 0 ? size.strip() : size.substring(0, semicolon).strip(), 16);
            if (chunkLeft == 0) {
                ended = true;
                return -1;
            }
        }
        chunkLeft--;
        return in.read();
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b >= 0; b = in.read()) {
            if (b == '\n') {
                return line.toString();
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.isEmpty() ? null : line.toString();
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

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing is all that was wanted
        }
    }
}
