package dev.agentchat.bootstrap;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The system's HAProxy running {@code docs/deploy/haproxy.cfg} in front of two service processes, on a
 * loopback port of its own. HAProxy is found at Debian's path (or {@code HAPROXY_BIN}) and, when missing,
 * installed once from the system's packages by {@code scripts/ensure-haproxy}; a machine where that cannot
 * happen fails the test saying what to install: the test is never skipped.
 */
final class Haproxy implements AutoCloseable {
    static final Path DEBIAN_BINARY = Path.of("/usr/sbin/haproxy");
    private static final long INSTALL_MINUTES = 10;
    private static final Duration START_PATIENCE = Duration.ofSeconds(20);

    private final Process process;
    private final Path log;
    private final int port;

    private Haproxy(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /**
     * Starts HAProxy with the project's example configuration, balancing between {@code instances}, and
     * waits until a readiness check through it is answered; its output goes to {@code log}.
     */
    static Haproxy start(List<ServiceProcess> instances, Path log) {
        if (instances.size() != 2) {
            throw new IllegalArgumentException("docs/deploy/haproxy.cfg names two instances, not " + instances.size());
        }
        Path binary = installed();
        int port = freePort();
        ProcessBuilder builder = new ProcessBuilder(binary.toString(), "-db", "-f", projectFile("docs/deploy/haproxy.cfg").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("AGENTCHAT_LISTEN", "127.0.0.1:" + port);
        builder.environment().put("AGENTCHAT_INSTANCE_1", "127.0.0.1:" + instances.get(0).port());
        builder.environment().put("AGENTCHAT_INSTANCE_2", "127.0.0.1:" + instances.get(1).port());
        try {
            Files.createDirectories(log.getParent());
            Haproxy haproxy = new Haproxy(builder.start(), log, port);
            haproxy.awaitReady();
            return haproxy;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + binary, e);
        }
    }

    /** The port clients reach the service through. */
    int port() {
        return port;
    }

    /** What HAProxy has logged so far: one line per request, with the server that answered it. */
    String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until HAProxy answers a readiness check with an instance's 200, failing with its output if it never does. */
    private void awaitReady() {
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
            HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
                    .timeout(Duration.ofSeconds(2)).build();
            await().atMost(START_PATIENCE).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("HAProxy exited with " + process.exitValue() + "; its output (" + log
                            + "):\n" + log());
                }
                return http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            });
        } catch (ConditionTimeoutException e) {
            close();
            throw new IllegalStateException("HAProxy did not pass a readiness check within " + START_PATIENCE
                    + "; its output (" + log + "):\n" + log());
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** HAProxy's binary, installed first if it is missing; fails saying what to install when it cannot be. */
    static synchronized Path installed() {
        return locate(System.getenv(), projectFile("scripts/ensure-haproxy"));
    }

    /**
     * Finds HAProxy where {@code environment} says ({@code HAPROXY_BIN}) or at Debian's path, running
     * {@code installer} once when it is missing.
     *
     * @throws AssertionError when it is still missing after that, naming what to install
     */
    static Path locate(Map<String, String> environment, Path installer) {
        String setting = environment.get("HAPROXY_BIN");
        Path binary = setting == null || setting.isBlank() ? DEBIAN_BINARY : Path.of(setting);
        if (Files.isExecutable(binary)) {
            return binary;
        }
        String said = install(installer, binary);
        if (Files.isExecutable(binary)) {
            return binary;
        }
        throw new AssertionError("""
                The load-balancer tests need HAProxy (2.6 or later): %s is not there, and %s could not install it.
                Install it from the system's packages (apt-get install -y haproxy), or set HAPROXY_BIN to its binary.
                %s said:
                %s""".formatted(binary, installer, installer.getFileName(), said.strip()));
    }

    /** Runs the installer for the binary looked for, and returns what it printed. */
    private static String install(Path installer, Path binary) {
        return InstallScript.run(installer, Path.of("").toAbsolutePath(), Map.of("HAPROXY_BIN", binary.toString()),
                Duration.ofMinutes(INSTALL_MINUTES)).output();
    }

    /** A file of this checkout: the tests run in a module's folder, below the project's. */
    private static Path projectFile(String path) {
        for (Path folder = Path.of("").toAbsolutePath(); folder != null; folder = folder.getParent()) {
            Path file = folder.resolve(path);
            if (Files.exists(file)) {
                return file;
            }
        }
        throw new IllegalStateException(path + " is not in any folder above " + Path.of("").toAbsolutePath());
    }

    /** A loopback port nobody listens on now; HAProxy binds it a moment later. */
    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
