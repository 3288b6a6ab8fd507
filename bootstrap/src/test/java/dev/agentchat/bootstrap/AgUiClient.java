package dev.agentchat.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The released AG-UI client ({@code @ag-ui/client}'s {@code HttpAgent}, pinned in {@code src/test/ag-ui}), run by
 * Node.js against a service: each scenario of {@code run-scenario.mjs} prints one JSON result per run. Its packages
 * are installed from the committed lockfile by {@code src/test/ag-ui/prepare} before the first scenario, once per
 * test JVM; a machine without Node.js 20.19+ and npm fails the tests saying so, never skips them.
 *
 * <p>The test installs them rather than the Maven build, so that a build running other tests does not pay for npm,
 * and a missing Node.js fails the very test that needs it, with the script's own words.
 */
final class AgUiClient {
    /** Long enough for npm to fetch a handful of packages on a slow network. */
    private static final long INSTALL_MINUTES = 10;
    /** A scenario's runs on the demo model take a second or two; this only bounds a hung client. */
    private static final long SCENARIO_SECONDS = 120;

    private static Path prepared;
    private static AssertionError unprepared;

    private AgUiClient() {
    }

    /** Runs {@code scenario} against the service on {@code port} and returns its results, one per run, in order. */
    static List<JsonNode> run(int port, String scenario) {
        return run(port, scenario, Map.of());
    }

    /** Runs {@code scenario} with more environment variables (the API keys a scenario calls with). */
    static List<JsonNode> run(int port, String scenario, Map<String, String> environment) {
        Path folder = prepared();
        try {
            Path errors = Files.createTempFile("ag-ui-client", ".log");
            // Its output goes to a file, not a pipe read to its end: a scenario that never ends must still time out.
            Path output = Files.createTempFile("ag-ui-client", ".out");
            try {
                ProcessBuilder command = new ProcessBuilder("node", "run-scenario.mjs", "http://127.0.0.1:" + port, scenario)
                        .directory(folder.toFile()).redirectError(errors.toFile()).redirectOutput(output.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
                command.environment().putAll(environment);
                Process node = command.start();
                try {
                    if (!node.waitFor(SCENARIO_SECONDS, TimeUnit.SECONDS)) {
                        throw new AssertionError("the AG-UI client's scenario " + scenario + " did not end within "
                                + SCENARIO_SECONDS + " s:\n" + Files.readString(output) + Files.readString(errors));
                    }
                } finally {
                    node.destroyForcibly();
                }
                String out = Files.readString(output);
                if (node.exitValue() != 0) {
                    throw new AssertionError("the AG-UI client's scenario " + scenario + " exited with " + node.exitValue()
                            + ":\n" + out + Files.readString(errors));
                }
                return out.lines().filter(line -> !line.isBlank()).map(ServiceUnderTest::parse).toList();
            } finally {
                Files.deleteIfExists(errors);
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The client's folder with its packages installed, installing them on first use. */
    private static synchronized Path prepared() {
        if (prepared == null && unprepared == null) {
            Path folder = folder();
            String said = InstallScript.prepare(folder, Duration.ofMinutes(INSTALL_MINUTES));
            if (said == null) {
                prepared = folder;
            } else {
                unprepared = new AssertionError("""
                        The AG-UI client tests need Node.js 20.19 or newer and npm on the PATH to install \
                        @ag-ui/client from %s; %s said:
                        %s""".formatted(folder.resolve("package-lock.json"), folder.resolve("prepare"), said.strip()));
            }
        }
        if (unprepared != null) {
            throw new AssertionError(unprepared.getMessage());
        }
        return prepared;
    }

    /** src/test/ag-ui of the bootstrap module: the tests run in the module's folder, or in the project's. */
    private static Path folder() {
        Path here = Path.of("src", "test", "ag-ui");
        return (Files.isDirectory(here) ? here : Path.of("bootstrap", "src", "test", "ag-ui")).toAbsolutePath();
    }

    /** The text of {@code field} of a result, failing with the whole result when it is missing. */
    static String text(JsonNode result, String field) {
        JsonNode value = result.get(field);
        if (value == null || value.isNull()) {
            throw new AssertionError("no " + field + " in " + result);
        }
        return value.asText();
    }
}
