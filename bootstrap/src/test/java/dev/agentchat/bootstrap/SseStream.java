package dev.agentchat.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentchat.adapter.http.ApiDocument;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Server-Sent Events reader over a real HTTP response, written to the SSE parsing rules: lines
 * up to a blank line make an event; a {@code data:} line's value loses one leading space. A reader
 * thread queues the events so that a test can wait for each with a timeout. The answer, and each
 * event's data, is held against the OpenAPI document ({@link ApiDocument}); an event that does not
 * match fails the test at its next read, or when the stream is closed.
 */
final class SseStream implements AutoCloseable {
    private static final Frame END = new Frame(List.of(), null);

    final HttpResponse<InputStream> response;
    private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    private final InputStream body;
    private final Thread reader;
    private volatile AssertionError mismatch;
    private volatile boolean mismatchReported;

    /** One event: its raw lines and its data parsed as JSON. */
    record Frame(List<String> lines, JsonNode data) {
        String type() {
            return data.path("type").asText();
        }

        /** The frame's {@code id}, or null when it has none (heartbeats). */
        String id() {
            return lines.stream().filter(line -> line.startsWith("id:")).map(line -> line.substring(3).strip())
                    .reduce((first, second) -> second).orElse(null);
        }
    }

    SseStream(HttpResponse<InputStream> response) {
        this.response = response;
        this.body = checkedBody(response);
        this.reader = Thread.ofVirtual().name("sse-test-reader").start(this::read);
    }

    /** A stream's headers are checked now, its events as they come; any other answer is read and checked whole. */
    private static InputStream checkedBody(HttpResponse<InputStream> response) {
        String contentType = response.headers().firstValue("Content-Type").orElse(null);
        if (contentType != null && contentType.startsWith("text/event-stream")) {
            ApiDocument.get().checkAnswer(response.request().method(), response.request().uri().getRawPath(),
                    response.statusCode(), contentType, "");
            return response.body();
        }
        try (InputStream in = response.body()) {
            byte[] bytes = in.readAllBytes();
            ApiDocument.get().checkAnswer(response.request().method(), response.request().uri().getRawPath(),
                    response.statusCode(), contentType, new String(bytes, StandardCharsets.UTF_8));
            return new ByteArrayInputStream(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void check(String data) {
        try {
            ApiDocument.get().checkEvent(response.request().method(), response.request().uri().getRawPath(), data);
        } catch (AssertionError e) {
            if (mismatch == null) {
                mismatch = e;
            }
        }
    }

    private void failOnMismatch() {
        AssertionError found = mismatch;
        if (found != null && !mismatchReported) {
            mismatchReported = true;
            throw found;
        }
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            List<String> raw = new ArrayList<>();
            StringBuilder data = new StringBuilder();
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.isEmpty()) {
                    if (!raw.isEmpty()) {
                        check(data.toString());
                        frames.add(new Frame(List.copyOf(raw), ServiceUnderTest.parse(data.toString())));
                    }
                    raw.clear();
                    data.setLength(0);
                    continue;
                }
                raw.add(line);
                if (line.startsWith("data:")) {
                    String value = line.substring(5);
                    if (value.startsWith(" ")) {
                        value = value.substring(1);
                    }
                    if (!data.isEmpty()) {
                        data.append('\n');
                    }
                    data.append(value);
                }
            }
        } catch (IOException e) {
            // the stream was closed by the test or cut by the server: either way it has ended
        } finally {
            frames.add(END);
        }
    }

    /** The next frame, or null once the stream has ended; fails the test after {@code timeout}. */
    Frame next(Duration timeout) {
        try {
            Frame frame = frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            failOnMismatch();
            assertThat(frame).as("an SSE frame within " + timeout).isNotNull();
            if (frame == END) {
                frames.add(END);
                return null;
            }
            return frame;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The next {@code count} frames but heartbeats; fails the test if one is more than five seconds coming. */
    List<Frame> nextEvents(int count) {
        List<Frame> events = new ArrayList<>();
        while (events.size() < count) {
            Frame frame = next(Duration.ofSeconds(5));
            assertThat(frame).as("event " + (events.size() + 1) + " of " + count).isNotNull();
            if (!frame.type().equals("heartbeat")) {
                events.add(frame);
            }
        }
        return events;
    }

    /** Every frame until the server ends the stream. */
    Frames readToEnd() {
        List<Frame> all = new ArrayList<>();
        for (Frame frame = next(Duration.ofSeconds(20)); frame != null; frame = next(Duration.ofSeconds(20))) {
            all.add(frame);
        }
        return new Frames(all);
    }

    String header(String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    /** Hangs up, as a client that goes away does. */
    @Override
    public void close() {
        try {
            response.body().close();
        } catch (IOException e) {
            // closing is all we wanted
        }
        reader.interrupt();
        failOnMismatch();
    }

    /** A whole stream's frames. */
    record Frames(List<Frame> all) {
        /** The frames but heartbeats, which come whenever the stream is quiet for a moment. */
        List<Frame> events() {
            return all.stream().filter(frame -> !frame.type().equals("heartbeat")).toList();
        }

        /** The types of the frames but heartbeats. */
        List<String> types() {
            return events().stream().map(Frame::type).toList();
        }

        /** The types of every frame, heartbeats included. */
        List<String> typesWithHeartbeats() {
            return all.stream().map(Frame::type).toList();
        }

        /** The ids of the frames but heartbeats, as numbers. */
        List<Long> ids() {
            return events().stream().map(frame -> Long.parseLong(frame.id())).toList();
        }

        String tokens() {
            StringBuilder text = new StringBuilder();
            all.stream().filter(frame -> frame.type().equals("token"))
                    .forEach(frame -> text.append(frame.data().get("content").asText()));
            return text.toString();
        }

        /** The last frame, which must be of this type. */
        JsonNode last(String type) {
            assertThat(all).as("frames").isNotEmpty();
            Frame last = all.getLast();
            assertThat(last.type()).as("type of the last frame of " + types()).isEqualTo(type);
            return last.data();
        }
    }
}
