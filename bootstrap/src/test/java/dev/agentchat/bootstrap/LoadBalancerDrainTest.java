package dev.agentchat.bootstrap;

import static dev.agentchat.bootstrap.ServiceUnderTest.parse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentchat.adapter.cosmos.CosmosTestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two instances on one Cosmos DB database behind HAProxy ({@code docs/deploy/haproxy.cfg}), one of
 * them stopped with SIGTERM, as a platform does when it replaces an instance, while 20 clients stream
 * through the balancer and new chats keep arriving. The stopping instance drains: it turns unready,
 * refuses new chats with 503 (which the balancer sends to the other instance) and lets its runs
 * finish within {@code DRAIN_SECONDS}. No client sees an error, and every run completes.
 */
class LoadBalancerDrainTest {
    private static final int STREAMS = 20;
    private static final int TOKENS_BEFORE_STOP = 3;
    /** How often a new chat arrives while the instance stops, and how many still come after it is gone. */
    private static final Duration ARRIVALS = Duration.ofMillis(150);
    private static final int ARRIVALS_AFTER_EXIT = 5;
    /** Long enough for a run in flight (40 words 100 ms apart) to finish, as the default is. */
    private static final int DRAIN_SECONDS = 10;
    private static final Path LOGS = Path.of("target", "load-balancer", "drain");

    @BeforeAll
    static void startTheDatabase() {
        CosmosTestServer.endpoint();
    }

    @Test
    void an_instance_stopped_behind_the_balancer_lets_its_runs_finish_and_no_client_sees_an_error() throws Exception {
        try (BalancedPair pair = BalancedPair.start(Map.of("DRAIN_SECONDS", Integer.toString(DRAIN_SECONDS)), LOGS);
             ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();
             // Closed first: a client still waiting when the test fails is interrupted, not waited for (close() would).
             AutoCloseable interruptClients = clients::shutdownNow) {
            long began = System.nanoTime();
            // given 20 clients streaming through the balancer, and new chats arriving all along
            CountDownLatch midStream = new CountDownLatch(STREAMS);
            List<Future<ResumingClient.Visit>> visits = new CopyOnWriteArrayList<>(IntStream.rangeClosed(1, STREAMS)
                    .mapToObj(number -> clients.submit(() -> ResumingClient.chat(pair.client(), "Question " + number,
                            TOKENS_BEFORE_STOP, midStream)))
                    .toList());
            assertThat(midStream.await(60, TimeUnit.SECONDS)).as("every client saw its first tokens").isTrue();
            AtomicBoolean arriving = new AtomicBoolean(true);
            List<Long> arrivedNanos = new CopyOnWriteArrayList<>();
            Future<?> arrivals = clients.submit(() -> {
                for (int number = 1; arriving.get(); number++) {
                    String message = "Arriving " + number;
                    arrivedNanos.add(System.nanoTime());
                    visits.add(clients.submit(() -> ResumingClient.chat(pair.client(), message, 1, new CountDownLatch(1))));
                    Thread.sleep(ARRIVALS);   // the pace of arrivals, not a wait for anything
                }
                return null;
            });

            // when one instance is stopped with SIGTERM, and chats keep arriving until after it is gone
            long stopping = System.nanoTime();
            long openAtStop = visits.stream().filter(visit -> !visit.isDone()).count();
            int exitStatus = pair.instance(1).terminate(Duration.ofSeconds(DRAIN_SECONDS + 20));
            long gone = System.nanoTime();
            int arrivedBeforeExit = arrivedNanos.size();
            Await.until(() -> arrivedNanos.size() >= arrivedBeforeExit + ARRIVALS_AFTER_EXIT, Duration.ofSeconds(10));
            arriving.set(false);
            arrivals.get(10, TimeUnit.SECONDS);
            List<ResumingClient.Visit> seen = new ArrayList<>();
            for (Future<ResumingClient.Visit> visit : visits) {
                seen.add(visit.get(90, TimeUnit.SECONDS));
            }

            // then no client saw an error or a cut stream, and every run completed with its whole answer
            long duringDrain = arrivedNanos.stream().filter(at -> at - stopping >= 0 && at - gone < 0).count();
            List<ResumingClient.Visit> failed = seen.stream().filter(visit -> visit.failure() != null || visit.status() != 200
                    || visit.cut() || visit.end() == null || !visit.end().type().equals("done")).toList();
            System.out.println("load-balancer test, SIGTERM of one of two instances (DRAIN_SECONDS " + DRAIN_SECONDS + ") with "
                    + STREAMS + " streams started (" + openAtStop + " chats open when it was stopped, "
                    + (stopping - began) / 1_000_000 + " ms after the first) and a chat every " + ARRIVALS.toMillis()
                    + " ms: " + seen.size() + " chats, "
                    + duringDrain + " of them sent while it stopped (" + (gone - stopping) / 1_000_000 + " ms, exit status "
                    + exitStatus + "); client errors " + failed.size());
            SoftAssertions softly = new SoftAssertions();
            softly.assertThat(duringDrain).as("chats sent while the instance stopped").isPositive();
            softly.assertThat(failed.stream().map(ResumingClient.Visit::describe).toList()).as("clients that saw an error").isEmpty();
            for (ResumingClient.Visit visit : seen) {
                if (visit.runId() == null) {
                    continue;
                }
                String runPath = "/api/agents/" + ResumingClient.AGENT + "/threads/" + visit.threadId() + "/runs/" + visit.runId();
                softly.assertThat(parse(pair.client().get(runPath).body()).path("status").asText())
                        .as(visit.describe() + ": stored status").isEqualTo("completed");
                softly.assertThat(visit.text()).as(visit.describe() + ": text received").isEqualTo(CrashMoment.slowAnswerText());
            }
            softly.assertAll();
        }
    }
}
