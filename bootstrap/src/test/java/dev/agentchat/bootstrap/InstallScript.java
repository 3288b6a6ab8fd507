package dev.agentchat.bootstrap;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Runs a folder's {@code prepare} script, which installs the npm packages a test needs from a committed lockfile. */
final class InstallScript {
    private InstallScript() {
    }

    /**
     * Runs {@code folder/prepare} in {@code folder}, with no input, at most {@code patience}; null when it succeeded,
     * else what it printed (or why it could not run), for the failing test to say.
     */
    static String prepare(Path folder, Duration patience) {
        try {
            Path output = Files.createTempFile("prepare", ".log");
            try {
                Process process = new ProcessBuilder(folder.resolve("prepare").toString()).directory(folder.toFile())
                        .redirectErrorStream(true).redirectOutput(output.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
                if (!process.waitFor(patience.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    return "(stopped after " + patience.toMinutes() + " minutes) " + Files.readString(output);
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
