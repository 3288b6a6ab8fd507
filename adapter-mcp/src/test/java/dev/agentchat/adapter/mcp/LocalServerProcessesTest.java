package dev.agentchat.adapter.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentchat.ports.time.Clock;
import dev.agentchat.ports.tool.ToolInvocation;
import dev.agentchat.ports.tool.ToolProgress;
import dev.agentchat.ports.tool.ToolSource;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A local server's processes, and those they start, end with its session, even when they ignore SIGTERM. */
class LocalServerProcessesTest {
    private static final Duration CONNECTED = Duration.ofSeconds(30);
    /** The grace of two seconds, and time to spare on a busy machine. */
    private static final Duration ENDED = Duration.ofSeconds(10);
    private Set<ProcessHandle> before;

    @BeforeEach
    void noteTheProcessesAlreadyRunning() {
        TestServers.testServer("prepare"); // installs the servers first, so that the install's processes are not counted
        before = ProcessHandle.current().descendants().collect(Collectors.toSet());
    }

    @AfterEach
    void killWhatIsLeft() throws Exception {
        for (ProcessHandle left : started()) {
            left.destroyForcibly();
            left.onExit().get(5, TimeUnit.SECONDS);
        }
    }

    /** The processes this JVM started, directly or not, since the test began, and that still run. */
    private List<ProcessHandle> started() {
        return ProcessHandle.current().descendants().filter(process -> !before.contains(process)).toList();
    }

    @Test
    void closing_ends_a_server_that_ignores_sigterm_and_the_process_it_started() {
        // given
        McpTools tools = McpTools.connect(new McpServers(List.of(TestServers.testServer("stubborn", "--stubborn"))), Clock.system());
        await().atMost(CONNECTED).until(() -> tools.sources().stream().allMatch(ToolSource::reachable));
        await().atMost(CONNECTED).until(() -> started().size() >= 2); // the server, and its child

        // when
        long began = System.nanoTime();
        tools.close();
        Duration closing = Duration.ofNanos(System.nanoTime() - began);

        // then
        await().atMost(ENDED).untilAsserted(() -> assertThat(started()).isEmpty());
        assertThat(closing).isLessThan(Transports.GRACE.plusSeconds(2));
    }

    @Test
    void closing_during_a_handshake_that_never_ends_ends_the_server_and_the_process_it_started() {
        // given
        McpTools tools = McpTools.connect(
                new McpServers(List.of(TestServers.testServer("mute", "--stubborn", "--mute"))), Clock.system());
        await().atMost(CONNECTED).until(() -> started().size() >= 2);

        // when
        tools.close();

        // then
        assertThat(tools.sources()).allSatisfy(source -> assertThat(source.reachable()).isFalse());
        await().atMost(ENDED).untilAsserted(() -> assertThat(started()).isEmpty());
    }

    @Test
    void a_server_that_ends_on_its_own_has_the_processes_it_started_killed() throws Exception {
        // given: a server that started a process of its own
        McpTools tools = McpTools.connect(new McpServers(List.of(TestServers.testServer("stubborn", "--stubborn"))), Clock.system());
        List<ProcessHandle> first = List.of();
        try {
            await().atMost(CONNECTED).until(() -> tools.sources().stream().allMatch(ToolSource::reachable));
            await().atMost(CONNECTED).until(() -> started().size() >= 2);
            first = started();

            // when: the server ends without being asked, leaving its child
            tools.execute(new ToolInvocation("stubborn__exit", "{}"), ToolProgress.IGNORED);

            // then
            List<ProcessHandle> left = first;
            await().atMost(ENDED).untilAsserted(() -> assertThat(left).noneMatch(ProcessHandle::isAlive));
        } finally {
            tools.close();
            for (ProcessHandle process : first) { // no longer this JVM's descendants once orphaned
                process.destroyForcibly();
            }
        }
    }
}
