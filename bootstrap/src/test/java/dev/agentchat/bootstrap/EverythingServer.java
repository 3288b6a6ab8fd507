package dev.agentchat.bootstrap;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The MCP everything server ({@code @modelcontextprotocol/server-everything} from npm), as the MCP adapter's tests
 * install it from their committed lockfile: the same pinned version, installed once by that module's
 * {@code src/test/mcp/prepare}. A missing Node.js or npm fails the test that needs it, saying so.
 */
final class EverythingServer {
    private static final Path FOLDER = Path.of("../adapter-mcp/src/test/mcp").toAbsolutePath().normalize();
    private static final int INSTALL_MINUTES = 5;
    private static String unprepared;
    private static boolean prepared;

    private EverythingServer() {
    }

    /** The {@code mcpServers} entry that starts it over stdio, as JSON. */
    static String stdioEntry() {
        prepare();
        Path main = FOLDER.resolve("node_modules/@modelcontextprotocol/server-everything/dist/index.js");
        return ServiceUnderTest.body("command", "node", "args", List.of(main.toString(), "stdio"));
    }

    private static synchronized void prepare() {
        if (!prepared && unprepared == null) {
            String said = runPrepare();
            if (said == null) {
                prepared = true;
            } else {
                unprepared = "The MCP end-to-end tests need Node.js 20.19 or newer and npm on the PATH to install "
                        + "the everything server of " + FOLDER.resolve("package-lock.json") + "; " + FOLDER.resolve("prepare")
                        + " said:\n" + said.strip();
            }
        }
        if (unprepared != null) {
            throw new AssertionError(unprepared);
        }
    }

    /** Runs the install script; null when it succeeded, else what it printed. */
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
