package dev.agentchat.bootstrap;

import static dev.agentchat.bootstrap.ServiceUnderTest.body;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentchat.adapter.memory.model.DemoChatModel;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Thousands of hostile requests on every route, over raw loopback sockets: malformed and deeply
 * nested JSON, wrong types, invalid UTF-8, odd ids in paths, bad headers and broken framing. Every
 * one must be answered within a few seconds, never with a 5xx, every refusal as problem+json; and
 * the service must be healthy afterwards. The cases come from a fixed seed, printed with any
 * failure: {@code -Dfuzz.seed=<seed>} makes the same requests, {@code -Dfuzz.only=<index,...>}
 * sends only the listed ones, {@code -Dfuzz.cases=<n>} sets how many.
 */
class HostileRequestsFuzzTest {
    private static final long SEED = Long.decode(System.getProperty("fuzz.seed", "0x5EED20261204"));
    private static final int CASES = Integer.getInteger("fuzz.cases", 3000);
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(3);
    /** Connections at once: a case the server never answers costs its wait without holding the others up. */
    private static final int PARALLEL = 8;
    private static final String ADMIN_KEY = "fuzz-admin-key";
    private static final int MAX_LISTED = 40;

    @Test
    void hostile_requests_get_a_timely_answer_that_is_never_a_5xx_and_leave_the_service_healthy() throws Exception {
        try (ServiceUnderTest service = new ServiceUnderTest(Map.of("ADMIN_API_KEY", ADMIN_KEY),
                components -> components.model(new DemoChatModel(Duration.ZERO)))) {
            // given a thread with a finished run, so that some ids in paths name real records
            JsonNode first = service.chatToDone("support-triage", body("message", "What time is it?"));
            HostileRequests.Known known = new HostileRequests.Known("support-triage", first.get("thread_id").asText(),
                    first.get("run_id").asText(), ADMIN_KEY);
            List<HostileRequests.Case> cases = selected(new HostileRequests(new Random(SEED), known).generate(CASES));

            // when every case is sent
            long started = System.nanoTime();
            List<Outcome> outcomes = sendAll(service.port(), cases);
            long tookMillis = (System.nanoTime() - started) / 1_000_000;

            // then the service is still healthy, and no case broke a rule
            System.out.println(report(outcomes, tookMillis));
            assertHealthy(service);
            List<Outcome> broken = outcomes.stream().filter(outcome -> outcome.violation().isPresent()).toList();
            assertThat(broken).withFailMessage(() -> broken.size() + " of " + outcomes.size() + " cases broke a rule (seed "
                    + seedText() + ")\n" + violations(broken)).isEmpty();
        }
    }

    /** One case and its answer, with the rule it broke if any. */
    private record Outcome(HostileRequests.Case request, RawHttpExchange.Answer answer, Optional<Violation> violation) {
    }

    /** A broken rule: its kind, the same for every case that breaks it alike, and what this case got. */
    record Violation(String kind, String detail) {
        @Override
        public String toString() {
            return kind + (detail.isEmpty() ? "" : ": " + detail);
        }
    }

    private static Optional<Violation> broken(String kind, String detail) {
        return Optional.of(new Violation(kind, detail));
    }

    private static List<Outcome> sendAll(int port, List<HostileRequests.Case> cases) throws InterruptedException, ExecutionException {
        try (ExecutorService pool = Executors.newFixedThreadPool(PARALLEL)) {
            List<Future<Outcome>> pending = new ArrayList<>();
            for (HostileRequests.Case request : cases) {
                pending.add(pool.submit(() -> {
                    RawHttpExchange.Answer answer = RawHttpExchange.exchange(port, request.bytes(), request.head(), ANSWER_WITHIN);
                    return new Outcome(request, answer, violation(request, answer));
                }));
            }
            List<Outcome> outcomes = new ArrayList<>();
            for (Future<Outcome> outcome : pending) {
                outcomes.add(outcome.get());
            }
            return outcomes;
        }
    }

    /** The rules every answer follows, and the case's own expectation. */
    static Optional<Violation> violation(HostileRequests.Case request, RawHttpExchange.Answer answer) {
        if (!answer.answered()) {
            return broken("no answer within " + ANSWER_WITHIN.toSeconds() + " s", String.valueOf(answer.trouble()));
        }
        if (answer.status() >= 500) {
            return broken("answered " + answer.status(), text(answer.body()));
        }
        switch (request.expect()) {
            case NOT_METHOD_NOT_ALLOWED -> {
                if (answer.status() == 405) {
                    return broken("HEAD refused with 405 where GET is allowed", "");
                }
            }
            case HEADERS_TOO_LARGE -> {
                if (answer.status() != 431) {
                    return broken("headers too large answered " + answer.status() + ", not 431", "");
                }
            }
            case MALFORMED -> {
                if (answer.status() != 400) {
                    return broken("malformed framing answered " + answer.status() + ", not 400", "");
                }
            }
            case REFUSED -> {
                if (answer.status() < 400) {
                    return broken("a body that cannot be read answered " + answer.status() + ", not refused", "");
                }
            }
            case ANY -> {
            }
        }
        if (answer.status() >= 400 && !request.head()) {
            String type = Optional.ofNullable(answer.header("Content-Type")).orElse("");
            if (!type.startsWith("application/problem+json")) {
                return broken("a " + answer.status() + " that is not application/problem+json", type + " " + text(answer.body()));
            }
            if (answer.trouble() != null) {
                return broken("a " + answer.status() + " whose body did not arrive", answer.trouble());
            }
            try {
                JsonNode problem = ServiceUnderTest.JSON.readTree(answer.body());
                if (problem == null || !problem.path("code").isTextual()) {
                    return broken("a " + answer.status() + " problem without a code", text(answer.body()));
                }
                if (problem.path("status").asInt() != answer.status()) {
                    return broken("a " + answer.status() + " problem whose \"status\" member is not the status",
                            text(answer.body()));
                }
            } catch (IOException e) {
                return broken("a " + answer.status() + " problem that is not JSON", text(answer.body()));
            }
        }
        return Optional.empty();
    }

    private static void assertHealthy(ServiceUnderTest service) {
        assertThat(service.get("/health").statusCode()).as("GET /health after the fuzzing").isEqualTo(200);
        JsonNode done = service.chatToDone("support-triage", body("message", "Are you still there?"));
        assertThat(done.get("run_id").asText()).as("a normal chat after the fuzzing").isNotBlank();
    }

    private static String report(List<Outcome> outcomes, long tookMillis) {
        Map<String, Long> byStatus = outcomes.stream().collect(Collectors.groupingBy(
                outcome -> outcome.answer().answered() ? String.valueOf(outcome.answer().status()) : "no answer",
                TreeMap::new, Collectors.counting()));
        long slowest = outcomes.stream().mapToLong(outcome -> outcome.answer().millis()).max().orElse(0);
        StringBuilder report = new StringBuilder()
                .append("Hostile requests: seed ").append(seedText()).append(", ").append(outcomes.size()).append(" cases in ")
                .append(tookMillis).append(" ms (").append(PARALLEL).append(" at once); slowest status line ")
                .append(slowest).append(" ms\n")
                .append(String.format("%-10s %6s%n", "status", "cases"));
        byStatus.forEach((status, count) -> report.append(String.format("%-10s %6d%n", status, count)));
        Map<String, Map<String, List<Integer>>> brokenByKind = outcomes.stream().filter(outcome -> outcome.violation().isPresent())
                .collect(Collectors.groupingBy(outcome -> outcome.violation().orElseThrow().kind(), TreeMap::new,
                        Collectors.groupingBy(outcome -> outcome.request().shape().replaceAll(":.*", ""), TreeMap::new,
                                Collectors.mapping(outcome -> outcome.request().index(), Collectors.toList()))));
        report.append("cases that broke a rule: ").append(outcomes.stream().filter(outcome -> outcome.violation().isPresent()).count())
                .append('\n');
        brokenByKind.forEach((kind, shapes) -> {
            report.append("  ").append(kind).append('\n');
            shapes.forEach((shape, indexes) -> report.append(String.format("      %-48s %6d  (e.g. #%s)%n", shape, indexes.size(),
                    indexes.stream().limit(5).map(String::valueOf).collect(Collectors.joining(", #")))));
        });
        return report.toString();
    }

    private static String violations(List<Outcome> broken) {
        StringBuilder listed = new StringBuilder();
        broken.stream().limit(MAX_LISTED).forEach(outcome -> listed.append("#").append(outcome.request().index()).append(" [")
                .append(outcome.request().shape()).append("] ").append(outcome.violation().orElseThrow()).append("\n    ")
                .append(text(outcome.request().bytes())).append('\n'));
        if (broken.size() > MAX_LISTED) {
            listed.append("... and ").append(broken.size() - MAX_LISTED).append(" more\n");
        }
        listed.append("replay: -Dfuzz.seed=").append(seedText()).append(" -Dfuzz.only=")
                .append(broken.stream().limit(MAX_LISTED).map(outcome -> String.valueOf(outcome.request().index()))
                        .collect(Collectors.joining(",")));
        return listed.toString();
    }

    private static List<HostileRequests.Case> selected(List<HostileRequests.Case> all) {
        String only = System.getProperty("fuzz.only", "").strip();
        if (only.isEmpty()) {
            return all;
        }
        Set<Integer> indexes = Arrays.stream(only.split(",")).map(String::strip).map(Integer::valueOf).collect(Collectors.toSet());
        return all.stream().filter(request -> indexes.contains(request.index())).toList();
    }

    private static String seedText() {
        return "0x" + Long.toHexString(SEED).toUpperCase();
    }

    /** Bytes as readable text: printable ASCII as is, the rest escaped, cut to a few hundred characters. */
    private static String text(byte[] bytes) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < bytes.length && text.length() < 300; i++) {
            int b = bytes[i] & 0xff;
            switch (b) {
                case '\r' -> text.append("\\r");
                case '\n' -> text.append("\\n");
                default -> text.append(b >= 0x20 && b < 0x7f ? String.valueOf((char) b) : String.format("\\x%02x", b));
            }
        }
        return bytes.length > 0 && text.length() >= 300 ? text + "... (" + bytes.length + " bytes)" : text.toString();
    }
}
