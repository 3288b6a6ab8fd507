package dev.agentchat.bootstrap;

import dev.agentchat.adapter.http.ApiDocument;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One request written byte for byte to a fresh loopback connection, and what came back, read by
 * {@link HttpAnswers} within a deadline. An event stream's body is not read: its headers are the answer.
 * A refusal's body is held against the OpenAPI document's Problem schema.
 */
final class RawHttpExchange {

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
            String before = writeTrouble == null ? "" : writeTrouble + "; then ";
            InputStream in = socket.getInputStream();
            HttpAnswers.Head answer;
            try {
                answer = HttpAnswers.readHead(in, socket, started + within.toNanos());
            } catch (IOException e) {
                return new Answer(-1, Map.of(), new byte[0], elapsed(started), before + describe(e));
            }
            long millis = elapsed(started);
            if (answer == null) {
                return new Answer(-1, Map.of(), new byte[0], millis, before + "the connection ended before a status line");
            }
            Map<String, String> headers = new LinkedHashMap<>();
            answer.headers().forEach((name, values) -> headers.put(name, values.getLast()));
            try {
                byte[] body = HttpAnswers.readBody(in, socket, answer, head, true, started + 2 * within.toNanos());
                ApiDocument.get().checkRawAnswer(new String(request, StandardCharsets.ISO_8859_1), answer.status(),
                        headers.get("content-type"), new String(body, StandardCharsets.UTF_8));
                return new Answer(answer.status(), headers, body, millis, null);
            } catch (IOException | RuntimeException e) {
                return new Answer(answer.status(), headers, new byte[0], millis, "the body could not be read: " + e);
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

    private static long elapsed(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }

    private static String describe(IOException e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
