package dev.agentchat.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fast local model server speaking the OpenAI chat completions wire format (streamed chunks, a
 * finish chunk, a usage chunk, {@code [DONE]}) over HTTP/1.1 with keep-alive, a virtual thread per
 * connection. Each token's text is the {@link System#nanoTime} at which it was written, so that a
 * client on this machine can tell how long the token took to reach it: the monotonic clock is shared
 * by every process of one machine.
 *
 * <p>Written on a plain server socket rather than the JDK's HTTP server: that one's cost per streamed
 * chunk was itself a large part of what the harness measured at a thousand streams.
 */
final class ModelServer implements AutoCloseable {
    /**
     * How answers are made: how many tokens, and the pause before each; a model that {@code hangs} sends
     * its tokens and then nothing, until the service gives up the connection. Each token's text is its
     * {@link System#nanoTime}, or with {@code text} the next piece of that text, round and round.
     */
    record Script(int tokens, long gapMillis, boolean hangs, List<String> text) {
        Script(int tokens, long gapMillis) {
            this(tokens, gapMillis, false);
        }

        Script(int tokens, long gapMillis, boolean hangs) {
            this(tokens, gapMillis, hangs, List.of());
        }

        Script {
            text = List.copyOf(text);
        }

        String token(int index) {
            return text.isEmpty() ? System.nanoTime() + " " : text.get(index % text.size());
        }
    }

    private final ServerSocket server;
    private final Thread acceptor;
    private volatile Script script = new Script(20, 0);
    private final AtomicLong streams = new AtomicLong();
    private final AtomicLong hangsEnded = new AtomicLong();
    /** While recording, the moment ({@link System#nanoTime}) each request had arrived whole; null otherwise. */
    private volatile Queue<Long> arrivals;

    private ModelServer(ServerSocket server) {
        this.server = server;
        this.acceptor = Thread.ofVirtual().name("model-server").start(this::accept);
    }

    static ModelServer start() throws IOException {
        return new ModelServer(new ServerSocket(0, 4_096, InetAddress.getLoopbackAddress()));
    }

    void script(Script next) {
        this.script = next;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port() + "/v1";
    }

    int port() {
        return server.getLocalPort();
    }

    long streamsServed() {
        return streams.get();
    }

    /** Starts noting when each request arrives: a burst of turns shows when each one's model request came. */
    void recordArrivals() {
        arrivals = new ConcurrentLinkedQueue<>();
    }

    /** The arrivals noted since {@link #recordArrivals}, in nanoseconds, in order; recording stops. */
    List<Long> arrivalsRecorded() {
        Queue<Long> recorded = arrivals;
        arrivals = null;
        return recorded == null ? List.of() : recorded.stream().sorted().toList();
    }

    /** How many hanging answers the service gave up (closed their connection). */
    long hangsEnded() {
        return hangsEnded.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket connection = server.accept();
                connection.setTcpNoDelay(true);
                Thread.ofVirtual().start(() -> serve(connection));
            } catch (IOException e) {
                return;   // closed
            }
        }
    }

    /** Answers the requests of one connection, one after another, until the client closes it. */
    private void serve(Socket connection) {
        try (connection; InputStream in = new BufferedInputStream(connection.getInputStream(), 16 * 1024); OutputStream out = connection.getOutputStream()) {
            byte[] buffer = new byte[16 * 1024];
            while (readRequest(in, buffer)) {
                Queue<Long> recording = arrivals;
                if (recording != null) {
                    recording.add(System.nanoTime());
                }
                answer(in, out, script);
            }
        } catch (IOException e) {
            // the client hung up
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Reads one request's head and body, from a buffered stream (read a byte at a time from the socket, the
     * head cost a system call a byte); false at the end of the connection.
     */
    private static boolean readRequest(InputStream in, byte[] buffer) throws IOException {
        StringBuilder head = new StringBuilder();
        int last4 = 0;
        while (last4 != 0x0d0a0d0a) {   // the head ends with an empty line: CR LF CR LF
            int b = in.read();
            if (b < 0) {
                return false;
            }
            head.append((char) b);
            last4 = (last4 << 8) | b;
        }
        long length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Long.parseLong(line.substring(15).strip());
            }
        }
        while (length > 0) {
            int read = in.read(buffer, 0, (int) Math.min(buffer.length, length));
            if (read < 0) {
                return false;
            }
            length -= read;
        }
        return true;
    }

    private void answer(InputStream in, OutputStream out, Script current) throws IOException, InterruptedException {
        streams.incrementAndGet();
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        send(out, chunk("{\"role\":\"assistant\",\"content\":\"\"}", null));
        long started = System.nanoTime();
        for (int i = 0; i < current.tokens(); i++) {
            // Each token is due at its own time from the start, so that a late wake-up does not delay the rest.
            long wait = started + (i + 1) * current.gapMillis() * 1_000_000 - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            send(out, chunk("{\"content\":\"" + jsonEscaped(current.token(i)) + "\"}", null));
        }
        if (current.hangs()) {
            // Nothing more comes: the read returns when the service closes the connection (or resets it).
            try {
                while (in.read() >= 0) {
                    // a client sends nothing more while its answer streams
                }
            } finally {
                hangsEnded.incrementAndGet();
            }
            throw new IOException("the service gave up a hanging answer");
        }
        send(out, chunk("{}", "stop"));
        send(out, "{\"id\":\"bench\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"bench\",\"choices\":[],"
                + "\"usage\":{\"prompt_tokens\":20,\"completion_tokens\":" + current.tokens() + ",\"total_tokens\":"
                + (20 + current.tokens()) + "}}");
        send(out, "[DONE]");
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static String jsonEscaped(String text) {
        StringBuilder escaped = new StringBuilder(text.length() + 8);
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> escaped.append("\\\"");
                case '\\' -> escaped.append("\\\\");
                case '\n' -> escaped.append("\\n");
                default -> {
                    if (c < 0x20) {
                        escaped.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        escaped.append(c);
                    }
                }
            }
        }
        return escaped.toString();
    }

    private static String chunk(String delta, String finish) {
        return "{\"id\":\"bench\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"bench\",\"choices\":[{\"index\":0,"
                + "\"delta\":" + delta + ",\"finish_reason\":" + (finish == null ? "null" : "\"" + finish + "\"") + "}]}";
    }

    /** One SSE event as one HTTP chunk, written at once. */
    private static void send(OutputStream out, String data) throws IOException {
        byte[] event = ("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
        byte[] size = (Integer.toHexString(event.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] frame = new byte[size.length + event.length + 2];
        System.arraycopy(size, 0, frame, 0, size.length);
        System.arraycopy(event, 0, frame, size.length, event.length);
        frame[frame.length - 2] = '\r';
        frame[frame.length - 1] = '\n';
        out.write(frame);
        out.flush();
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // closing is all that was wanted
        }
        acceptor.interrupt();
    }
}
