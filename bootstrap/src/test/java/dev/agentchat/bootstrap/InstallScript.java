package dev.agentchat.bootstrap;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a script that installs what a test needs: a folder's {@code prepare} (npm packages from a committed
 * lockfile), or one of {@code scripts/ensure-*} (a system package), with no input and a limit on its time.
 */
final class InstallScript {
    private InstallScript() {
    }

    /**
     * Runs {@code folder/prepare} in {@code folder}, with no input, at most {@code patience}; null when it succeeded,
     * else what it printed (or why it could not run), for the failing test to say.
     */
    static String prepare(Path folder, Duration patience) {
        Ran ran = run(folder.resolve("prepare"), folder, Map.of(), patience);
        return ran.succeeded() ? null : ran.output();
    }

    /**
     * Runs {@code script} in {@code directory} with {@code environment} added to the test's, no input, for at most
     * {@code patience}: whether it succeeded, and what it printed (or why it could not run, or was stopped).
     */
    static Ran run(Path script, Path directory, Map<String, String> environment, Duration patience) {
        if (!Files.isExecutable(script)) {
            return new Ran(false, script + " is not there or not executable.");
        }
        try {
            Path output = Files.createTempFile(script.getFileName().toString(), ".log");
            try {
                ProcessBuilder builder = new ProcessBuilder(script.toString()).directory(directory.toFile())
                        .redirectErrorStream(true).redirectOutput(output.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
                builder.environment().putAll(environment);
                Process process = builder.start();
                if (!process.waitFor(patience.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    return new Ran(false, "(stopped after " + patience.toMinutes() + " minutes) " + Files.readString(output));
                }
                return new Ran(process.exitValue() == 0, Files.readString(output, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            return new Ran(false, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Ran(false, "(interrupted)");
        }
    }

    /** How a script ran: whether it exited 0, and what it printed. */
    record Ran(boolean succeeded, String output) {
    }
}
