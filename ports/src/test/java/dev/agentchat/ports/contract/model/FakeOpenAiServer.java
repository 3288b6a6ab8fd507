package dev.agentchat.ports.contract.model;

import static org.awaitility.Awaitility.await;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A model service on 127.0.0.1 that speaks the Azure OpenAI wire format over raw sockets, so that a
 * test sees what a real one would do: chunked {@code text/event-stream} answers written frame by
 * frame, keep-alive comments, connections cut midway, and a client that closes its connection.
 * Tests queue one {@link Reply} per expected request and read back the {@link Recorded} requests.
 */
public final class FakeOpenAiServer implements AutoCloseable {
    /** The longest a scripted step waits for the test: an upper bound only, latches end it sooner. */
    private static final long STEP_LIMIT_SECONDS = 60;

    public static final String TEST_KEY = "test-key-0123456789";
    /** The deployment (Azure) or model a test's model asks for unless it says otherwise. */
    public static final String DEPLOYMENT = "gpt-4o-mini";
    public static final String API_VERSION = "2024-10-21";

    private final ServerSocket listener;
    private final BlockingQueue<Reply> replies = new LinkedBlockingQueue<>();
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private final CountDownLatch stopping = new CountDownLatch(1);

    private FakeOpenAiServer(ServerSocket listener) {
        this.listener = listener;
    }

    /** A loopback port that was free a moment ago and has no listener now: a model service that refuses connections. */
    public static int unusedPort() {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static FakeOpenAiServer start() {
        try {
            ServerSocket listener = new ServerSocket();
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            FakeOpenAiServer server = new FakeOpenAiServer(listener);
            Thread.ofVirtual().name("fake-openai-accept").start(server::acceptAll);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("the fake model service could not listen on 127.0.0.1", e);
        }
    }

    /** The base address, e.g. {@code http://127.0.0.1:41234}. */
    public String endpoint() {
        return "http://127.0.0.1:" + listener.getLocalPort();
    }

    /** Queues the reply to the next request that arrives. */
    public FakeOpenAiServer enqueue(Reply reply) {
        replies.add(reply);
        return this;
    }

    /** Waits (within a generous bound) until {@code count} requests have arrived. */
    public void awaitRequests(int count) {
        await().atMost(STEP_LIMIT_SECONDS, TimeUnit.SECONDS).pollInterval(java.time.Duration.ofMillis(5))
                .alias("the fake model service got " + count + " requests").until(() -> requests.size() >= count);
    }

    /** The requests received so far, in order of arrival. */
    public List<Recorded> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        stopping.countDown();
        closeQuietly(listener);
        connections.forEach(FakeOpenAiServer::closeQuietly);
    }

    private void acceptAll() {
        while (!listener.isClosed()) {
            try {
                Socket connection = listener.accept();
                connections.add(connection);
                Thread.ofVirtual().name("fake-openai-connection").start(() -> serve(connection));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket connection) {
        try (connection) {
            InputStream in = new BufferedInputStream(connection.getInputStream());
            Recorded request = readRequest(in);
            if (request == null) {
                return;
            }
            requests.add(request);
            Reply reply = replies.poll();
            if (reply == null) {
                reply = Reply.error(400, "{\"error\":{\"code\":\"no_reply\",\"message\":\"the test queued no reply for this request\"}}");
            }
            reply.writeTo(connection, in, stopping);
        } catch (IOException e) {
            // the client went away: nothing left to answer
        } finally {
            connections.remove(connection);
        }
    }

    private static Recorded readRequest(InputStream in) throws IOException {
        String requestLine = readLine(in);
        if (requestLine == null || requestLine.isEmpty()) {
            return null;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = readLine(in); line != null && !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
        }
        byte[] body;
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (int size = Integer.parseInt(readLine(in).strip(), 16); size > 0; size = Integer.parseInt(readLine(in).strip(), 16)) {
                all.write(in.readNBytes(size));
                readLine(in);
            }
            readLine(in);
            body = all.toByteArray();
        } else {
            body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
        }
        String[] parts = requestLine.split(" ");
        return new Recorded(parts[0], parts[1], headers, new String(body, StandardCharsets.UTF_8));
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // closing anyway
        }
    }

    /** A request as the server received it. */
    public record Recorded(String method, String target, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        /** The body, parsed: maps, lists, strings, numbers and booleans. */
        @SuppressWarnings("unchecked")
        public Map<String, Object> json() {
            return (Map<String, Object>) Json.parse(body);
        }
    }

    /** What the server answers to one request. */
    public sealed interface Reply {
        void writeTo(Socket connection, InputStream in, CountDownLatch stopping) throws IOException;

        /** A whole JSON answer with this status, e.g. an error. */
        static Fixed error(int status, String json) {
            return new Fixed(status, new LinkedHashMap<>(), json);
        }

        /** A streamed answer: a script of frames, comments, waits and cuts. */
        static Stream stream() {
            return new Stream(new ArrayList<>());
        }

        /** No answer at all, not even headers, until the client gives up or the server stops. */
        static Silent silent() {
            return new Silent();
        }
    }

    public record Silent() implements Reply {
        @Override
        public void writeTo(Socket connection, InputStream in, CountDownLatch stopping) throws IOException {
            // Reading blocks until the client closes the connection (-1) or the server stops (an error).
            while (in.read() >= 0 && stopping.getCount() > 0) {
                // the request body, and nothing else, may still come
            }
        }
    }

    public record Fixed(int status, Map<String, String> headers, String body) implements Reply {
        public Fixed header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        @Override
        public void writeTo(Socket connection, InputStream in, CountDownLatch stopping) throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            StringBuilder head = new StringBuilder("HTTP/1.1 " + status + " Status\r\n")
                    .append("Content-Type: application/json\r\n")
                    .append("Content-Length: ").append(bytes.length).append("\r\n")
                    .append("Connection: close\r\n");
            headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            OutputStream out = connection.getOutputStream();
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(bytes);
            out.flush();
        }
    }

    /** A {@code text/event-stream} answer, sent in HTTP chunks, one flush per step. */
    public record Stream(List<Step> steps) implements Reply {
        sealed interface Step {
        }

        record Send(String text) implements Step {
        }

        record Await(CountDownLatch latch) implements Step {
        }

        record Signal(CountDownLatch latch) implements Step {
        }

        record HoldUntilClientCloses(CountDownLatch closed) implements Step {
        }

        record Cut() implements Step {
        }

        /** Sends {@code data: JSON} and the blank line that ends the event. */
        public Stream data(String json) {
            steps.add(new Send("data: " + json + "\n\n"));
            return this;
        }

        /** Sends an SSE comment line, as proxies and Azure do on quiet streams. */
        public Stream comment(String text) {
            steps.add(new Send(": " + text + "\n\n"));
            return this;
        }

        /** Sends bytes as they are, e.g. half a frame. */
        public Stream raw(String text) {
            steps.add(new Send(text));
            return this;
        }

        public Stream done() {
            return data("[DONE]");
        }

        /** Sends nothing more until the test counts the latch down. */
        public Stream await(CountDownLatch latch) {
            steps.add(new Await(latch));
            return this;
        }

        /** Counts the latch down once everything before it is sent. */
        public Stream signal(CountDownLatch latch) {
            steps.add(new Signal(latch));
            return this;
        }

        /** Sends nothing more and waits for the client to close the connection, then counts {@code closed} down. */
        public Stream holdUntilClientCloses(CountDownLatch closed) {
            steps.add(new HoldUntilClientCloses(closed));
            return this;
        }

        /** Drops the connection here, without ending the chunked body: a cut mid-answer. */
        public Stream cut() {
            steps.add(new Cut());
            return this;
        }

        @Override
        public void writeTo(Socket connection, InputStream in, CountDownLatch stopping) throws IOException {
            OutputStream out = connection.getOutputStream();
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
                    + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            for (Step step : steps) {
                switch (step) {
                    case Send send -> {
                        byte[] bytes = send.text().getBytes(StandardCharsets.UTF_8);
                        out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                        out.write(bytes);
                        out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                        out.flush();
                    }
                    case Await await -> awaitOrStop(await.latch(), stopping);
                    case Signal signal -> signal.latch().countDown();
                    case HoldUntilClientCloses hold -> {
                        // The client sends nothing more on this connection: a read ends only when it closes.
                        connection.setSoTimeout((int) TimeUnit.SECONDS.toMillis(STEP_LIMIT_SECONDS));
                        if (in.read() < 0) {
                            hold.closed().countDown();
                        }
                        return;
                    }
                    case Cut cut -> {
                        connection.close();
                        return;
                    }
                }
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        private static void awaitOrStop(CountDownLatch latch, CountDownLatch stopping) throws IOException {
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STEP_LIMIT_SECONDS);
                while (!latch.await(50, TimeUnit.MILLISECONDS)) {
                    if (stopping.getCount() == 0 || System.nanoTime() > deadline) {
                        throw new IOException("the fake model service stopped waiting");
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
    }
}
