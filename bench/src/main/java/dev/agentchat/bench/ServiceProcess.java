package dev.agentchat.bench;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The built service ({@code bootstrap/target/agentchat.jar}), or the peer it is compared with, started
 * as a process of its own, as it is deployed, so that its memory and CPU are its own and can be read
 * from {@code /proc}.
 */
final class ServiceProcess implements AutoCloseable {
    private static final long CLOCK_TICKS_PER_SECOND = 100;   // USER_HZ on Linux

    private final Process process;
    private final int port;

    private ServiceProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static ServiceProcess start(Path jar, List<String> jvmOptions, Map<String, String> environment, Path log)
            throws IOException, InterruptedException {
        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toString());
        Map<String, String> withPort = new HashMap<>(environment);
        withPort.put("API_HOST", "127.0.0.1");
        withPort.put("API_PORT", Integer.toString(port));
        return launch(command, withPort, log, port, Duration.ofSeconds(60));
    }

    /**
     * The peer ({@code bench/peer/server.mjs}, its packages installed) run by Node as a process of its own,
     * so that its CPU and memory are read as the service's are: Node itself, not npm, is the process.
     */
    static ServiceProcess startPeer(Path peerDirectory, Map<String, String> environment, Path log)
            throws IOException, InterruptedException {
        if (!Files.isDirectory(peerDirectory.resolve("node_modules"))) {
            throw new IOException("the peer's packages are not installed: run npm ci in " + peerDirectory);
        }
        int port = freePort();
        Map<String, String> withPort = new HashMap<>(environment);
        withPort.put("HOST", "127.0.0.1");
        withPort.put("PORT", Integer.toString(port));
        List<String> command = List.of(System.getProperty("bench.node", "node"),
                peerDirectory.resolve("server.mjs").toString());
        try {
            return launch(command, withPort, log, port, Duration.ofSeconds(30));
        } catch (IOException e) {
            throw new IOException("the peer did not start (is Node.js installed? -Dbench.node names its binary); see " + log, e);
        }
    }

    private static ServiceProcess launch(List<String> program, Map<String, String> environment, Path log, int port,
            Duration startsWithin) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        String cpus = System.getProperty("bench.serviceCpus", "");
        if (!cpus.isBlank()) {
            // Pins the service to some cores (taskset), to tell its own cost from the harness's competition.
            command.addAll(List.of("taskset", "-c", cpus));
        }
        command.addAll(program);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        ServiceProcess service = new ServiceProcess(builder.start(), port);
        try {
            service.awaitHealthy(startsWithin);
        } catch (IOException | InterruptedException e) {
            service.close();
            throw e;
        }
        return service;
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    /** Resident memory now, in bytes. */
    long rssBytes() throws IOException {
        return statusKilobytes("VmRSS:") * 1024;
    }

    /** The most resident memory the process has had, in bytes. */
    long peakRssBytes() throws IOException {
        return statusKilobytes("VmHWM:") * 1024;
    }

    /** CPU time the process has used (user and system), in nanoseconds. */
    long cpuNanos() throws IOException {
        return userNanos() + systemNanos();
    }

    /** CPU time the process has used running its own code, in nanoseconds. */
    long userNanos() throws IOException {
        return statTicks(11) * 1_000_000_000L / CLOCK_TICKS_PER_SECOND;
    }

    /** CPU time the kernel has used for the process (system calls: sockets, thread wake-ups), in nanoseconds. */
    long systemNanos() throws IOException {
        return statTicks(12) * 1_000_000_000L / CLOCK_TICKS_PER_SECOND;
    }

    /** Whether the process still runs. */
    boolean isAlive() {
        return process.isAlive();
    }

    private long statTicks(int field) throws IOException {
        requireAlive();
        String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
        // The command name may hold spaces; the fields after it are counted from its closing parenthesis.
        return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[field]);
    }

    private void requireAlive() throws IOException {
        if (!process.isAlive()) {
            throw new IOException("the measured process (pid " + process.pid() + ") is no longer running: it exited with "
                    + process.exitValue() + " (see its log)");
        }
    }

    private long statusKilobytes(String field) throws IOException {
        requireAlive();
        for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.substring(field.length()).replace("kB", "").strip());
            }
        }
        throw new IOException(field + " not in /proc/" + process.pid() + "/status");
    }

    private void awaitHealthy(Duration within) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("the service exited with " + process.exitValue() + " before it was up");
            }
            try {
                HttpURLConnection health = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/health")
                        .toURL().openConnection();
                if (health.getResponseCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IOException("the service was not up within " + within);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
