package dev.agentchat.adapter.mcp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The real MCP servers the tests talk to: the everything server from npm (over stdio, or over Streamable HTTP as a
 * process of the test's own) and {@code test-server.mjs}, both installed from the committed lockfile by
 * {@code src/test/mcp/prepare} before the first one starts.
 */
final class TestServers {
    private static final Path FOLDER = Path.of("src/test/mcp").toAbsolutePath();
    private static final Path EVERYTHING = FOLDER.resolve("node_modules/@modelcontextprotocol/server-everything/dist/index.js");
    private static final int INSTALL_MINUTES = 5;
    private static String unprepared;
    private static boolean prepared;

    private TestServers() {
    }

    /** The everything server, started by the SDK as a process speaking stdio. */
    static McpServer.Stdio everything(String name) {
        prepare();
        return new McpServer.Stdio(name, "node", List.of(EVERYTHING.toString(), "stdio"), Map.of());
    }

    /** The test server of {@code test-server.mjs}, started by the SDK as a process speaking stdio. */
    static McpServer.Stdio testServer(String name) {
        prepare();
        return new McpServer.Stdio(name, "node", List.of(FOLDER.resolve("test-server.mjs").toString()), Map.of());
    }

    /** The test server of {@code test-server.mjs} started with {@code flags} ({@code --stubborn}, {@code --mute}). */
    static McpServer.Stdio testServer(String name, String... flags) {
        prepare();
        List<String> args = new java.util.ArrayList<>(List.of(FOLDER.resolve("test-server.mjs").toString()));
        args.addAll(List.of(flags));
        return new McpServer.Stdio(name, "node", args, Map.of());
    }

    /** A loopback port nothing listens on now. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static URI url(int port) {
        return URI.create("http://127.0.0.1:" + port + "/mcp");
    }

    /** The everything server over Streamable HTTP on {@code port}, listening when this returns. */
    static HttpServer everythingOverHttp(int port) {
        return overHttp(port, List.of("node", EVERYTHING.toString(), "streamableHttp"));
    }

    /** The test server of {@code test-server.mjs} over Streamable HTTP on {@code port}, listening when this returns. */
    static HttpServer testServerOverHttp(int port) {
        return overHttp(port, List.of("node", FOLDER.resolve("test-server.mjs").toString(), "--http", Integer.toString(port)));
    }

    private static HttpServer overHttp(int port, List<String> command) {
        prepare();
        try {
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            builder.environment().put("PORT", Integer.toString(port));
            Process process = builder.start();
            CompletableFuture<Void> listening = new CompletableFuture<>();
            StringBuilder said = new StringBuilder();
            Thread.ofVirtual().start(() -> {
                try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = lines.readLine()) != null; ) {
                        synchronized (said) {
                            said.append(line).append('\n');
                        }
                        if (line.contains("listening on port")) {
                            listening.complete(null);
                        }
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
                listening.completeExceptionally(new IllegalStateException("the server ended: " + said));
            });
            HttpServer server = new HttpServer(process, port);
            try {
                listening.get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                server.close();
                throw new IllegalStateException("the server " + command + " did not listen on " + port + ": " + said, e);
            }
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A server process of the test's own; closing it ends the process. */
    record HttpServer(Process process, int port) implements AutoCloseable {
        URI url() {
            return TestServers.url(port);
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Installs the servers once per test run; a missing Node.js or npm fails every test that needs them, saying so. */
    private static synchronized void prepare() {
        if (!prepared && unprepared == null) {
            String said = runPrepare();
            if (said == null) {
                prepared = true;
            } else {
                unprepared = """
                        The MCP server tests need Node.js 20.19 or newer and npm on the PATH to install the servers of %s; \
                        %s said:
                        %s""".formatted(FOLDER.resolve("package-lock.json"), FOLDER.resolve("prepare"), said.strip());
            }
        }
        if (unprepared != null) {
            throw new AssertionError(unprepared);
        }
    }

    /** Runs the install script and returns null when it succeeded, else what it printed. */
    private static String runPrepare() {
        try {
            Path output = Files.createTempFile("mcp-prepare", ".log");
            try {
                Process process = new ProcessBuilder(FOLDER.resolve("prepare").toString()).directory(FOLDER.toFile())
                        .redirectErrorStream(true).redirectOutput(output.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
                if (!process.waitFor(INSTALL_MINUTES, TimeUnit.MINUTES)) {
                    process.destroyForcibly();
                    return "(stopped after " + INSTALL_MINUTES + " minutes) " + Files.readString(output);
                }
                return process.exitValue() == 0 ? null : Files.readString(output, StandardCharsets.UTF_8);
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            return e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(interrupted)";
        }
    }
}
