package dev.agentchat.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A {@link CrashableService} in a JVM of its own, started from this test JVM's class path, and a
 * plain JDK HTTP client to talk to it. Killing it is a SIGKILL: the process gets no chance to stop
 * its runs, flush its event log or run a shutdown hook, as in a crash or an OOM kill.
 */
final class ServiceProcess implements AutoCloseable {
    /** The exit status of a process ended by a signal is 128 plus the signal's number: SIGKILL is 9. */
    private static final int KILLED_BY_SIGKILL = 128 + 9;
    private static final Duration START_PATIENCE = Duration.ofSeconds(60);
    /** What the service process sees of the test JVM's environment: enough to run, and no configuration of its own. */
    private static final List<String> INHERITED_ENVIRONMENT = List.of("PATH", "HOME", "TMPDIR", "LANG");
    /** The line {@link Main} logs once it listens. */
    private static final Pattern MAIN_LISTENING = Pattern.compile("is listening on http://[^:/]+:(\\d+)");

    private final Process process;
    private final Path log;
    private final ServiceClient client;

    private ServiceProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.client = new ServiceClient(port);
    }

    /**
     * Starts the service with exactly {@code settings} as its environment, playing the script of
     * {@code moment} (none: nothing to say), and waits until it listens; its output goes to {@code log}.
     */
    static ServiceProcess start(Map<String, String> settings, Optional<CrashMoment> moment, Path log) {
        return start(CrashableService.class, settings,
                List.of("-D" + CrashableService.SCRIPT_PROPERTY + "=" + moment.map(Enum::name).orElse("")), log);
    }

    /**
     * Starts the service as shipped ({@link Main}) with exactly {@code settings} as its environment, and waits until
     * it says it listens; its output goes to {@code log}.
     */
    static ServiceProcess startMain(Map<String, String> settings, Path log) {
        return start(Main.class, settings, List.of(), log);
    }

    private static ServiceProcess start(Class<?> main, Map<String, String> settings, List<String> properties, Path log) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow(() ->
                new IllegalStateException("The java command of this JVM is unknown: cannot start the service in a process")));
        // Surefire runs the tests from a manifest-only jar; the full class path is in this property.
        command.addAll(List.of("-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"))));
        // The local Cosmos DB server's self-signed certificate, accepted in this JVM (CosmosTestServer), in that one too.
        String certificateCheck = "COSMOS.EMULATOR_SERVER_CERTIFICATE_VALIDATION_DISABLED";
        if (System.getProperty(certificateCheck) != null) {
            command.add("-D" + certificateCheck + "=" + System.getProperty(certificateCheck));
        }
        command.addAll(properties);
        // Start-up time matters more here than peak speed, and the machine may have few cores.
        command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        command.add(main.getName());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> environment = builder.environment();
        environment.clear();
        INHERITED_ENVIRONMENT.forEach(name -> Optional.ofNullable(System.getenv(name)).ifPresent(value -> environment.put(name, value)));
        environment.putAll(settings);
        environment.put("API_HOST", "127.0.0.1");
        environment.put("API_PORT", "0");
        try {
            Files.createDirectories(log.getParent());
            Process process = builder.start();
            return new ServiceProcess(process, log, awaitPort(process, log));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the service process: " + command, e);
        }
    }

    /**
     * Sends the process SIGTERM, as an orchestrator does to stop it, without waiting: it drains and stops, its
     * shutdown hook running; {@link #awaitExit} waits for it.
     */
    void terminate() {
        process.destroy();
    }

    /** Waits at most {@code max} for the process to end, failing the test if it does not; its exit status. */
    int awaitExit(Duration max) {
        try {
            assertThat(process.waitFor(max.toMillis(), TimeUnit.MILLISECONDS)).as("the service process (" + log
                    + ") ended within " + max).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return process.exitValue();
    }

    /** What the process wrote so far, standard output and error together. */
    String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    ServiceClient client() {
        return client;
    }

    /** Waits for the line that says the service listens, failing with the process's output if it never comes. */
    private static int awaitPort(Process process, Path log) throws IOException {
        try {
            return await().atMost(START_PATIENCE).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50))
                    .until(() -> listeningPort(process, log), Optional::isPresent).orElseThrow();
        } catch (ConditionTimeoutException e) {
            process.destroyForcibly();
            throw new IllegalStateException("The service process did not listen within " + START_PATIENCE + "; its output ("
                    + log + "):\n" + Files.readString(log));
        }
    }

    /** The port the service says it listens on, if it has said so yet. */
    private static Optional<Integer> listeningPort(Process process, Path log) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        Optional<String> line = lines.stream().filter(text -> text.startsWith(CrashableService.PORT_LINE)).findFirst();
        if (line.isPresent()) {
            return Optional.of(Integer.parseInt(line.get().substring(CrashableService.PORT_LINE.length()).strip()));
        }
        // Main says so in its log, as text or as JSON.
        Optional<Integer> logged = lines.stream().map(MAIN_LISTENING::matcher).filter(Matcher::find)
                .map(found -> Integer.parseInt(found.group(1))).findFirst();
        if (logged.isPresent()) {
            return logged;
        }
        if (!process.isAlive()) {
            throw new IllegalStateException("The service process exited with " + process.exitValue()
                    + " before it listened; its output (" + log + "):\n" + Files.readString(log));
        }
        return Optional.empty();
    }

    /** Kills the process with SIGKILL and waits until it is gone; fails the test if it ended any other way. */
    void kill() {
        process.destroyForcibly();
        try {
            assertThat(process.waitFor(10, TimeUnit.SECONDS)).as("the killed service process is gone").isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        assertThat(process.exitValue()).as("exit status of the service process (" + log + "): 128 + SIGKILL")
                .isEqualTo(KILLED_BY_SIGKILL);
    }

    /**
     * Asks the process to stop with SIGTERM, as a platform does before it replaces an instance, and waits
     * up to {@code patience} for it to exit; its exit status.
     */
    int terminate(Duration patience) {
        process.destroy();
        try {
            assertThat(process.waitFor(patience.toMillis(), TimeUnit.MILLISECONDS))
                    .as("the service process (" + log + ") exited within " + patience + " of SIGTERM").isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return process.exitValue();
    }

    /** The port the service listens on. */
    int port() {
        return client.uri("/").getPort();
    }

    /** Sends a chat message with the headers given and returns the open event stream (once its headers came). */
    SseStream chat(String agent, String body, String... headers) {
        return client.chat(agent, body, headers);
    }

    /** Opens a run's event stream, as a client that reconnects does; {@code lastEventId} may be null. */
    SseStream events(String agent, String threadId, String runId, String lastEventId) {
        return client.events(agent, threadId, runId, lastEventId, null);
    }

    HttpResponse<String> get(String path) {
        return client.get(path);
    }

    /** Makes sure the process is gone, whatever the test did. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        client.close();
    }
}
