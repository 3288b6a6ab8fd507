package dev.agentchat.bootstrap;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

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
            String said = InstallScript.prepare(FOLDER, Duration.ofMinutes(INSTALL_MINUTES));
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
}
