package dev.agentchat.bootstrap;

import static dev.agentchat.bootstrap.ServiceUnderTest.body;
import static dev.agentchat.bootstrap.ServiceUnderTest.parse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentchat.adapter.cosmos.CosmosTestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The service's process is killed (SIGKILL: no shutdown hook, no last flush of the event log) at a
 * moment of a run on Cosmos DB, and a new process is started on the same database. What a client then
 * finds through the API: the run ended with a reason and none of its steps unfinished, its thread free,
 * a follower that resumes after the last event it saw gets the run's end under an id it has not seen
 * (an id, once sent, never names another event), and a retry with the same {@code Idempotency-Key}
 * gets the same run, with neither a second message nor a second run.
 */
class CrashRecoveryTest {
    private static final String AGENT = "support-triage";
    private static final Path LOGS = Path.of("target", "crash-recovery");
    /** A live run is never older than this in the recovering process, so it takes the killed one for abandoned at once. */
    private static final Map<String, String> RECOVERING = Map.of("MAX_RUN_SECONDS", "1", "ABANDONED_RUN_GRACE_SECONDS", "1",
            "EVENT_FLUSH_MS", "100");
    private static final Duration RECOVERY_PATIENCE = Duration.ofSeconds(30);

    private final List<ServiceProcess> processes = new ArrayList<>();

    @BeforeAll
    static void startTheDatabase() {
        // Once for all the moments, so that their timings are their own.
        CosmosTestServer.endpoint();
    }

    @AfterEach
    void killTheProcesses() {
        processes.forEach(ServiceProcess::close);
    }

    @Test
    void a_run_killed_before_its_first_token_is_ended_by_the_next_process() {
        assertRecovered(crash(CrashMoment.BEFORE_FIRST_TOKEN));
    }

    @Test
    void a_run_killed_mid_stream_is_ended_by_the_next_process_under_an_id_its_client_has_not_seen() {
        assertRecovered(crash(CrashMoment.MID_STREAM));
    }

    @Test
    void a_run_killed_during_a_tool_call_is_ended_with_its_tool_step_by_the_next_process() {
        assertRecovered(crash(CrashMoment.DURING_TOOL_CALL));
    }

    /** What a client saw of a run before its process was killed, and what it finds from the next process. */
    private record Crash(CrashMoment moment, String threadId, String runId, List<SseStream.Frame> seen, JsonNode run,
                         JsonNode thread, SseStream.Frames replay, SseStream.Frames resumed, String retriedRunId,
                         SseStream.Frames retried, JsonNode threadAfterRetry, Duration took) {

        Optional<Long> lastSeenId() {
            return lastId(seen);
        }

        /** What the client saw, by id. */
        Map<Long, JsonNode> seenById() {
            Map<Long, JsonNode> byId = new LinkedHashMap<>();
            seen.stream().filter(frame -> frame.id() != null).forEach(frame -> byId.put(Long.parseLong(frame.id()), frame.data()));
            return byId;
        }
    }

    /** Runs a chat to the moment, kills the process, and reads what a client finds from a process started after it. */
    private Crash crash(CrashMoment moment) {
        long began = System.nanoTime();
        String database = "agentchat-crash-" + UUID.randomUUID();
        Map<String, String> cosmos = Map.of(
                "COSMOS_ENDPOINT", CosmosTestServer.endpoint(),
                "COSMOS_KEY", CosmosTestServer.key(),
                "COSMOS_DATABASE_NAME", database);
        String request = body("message", "My database is gone, how do I restore it?");
        String key = "crash-" + UUID.randomUUID();

        // given a run at the moment, on a process that is then killed
        Map<String, String> running = new HashMap<>(cosmos);
        running.put("EVENT_FLUSH_MS", Long.toString(CrashMoment.EVENT_FLUSH.toMillis()));
        ServiceProcess first = started(ServiceProcess.start(running, Optional.of(moment), LOGS.resolve(moment + "-killed.log")));
        List<SseStream.Frame> seen = new ArrayList<>();
        String threadId;
        String runId;
        try (SseStream stream = first.chat(AGENT, request, "Idempotency-Key", key)) {
            assertThat(stream.response.statusCode()).as("the chat's status").isEqualTo(200);
            threadId = stream.header("X-Thread-Id");
            runId = stream.header("X-Run-Id");
            seen.addAll(readUntil(moment, stream));
            first.kill();
            // Whatever reached the client before the connection broke, it has seen.
            seen.addAll(stream.readToEnd().all());
        }

        // when a new process starts on the same database and ends what the killed one left
        Map<String, String> recovering = new HashMap<>(cosmos);
        recovering.putAll(RECOVERING);
        ServiceProcess next = started(ServiceProcess.start(recovering, Optional.empty(), LOGS.resolve(moment + "-next.log")));
        String runPath = "/api/agents/" + AGENT + "/threads/" + threadId + "/runs/" + runId;
        JsonNode run = awaitEnded(next, runPath);
        JsonNode thread = awaitFreed(next, "/api/agents/" + AGENT + "/threads/" + threadId);
        SseStream.Frames replay = readAll(next.events(AGENT, threadId, runId, null));
        SseStream.Frames resumed = readAll(next.events(AGENT, threadId, runId, lastId(seen).map(String::valueOf).orElse(null)));
        String retriedRunId;
        SseStream.Frames retried;
        try (SseStream retry = next.chat(AGENT, request, "Idempotency-Key", key)) {
            retriedRunId = retry.header("X-Run-Id");
            retried = retry.readToEnd();
        }
        JsonNode threadAfterRetry = parse(next.get("/api/agents/" + AGENT + "/threads/" + threadId).body());
        return new Crash(moment, threadId, runId, List.copyOf(seen), run, thread, replay, resumed, retriedRunId, retried,
                threadAfterRetry, Duration.ofNanos(System.nanoTime() - began));
    }

    /** The highest event id among {@code frames} (heartbeats have none). */
    private static Optional<Long> lastId(List<SseStream.Frame> frames) {
        return frames.stream().filter(frame -> frame.id() != null).map(frame -> Long.parseLong(frame.id())).reduce(Math::max);
    }

    private ServiceProcess started(ServiceProcess process) {
        processes.add(process);
        return process;
    }

    /** Reads the stream until the client has seen the moment come; the frames read. */
    private static List<SseStream.Frame> readUntil(CrashMoment moment, SseStream stream) {
        List<SseStream.Frame> read = new ArrayList<>();
        switch (moment) {
            case BEFORE_FIRST_TOKEN -> {
                // The headers came: the run is stored and the model is thinking.
            }
            case MID_STREAM -> {
                while (read.stream().filter(frame -> frame.type().equals("token")).count() < CrashMoment.TOKENS_SEEN) {
                    read.add(nextFrame(stream, "token " + (read.size() + 1)));
                }
            }
            case DURING_TOOL_CALL -> {
                while (read.isEmpty() || !read.getLast().type().equals("trace_start")) {
                    read.add(nextFrame(stream, "trace_start"));
                }
            }
        }
        return read;
    }

    private static SseStream.Frame nextFrame(SseStream stream, String expected) {
        SseStream.Frame frame = stream.next(Duration.ofSeconds(15));
        assertThat(frame).as("the stream ended before " + expected).isNotNull();
        return frame;
    }

    private static SseStream.Frames readAll(SseStream stream) {
        try (stream) {
            assertThat(stream.response.statusCode()).as("status of " + stream.response.request().uri()).isEqualTo(200);
            return stream.readToEnd();
        }
    }

    /** The run as the API shows it once it has ended, or as it is when the patience runs out. */
    private static JsonNode awaitEnded(ServiceProcess service, String runPath) {
        return Await.read(() -> parse(service.get(runPath).body()),
                run -> !List.of("queued", "in_progress", "cancelling").contains(run.path("status").asText()), RECOVERY_PATIENCE);
    }

    /**
     * The thread as the API shows it once it names no active run, or as it is when the patience runs
     * out: recovery frees it right after it ends the run, in a write of its own.
     */
    private static JsonNode awaitFreed(ServiceProcess service, String threadPath) {
        return Await.read(() -> parse(service.get(threadPath).body()), thread -> thread.path("active_run_id").isNull(),
                Duration.ofSeconds(5));
    }

    /** Checks every promise at once, so that a failure lists all that were broken; prints the moment's result first. */
    private static void assertRecovered(Crash crash) {
        System.out.println(resultLine(crash));
        SoftAssertions softly = new SoftAssertions();
        String moment = "killed " + crash.moment().description + ": ";

        // the run ended with a reason, and none of its steps is left unfinished
        softly.assertThat(crash.run().path("status").asText()).as(moment + "run status").isEqualTo("failed");
        softly.assertThat(crash.run().path("error").path("code").asText()).as(moment + "run error code").isEqualTo("run_abandoned");
        softly.assertThat(unfinishedSteps(crash.run())).as(moment + "steps of the run still unfinished").isEmpty();

        // the thread is free
        softly.assertThat(crash.thread().path("active_run_id").isNull() || crash.thread().path("active_run_id").isMissingNode())
                .as(moment + "thread is free, but its active_run_id is " + crash.thread().path("active_run_id")).isTrue();

        // the log ends with the run's end, and its ids name what the client was sent under them
        softly.assertThat(crash.replay().types()).as(moment + "the run's events replayed from the log").isNotEmpty()
                .endsWith("error");
        softly.assertThat(crash.replay().ids()).as(moment + "ids of the replayed events").isSorted().doesNotHaveDuplicates();
        Optional<Long> endId = endId(crash.replay());
        crash.lastSeenId().ifPresent(last -> endId.ifPresent(id -> softly.assertThat(id)
                .as(moment + "id of the run's end in the log, after the client saw ids up to " + last).isGreaterThan(last)));
        softly.assertThat(sameIdsOtherEvents(crash, crash.replay()))
                .as(moment + "ids the client saw that the log's replay gives to other events").isEmpty();

        // a follower resuming after the last id it saw gets the end (after the end of the tool call the run
        // left running), under ids it has not seen
        softly.assertThat(crash.resumed().types()).as(moment + "events resumed after " + crash.lastSeenId().orElse(0L))
                .containsExactlyElementsOf(crash.moment() == CrashMoment.DURING_TOOL_CALL
                        ? List.of("trace_end", "error") : List.of("error"));
        softly.assertThat(crash.resumed().ids()).as(moment + "ids resumed after " + crash.seenById().keySet())
                .allSatisfy(id -> assertThat(id).isGreaterThan(crash.lastSeenId().orElse(0L)));
        Optional<Long> resumedEndId = endId(crash.resumed());
        resumedEndId.ifPresent(id -> softly.assertThat(id)
                .as(moment + "id of the end a resuming follower gets, after it saw " + crash.seenById().keySet())
                .isGreaterThan(crash.lastSeenId().orElse(0L)).isNotIn(crash.seenById().keySet()));
        softly.assertThat(resumedEndId).as(moment + "id of the end a resuming follower gets, against the log's").isEqualTo(endId);
        softly.assertThat(crash.resumed().events().stream().filter(frame -> frame.type().equals("error"))
                        .map(frame -> frame.data().path("code").asText()).toList())
                .as(moment + "codes of the ends a resuming follower gets").containsExactly("run_abandoned");

        // a retry with the same Idempotency-Key gets the same run: no second message, no second run
        softly.assertThat(crash.retriedRunId()).as(moment + "run of the retry").isEqualTo(crash.runId());
        softly.assertThat(crash.retried().types()).as(moment + "events of the retry").endsWith("error");
        softly.assertThat(sameIdsOtherEvents(crash, crash.retried()))
                .as(moment + "ids the client saw that the retry's replay gives to other events").isEmpty();
        softly.assertThat(messages(crash.threadAfterRetry())).as(moment + "messages of the thread after the retry")
                .isEqualTo(messages(crash.thread()));
        softly.assertThat(messages(crash.threadAfterRetry()).stream().filter(message -> message.startsWith("user:")).count())
                .as(moment + "user messages of the thread after the retry").isEqualTo(1);
        softly.assertThat(crash.threadAfterRetry().path("runs")).as(moment + "runs of the thread after the retry").hasSize(1);
        softly.assertAll();
    }

    /** The steps of the run, by id, that have not ended. */
    private static List<String> unfinishedSteps(JsonNode run) {
        return StreamSupport.stream(run.path("steps").spliterator(), false)
                .filter(step -> !List.of("completed", "failed", "cancelled").contains(step.path("status").asText()))
                .map(step -> step.path("type").asText() + " " + step.path("id").asText() + " " + step.path("status").asText())
                .toList();
    }

    private static Optional<Long> endId(SseStream.Frames frames) {
        return frames.events().stream().filter(frame -> frame.type().equals("error"))
                .map(frame -> Long.parseLong(frame.id())).reduce((a, b) -> b);
    }

    /** The ids the client was sent that {@code later} sends with another event: each should name one event for ever. */
    private static List<String> sameIdsOtherEvents(Crash crash, SseStream.Frames later) {
        Map<Long, JsonNode> seen = crash.seenById();
        return later.events().stream()
                .filter(frame -> seen.containsKey(Long.parseLong(frame.id())) && !seen.get(Long.parseLong(frame.id())).equals(frame.data()))
                .map(frame -> frame.id() + ": " + seen.get(Long.parseLong(frame.id())).path("type").asText() + " then "
                        + frame.type())
                .toList();
    }

    /** A thread's messages as "role: content (status)", in order. */
    private static List<String> messages(JsonNode thread) {
        return StreamSupport.stream(thread.path("messages").spliterator(), false)
                .map(message -> message.path("role").asText() + ": " + message.path("content").asText() + " ("
                        + message.path("status").asText() + ")")
                .toList();
    }

    /** One line per moment: what the client saw, and what it found after the restart. */
    private static String resultLine(Crash crash) {
        return "crash test, killed " + crash.moment().description + ": client saw " + describe(crash.seen())
                + "; after restart: run " + crash.run().path("status").asText() + " ("
                + crash.run().path("error").path("code").asText("no error") + "), unfinished steps " + unfinishedSteps(crash.run())
                + " of " + crash.run().path("steps").size() + ", thread active_run_id " + crash.thread().path("active_run_id")
                + "; log replay " + describe(crash.replay().events()) + "; resume after "
                + crash.lastSeenId().map(String::valueOf).orElse("nothing") + " got " + describe(crash.resumed().events())
                + "; retry run " + (crash.runId().equals(crash.retriedRunId()) ? "same" : crash.retriedRunId()) + " "
                + describe(crash.retried().events()) + ", messages " + crash.thread().path("messages").size() + " -> "
                + crash.threadAfterRetry().path("messages").size() + ", runs " + crash.threadAfterRetry().path("runs").size()
                + "; " + crash.took().toMillis() + " ms";
    }

    private static String describe(List<SseStream.Frame> frames) {
        return frames.stream().filter(frame -> !frame.type().equals("heartbeat"))
                .map(frame -> frame.id() + ":" + frame.type()).toList().toString();
    }
}
