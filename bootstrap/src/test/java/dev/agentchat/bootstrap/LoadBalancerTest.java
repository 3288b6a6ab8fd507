package dev.agentchat.bootstrap;

import static dev.agentchat.bootstrap.ServiceUnderTest.parse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentchat.adapter.cosmos.CosmosTestServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two instances on one Cosmos DB database behind HAProxy ({@code docs/deploy/haproxy.cfg}), one of
 * them killed (SIGKILL) while 30 clients stream through the balancer. Every client whose stream is
 * cut reconnects through the balancer with its {@code Last-Event-ID}, reaches the other instance, and
 * gets its run's end: no event lost or sent twice, the answer's text as stored.
 */
class LoadBalancerTest {
    private static final int STREAMS = 30;
    /** Tokens every client has seen before the kill. */
    private static final int TOKENS_BEFORE_KILL = 3;
    private static final Path LOGS = Path.of("target", "load-balancer", "kill");
    /**
     * Short enough that the surviving instance ends the killed one's runs within seconds of the kill
     * ({@code run_abandoned}), long enough for its own runs (40 words 100 ms apart, about 7 s on a loaded
     * machine) to complete.
     */
    private static final Map<String, String> SETTINGS = Map.of("MAX_RUN_SECONDS", "10", "ABANDONED_RUN_GRACE_SECONDS", "1");

    @BeforeAll
    static void startTheDatabase() {
        CosmosTestServer.endpoint();
    }

    @Test
    void every_stream_cut_by_a_killed_instance_resumes_through_the_balancer_to_its_runs_end_without_gap_or_duplicate()
            throws Exception {
        try (BalancedPair pair = BalancedPair.start(SETTINGS, LOGS);
             ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();
             // Closed first: a client still waiting when the test fails is interrupted, not waited for (close() would).
             AutoCloseable interruptClients = clients::shutdownNow) {
            // given 30 clients streaming through the balancer, each past its first tokens
            CountDownLatch midStream = new CountDownLatch(STREAMS);
            List<Future<ResumingClient.Visit>> visits = IntStream.rangeClosed(1, STREAMS)
                    .mapToObj(number -> clients.submit(() -> ResumingClient.chat(pair.client(), "Question " + number,
                            TOKENS_BEFORE_KILL, midStream)))
                    .toList();
            assertThat(midStream.await(60, TimeUnit.SECONDS)).as("every client saw its first tokens").isTrue();

            // when one instance is killed
            pair.instance(1).kill();
            long killed = System.nanoTime();
            List<ResumingClient.Visit> seen = collect(visits);

            // then every client got its run's end, the ones cut by the kill through the other instance
            List<ResumingClient.Visit> cut = seen.stream().filter(ResumingClient.Visit::cut).toList();
            System.out.println(resultLine(seen, cut, killed));
            SoftAssertions softly = new SoftAssertions();
            softly.assertThat(cut).as("clients whose stream the kill cut (the killed instance had half the chats)")
                    .isNotEmpty().hasSizeLessThan(STREAMS);
            seen.forEach(visit -> assertVisit(softly, visit, pair.client()));
            softly.assertAll();
        }
    }

    private static List<ResumingClient.Visit> collect(List<Future<ResumingClient.Visit>> visits) throws Exception {
        List<ResumingClient.Visit> seen = new ArrayList<>();
        for (Future<ResumingClient.Visit> visit : visits) {
            seen.add(visit.get(90, TimeUnit.SECONDS));
        }
        return seen;
    }

    /** What one client must have seen, checked against what the store and the event log hold. */
    private static void assertVisit(SoftAssertions softly, ResumingClient.Visit visit, ServiceClient balancer) {
        String who = visit.describe() + ": ";
        softly.assertThat(visit.failure()).as(who + "failure").isNull();
        softly.assertThat(visit.status()).as(who + "status of the chat").isEqualTo(200);
        SseStream.Frame end = visit.end();
        softly.assertThat(end).as(who + "the run's end").isNotNull();
        if (end == null || visit.failure() != null) {
            return;
        }
        List<Long> ids = visit.events().stream().map(frame -> Long.parseLong(frame.id())).toList();
        String runPath = "/api/agents/" + ResumingClient.AGENT + "/threads/" + visit.threadId() + "/runs/" + visit.runId();
        JsonNode run = parse(balancer.get(runPath).body());
        if (end.type().equals("done")) {
            // every event once, in order, whichever connection brought it
            softly.assertThat(ids).as(who + "ids of a completed run's events").isEqualTo(consecutive(ids.getFirst(), ids.size()));
            softly.assertThat(visit.text()).as(who + "text received").isEqualTo(storedAnswer(balancer, visit))
                    .isEqualTo(CrashMoment.slowAnswerText());
            softly.assertThat(run.path("status").asText()).as(who + "stored status").isEqualTo("completed");
        } else {
            // the killed instance's run: its tokens came from it, its end from the survivor, numbered past them
            softly.assertThat(visit.cut()).as(who + "a run ended in error was one the kill cut").isTrue();
            softly.assertThat(end.data().path("code").asText()).as(who + "code of the end").isEqualTo("run_abandoned");
            List<Long> beforeEnd = ids.subList(0, ids.size() - 1);
            if (!beforeEnd.isEmpty()) {
                softly.assertThat(beforeEnd).as(who + "ids before the end").isEqualTo(consecutive(beforeEnd.getFirst(), beforeEnd.size()));
                softly.assertThat(ids.getLast()).as(who + "id of the end").isGreaterThan(beforeEnd.getLast());
            }
            softly.assertThat(CrashMoment.slowAnswerText()).as(who + "the answer the client's text begins").startsWith(visit.text());
            softly.assertThat(visit.text()).as(who + "text received, against the tokens the event log kept")
                    .startsWith(loggedText(balancer, visit));
            softly.assertThat(run.path("status").asText()).as(who + "stored status").isEqualTo("failed");
            softly.assertThat(run.path("error").path("code").asText()).as(who + "stored error").isEqualTo("run_abandoned");
        }
    }

    private static List<Long> consecutive(long first, int count) {
        return IntStream.range(0, count).mapToObj(offset -> first + offset).toList();
    }

    /** The content of the thread's answer, as stored. */
    private static String storedAnswer(ServiceClient balancer, ResumingClient.Visit visit) {
        JsonNode thread = parse(balancer.get("/api/agents/" + ResumingClient.AGENT + "/threads/" + visit.threadId()).body());
        return StreamSupport.stream(thread.path("messages").spliterator(), false)
                .filter(message -> message.path("role").asText().equals("assistant"))
                .map(message -> message.path("content").asText()).reduce((first, second) -> second).orElse("");
    }

    /** The run's tokens as the event log replays them from the start. */
    private static String loggedText(ServiceClient balancer, ResumingClient.Visit visit) {
        try (SseStream replay = balancer.events(ResumingClient.AGENT, visit.threadId(), visit.runId(), null, null)) {
            return replay.readToEnd().tokens();
        }
    }

    /** What happened, with the lags after the kill: until a cut client's stream was open again, and until its run's end. */
    private static String resultLine(List<ResumingClient.Visit> seen, List<ResumingClient.Visit> cut, long killed) {
        List<Long> reopened = cut.stream().filter(visit -> !visit.reconnectedNanos().isEmpty())
                .map(visit -> (visit.reconnectedNanos().getFirst() - killed) / 1_000_000).sorted().toList();
        List<Long> ended = cut.stream().map(visit -> (visit.endedNanos() - killed) / 1_000_000).sorted().toList();
        return "load-balancer test, kill -9 of one of two instances with " + seen.size() + " streams: "
                + seen.stream().filter(visit -> visit.end() != null && visit.end().type().equals("done")).count() + " completed, "
                + cut.size() + " cut and resumed through HAProxy; stream open again after the kill "
                + percentiles(reopened) + "; run's end after the kill " + percentiles(ended)
                + " (MAX_RUN_SECONDS " + SETTINGS.get("MAX_RUN_SECONDS") + ", ABANDONED_RUN_GRACE_SECONDS "
                + SETTINGS.get("ABANDONED_RUN_GRACE_SECONDS") + ")";
    }

    private static String percentiles(List<Long> sortedMillis) {
        if (sortedMillis.isEmpty()) {
            return "(none)";
        }
        return "p50 " + at(sortedMillis, 0.50) + " ms, p95 " + at(sortedMillis, 0.95) + " ms, max " + sortedMillis.getLast() + " ms";
    }

    private static long at(List<Long> sorted, double quantile) {
        return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(quantile * sorted.size()) - 1));
    }
}
