package dev.agentchat.adapter.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentchat.domain.tool.ToolDefinition;
import dev.agentchat.ports.time.Clock;
import dev.agentchat.ports.tool.ToolInvocation;
import dev.agentchat.ports.tool.ToolOutcome;
import dev.agentchat.ports.tool.ToolProgress;
import dev.agentchat.ports.tool.ToolSource;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import dev.agentchat.ports.telemetry.Observation;
import dev.agentchat.ports.telemetry.Outcome;
import dev.agentchat.ports.telemetry.Telemetry;
import dev.agentchat.ports.telemetry.Work;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tools of real MCP servers (the everything server from npm, and test-server.mjs), over stdio and Streamable HTTP. */
class McpToolsTest {
    private static final Duration CONNECTED = Duration.ofSeconds(30);
    private static final java.util.concurrent.Executor VIRTUAL = runnable -> Thread.ofVirtual().start(runnable);
    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void closeEverything() throws Exception {
        for (AutoCloseable closeable : opened.reversed()) {
            closeable.close();
        }
    }

    @Test
    void a_local_server_gets_the_variables_every_program_needs_and_its_own_but_none_of_this_services_settings() {
        assertThat(System.getenv("AGENTCHAT_TEST_SECRET")).as("the test's own setting, as the build gives it").isNotNull();
        McpServer.Stdio base = TestServers.testServer("local");
        McpTools tools = connected(new McpServer.Stdio("local", base.command(), base.args(), Map.of("GIVEN_TO_IT", "yes")));

        String names = succeeded(call(tools, "local__environment", "{}"));

        assertThat(names).contains("\"GIVEN_TO_IT\"", "\"PATH\"").doesNotContain("AGENTCHAT_TEST_SECRET");
    }

    private McpTools connected(McpServer... servers) {
        McpTools tools = connect(servers);
        await().atMost(CONNECTED).until(() -> tools.sources().stream().allMatch(ToolSource::reachable));
        return tools;
    }

    private McpTools connect(McpServer... servers) {
        McpTools tools = McpTools.connect(new McpServers(List.of(servers)), Clock.system());
        opened.add(tools);
        return tools;
    }

    private static ToolOutcome call(McpTools tools, String name, String arguments) {
        return tools.execute(new ToolInvocation(name, arguments), ToolProgress.IGNORED);
    }

    private static String succeeded(ToolOutcome outcome) {
        assertThat(outcome).isInstanceOf(ToolOutcome.Succeeded.class);
        return ((ToolOutcome.Succeeded) outcome).output();
    }

    private static String failed(ToolOutcome outcome) {
        assertThat(outcome).isInstanceOf(ToolOutcome.Failed.class);
        return ((ToolOutcome.Failed) outcome).error();
    }

    @Test
    void a_servers_tools_are_listed_as_server_slash_tool_under_a_model_name_with_their_schemas() {
        // when
        McpTools tools = connected(TestServers.everything("everything"));

        // then
        ToolDefinition echo = tools.definitions().stream().filter(tool -> tool.name().equals("everything__echo")).findFirst().orElseThrow();
        assertThat(echo.listedAs()).isEqualTo("everything/echo");
        assertThat(echo.server()).contains("everything");
        assertThat(echo.description()).isEqualTo("Echoes back the input string");
        assertThat(echo.parametersSchema()).contains("\"type\":\"object\"").contains("\"message\"");
        assertThat(tools.definitions()).extracting(ToolDefinition::name)
                .contains("everything__get-sum", "everything__trigger-long-running-operation")
                .allMatch(name -> name.matches("[A-Za-z0-9_-]{1,64}"));
        assertThat(tools.sources()).containsExactly(new ToolSource("everything", java.util.Optional.empty(), tools.definitions().size()));
    }

    @Test
    void each_call_to_a_server_is_watched_with_its_server_tool_and_transport_and_a_failed_one_as_a_tool_error() {
        // given
        McpTools tools = connected(TestServers.testServer("test"));
        List<Work.ToolServerCall> begun = new CopyOnWriteArrayList<>();
        List<Outcome> ended = new CopyOnWriteArrayList<>();
        tools.watchedBy(new Telemetry() {
            @Override
            public Observation begin(Work work, Observation parent) {
                begun.add((Work.ToolServerCall) work);
                return new Observation() {
                    @Override
                    public void end(Outcome outcome) {
                        ended.add(outcome);
                    }
                };
            }

            @Override
            public Observation current() {
                return Observation.NONE;
            }
        });

        // when
        succeeded(call(tools, "test__record", "{\"text\": \"watched\"}"));
        failed(call(tools, "test__fail", "{}"));
        failed(call(tools, "test__record", "{}"));

        // then: the call refused by its schema never reached the server
        assertThat(begun).containsExactly(
                new Work.ToolServerCall("test", "tools/call", Optional.of("record"), "pipe"),
                new Work.ToolServerCall("test", "tools/call", Optional.of("fail"), "pipe"));
        assertThat(ended).containsExactly(Outcome.DONE, Outcome.failed("tool_error"));
    }

    @Test
    void a_calls_text_output_is_the_outcome() {
        // given
        McpTools tools = connected(TestServers.everything("everything"));

        // when / then
        assertThat(succeeded(call(tools, "everything__echo", "{\"message\": \"hello\"}"))).isEqualTo("Echo: hello");
        assertThat(succeeded(call(tools, "everything__get-sum", "{\"a\": 2, \"b\": 3}"))).contains("5");
    }

    @Test
    void structured_content_is_output_once_as_json_and_other_content_is_summarised() {
        // given
        McpTools tools = connected(TestServers.everything("everything"));

        // when
        String weather = succeeded(call(tools, "everything__get-structured-content", "{\"location\": \"Chicago\"}"));
        String image = succeeded(call(tools, "everything__get-tiny-image", "{}"));

        // then
        assertThat(weather).contains("\"temperature\"");
        assertThat(weather.indexOf("\"temperature\"")).isEqualTo(weather.lastIndexOf("\"temperature\""));
        assertThat(image).containsPattern("\\[image: image/png, [1-9][0-9]* bytes]");
    }

    @Test
    void arguments_that_fail_the_schema_fail_naming_the_violation_without_calling_the_server() {
        // given
        McpTools tools = connected(TestServers.testServer("test"));

        // when
        String wrongType = failed(call(tools, "test__record", "{\"text\": 3}"));
        String missing = failed(call(tools, "test__record", "{}"));

        // then
        assertThat(wrongType).contains("input schema").contains("text");
        assertThat(missing).contains("input schema").contains("text");
        assertThat(succeeded(call(tools, "test__counts", "{}"))).contains("\"recorded\":0");
        assertThat(succeeded(call(tools, "test__record", "{\"text\": \"x\"}"))).isEqualTo("recorded: x");
        assertThat(succeeded(call(tools, "test__counts", "{}"))).contains("\"recorded\":1");
    }

    @Test
    void each_tools_arguments_are_checked_against_its_own_schema_even_when_another_looks_alike() {
        // given: pair-a takes {a: string, b: number}, pair-b {a: number, b: string}, both requiring a
        McpTools tools = connected(TestServers.testServer("test"));

        // when
        String a = succeeded(call(tools, "test__pair-a", "{\"a\": \"x\", \"b\": 1}"));
        String b = succeeded(call(tools, "test__pair-b", "{\"a\": 1, \"b\": \"x\"}"));

        // then
        assertThat(a).isEqualTo("pair-a");
        assertThat(b).isEqualTo("pair-b");
        assertThat(failed(call(tools, "test__pair-b", "{\"a\": \"x\", \"b\": 1}"))).contains("input schema");
        assertThat(failed(call(tools, "test__pair-a", "{\"a\": 1, \"b\": \"x\"}"))).contains("input schema");
    }

    @Test
    void progress_notifications_are_reported_with_their_counts() {
        // given
        McpTools tools = connected(TestServers.everything("everything"));
        List<String> reports = Collections.synchronizedList(new ArrayList<>());

        // when
        ToolOutcome outcome = tools.execute(new ToolInvocation("everything__trigger-long-running-operation",
                "{\"duration\": 0.4, \"steps\": 2}"), reports::add);

        // then
        assertThat(succeeded(outcome)).contains("completed");
        assertThat(reports).containsExactly("1/2", "2/2");
    }

    @Test
    void an_interrupted_call_returns_promptly_and_the_server_is_told_to_cancel_it() throws Exception {
        // given: a call the server runs until it is cancelled, running now
        McpTools tools = connected(TestServers.testServer("test"));
        CountDownLatch running = new CountDownLatch(1);
        AtomicBoolean interruptKept = new AtomicBoolean();
        CompletableFuture<ToolOutcome> outcome = new CompletableFuture<>();
        Thread caller = Thread.ofVirtual().start(() -> {
            outcome.complete(tools.execute(new ToolInvocation("test__wait", "{\"seconds\": 60}"), report -> running.countDown()));
            interruptKept.set(Thread.currentThread().isInterrupted());
        });
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();

        // when
        caller.interrupt();

        // then
        assertThat(failed(outcome.get(5, TimeUnit.SECONDS))).contains("stopped");
        caller.join(Duration.ofSeconds(5));
        assertThat(interruptKept).isTrue();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> succeeded(call(tools, "test__counts", "{}")).contains("\"cancelled\":1"));
    }

    @Test
    void a_call_on_a_thread_already_interrupted_fails_without_reaching_the_server() throws Exception {
        // given
        McpTools tools = connected(TestServers.testServer("test"));
        CompletableFuture<ToolOutcome> outcome = new CompletableFuture<>();
        AtomicBoolean interruptKept = new AtomicBoolean();

        // when: the caller's time ran out before the call began
        Thread caller = Thread.ofVirtual().start(() -> {
            Thread.currentThread().interrupt();
            outcome.complete(call(tools, "test__record", "{\"text\": \"late\"}"));
            interruptKept.set(Thread.currentThread().isInterrupted());
        });

        // then
        assertThat(failed(outcome.get(5, TimeUnit.SECONDS))).contains("stopped");
        caller.join(Duration.ofSeconds(5));
        assertThat(interruptKept).isTrue();
        assertThat(succeeded(call(tools, "test__counts", "{}"))).contains("\"recorded\":0");
    }

    @Test
    void an_error_result_is_a_failure_with_its_text() {
        // given
        McpTools tools = connected(TestServers.testServer("test"));

        // when / then
        assertThat(failed(call(tools, "test__fail", "{}"))).isEqualTo("the disk is full");
    }

    @Test
    void tools_added_while_a_server_runs_are_listed_when_it_says_its_list_changed() {
        // given
        McpTools tools = connected(TestServers.testServer("test"));
        assertThat(tools.definitions()).extracting(ToolDefinition::name).doesNotContain("test__late");

        // when
        succeeded(call(tools, "test__add-tool", "{\"name\": \"late\"}"));

        // then
        await().atMost(Duration.ofSeconds(10))
                .until(() -> tools.definitions().stream().anyMatch(tool -> tool.name().equals("test__late")));
        assertThat(succeeded(call(tools, "test__late", "{}"))).isEqualTo("late");
    }

    @Test
    void a_listener_is_told_the_tools_a_server_lists_when_it_connects_and_again_when_its_list_changes() throws Exception {
        // given
        McpTools tools = connect(TestServers.testServer("test"));
        BlockingQueue<McpTools.Listed> told = new LinkedBlockingQueue<>();

        // when: listening, whether the server has connected yet or not
        tools.whenListed(told::add);

        // then
        McpTools.Listed connected = told.poll(CONNECTED.toSeconds(), TimeUnit.SECONDS);
        assertThat(connected).isNotNull();
        assertThat(connected.server()).isEqualTo("test");
        assertThat(connected.tools()).contains("record", "wait").doesNotContain("late");

        // and when its list changes
        succeeded(call(tools, "test__add-tool", "{\"name\": \"late\"}"));

        // then
        McpTools.Listed changed = told.poll(10, TimeUnit.SECONDS);
        assertThat(changed).isNotNull();
        assertThat(changed.tools()).contains("record", "late");
        assertThat(told).isEmpty();
    }

    @Test
    void a_long_description_is_cut_to_1024_and_a_tool_whose_schema_is_over_16384_is_left_out() {
        // given
        McpTools tools = connected(TestServers.testServer("test"));

        // when
        succeeded(call(tools, "test__add-tool", "{\"name\": \"wordy\", \"description\": \"" + "word ".repeat(400) + "\"}"));
        succeeded(call(tools, "test__add-tool", "{\"name\": \"huge\", \"parameters\": 600}"));
        succeeded(call(tools, "test__add-tool", "{\"name\": \"last\"}"));

        // then
        await().atMost(Duration.ofSeconds(10))
                .until(() -> tools.definitions().stream().anyMatch(tool -> tool.name().equals("test__last")));
        assertThat(tools.definitions()).filteredOn(tool -> tool.name().equals("test__wordy")).singleElement()
                .satisfies(wordy -> assertThat(wordy.description()).hasSize(1_024).startsWith("word word"));
        assertThat(tools.definitions()).extracting(ToolDefinition::name).doesNotContain("test__huge");
    }

    @Test
    void a_remote_servers_headers_are_sent_with_variables_from_the_environment(@TempDir Path folder) throws Exception {
        // given: an endpoint that records the Authorization header and is not an MCP server
        HttpServer endpoint = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        BlockingQueue<String> authorizations = new LinkedBlockingQueue<>();
        endpoint.createContext("/mcp", exchange -> {
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
        });
        endpoint.start();
        opened.add(() -> endpoint.stop(0));
        Path file = Files.writeString(folder.resolve("mcp.json"), """
                {"mcpServers": {"remote": {"url": "http://127.0.0.1:%d/mcp", "headers": {"Authorization": "Bearer ${TOKEN}"}}}}"""
                .formatted(endpoint.getAddress().getPort()));

        // when
        McpTools tools = McpTools.connect(McpServers.read(file, Map.of("TOKEN", "s3cret")), Clock.system());
        opened.add(tools);

        // then
        assertThat(authorizations.poll(10, TimeUnit.SECONDS)).isEqualTo("Bearer s3cret");
        await().atMost(CONNECTED).until(() -> tools.sources().getFirst().problem()
                .filter(problem -> !problem.equals("not connected yet")).isPresent());
        assertThat(tools.sources().getFirst().problem()).hasValueSatisfying(problem -> assertThat(problem).contains("503"));
    }

    @Test
    void two_servers_with_the_same_tools_give_them_distinct_names_over_stdio_and_streamable_http() {
        // given
        TestServers.HttpServer remote = TestServers.everythingOverHttp(TestServers.freePort());
        opened.add(remote);

        // when
        McpTools tools = connected(TestServers.everything("local"),
                new McpServer.Http("remote", remote.url(), Map.of("X-Test", "agentchat")));

        // then
        assertThat(tools.definitions()).extracting(ToolDefinition::name, ToolDefinition::listedAs)
                .contains(org.assertj.core.groups.Tuple.tuple("local__echo", "local/echo"),
                        org.assertj.core.groups.Tuple.tuple("remote__echo", "remote/echo"));
        assertThat(tools.definitions()).extracting(ToolDefinition::name).doesNotHaveDuplicates();
        assertThat(succeeded(call(tools, "local__echo", "{\"message\": \"here\"}"))).isEqualTo("Echo: here");
        assertThat(succeeded(call(tools, "remote__echo", "{\"message\": \"there\"}"))).isEqualTo("Echo: there");
    }

    @Test
    void a_server_that_cannot_start_is_a_source_with_its_problem_and_no_tools() {
        // when
        McpTools tools = connect(new McpServer.Stdio("broken", "/nonexistent/agentchat-no-such-server", List.of(), Map.of()),
                TestServers.everything("everything"));

        // then
        await().atMost(CONNECTED).until(() -> tools.sources().get(1).reachable()
                && tools.sources().getFirst().problem().filter(problem -> !problem.equals("not connected yet")).isPresent());
        ToolSource broken = tools.sources().getFirst();
        assertThat(broken.name()).isEqualTo("broken");
        assertThat(broken.problem()).hasValueSatisfying(problem -> assertThat(problem).isNotBlank().isNotEqualTo("not connected yet"));
        assertThat(broken.tools()).isZero();
        assertThat(tools.definitions()).allMatch(tool -> tool.server().orElseThrow().equals("everything")).isNotEmpty();
    }

    @Test
    void a_local_server_that_cannot_start_is_said_to_by_its_program_without_its_arguments_which_may_hold_secrets() {
        // given: arguments that hold a secret, as one from the environment would
        String secret = "s3cret-Passw0rd";
        McpServer.Stdio broken = new McpServer.Stdio("broken", "/nonexistent/agentchat-no-such-server",
                List.of("--database", "postgres://app:" + secret + "@db/app"), Map.of());

        // when
        McpTools tools = connect(broken);

        // then
        await().atMost(CONNECTED).until(() -> tools.sources().getFirst().problem()
                .filter(problem -> !problem.equals("not connected yet")).isPresent());
        assertThat(tools.sources().getFirst().problem()).hasValueSatisfying(problem -> assertThat(problem)
                .contains("could not be started", "agentchat-no-such-server")
                .doesNotContain(secret, "--database")
                .hasSizeLessThanOrEqualTo(300));
    }

    @Test
    void a_remote_server_down_at_start_is_connected_by_a_retry_once_it_is_up() {
        // given: nothing listens on the port yet
        int port = TestServers.freePort();
        McpTools tools = connect(new McpServer.Http("late", TestServers.url(port), Map.of()));
        await().atMost(CONNECTED).until(() -> tools.sources().getFirst().problem()
                .filter(problem -> !problem.equals("not connected yet")).isPresent());
        assertThat(tools.definitions()).isEmpty();
        assertThat(failed(call(tools, "late__echo", "{}"))).contains("late__echo");

        // when
        opened.add(TestServers.everythingOverHttp(port));

        // then
        await().atMost(CONNECTED).until(() -> tools.sources().getFirst().reachable());
        assertThat(succeeded(call(tools, "late__echo", "{\"message\": \"up\"}"))).isEqualTo("Echo: up");
    }

    @Test
    void a_local_server_whose_process_ends_fails_the_calls_in_flight_and_is_started_again() throws Exception {
        // given: a call in flight
        McpTools tools = connected(TestServers.testServer("test"));
        succeeded(call(tools, "test__record", "{\"text\": \"before\"}"));
        CountDownLatch running = new CountDownLatch(1);
        CompletableFuture<ToolOutcome> waiting = CompletableFuture.supplyAsync(() -> tools.execute(
                new ToolInvocation("test__wait", "{\"seconds\": 60}"), report -> running.countDown()), VIRTUAL);
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();

        // when: the process ends under a call of its own
        CompletableFuture<ToolOutcome> exiting = CompletableFuture.supplyAsync(() -> call(tools, "test__exit", "{}"), VIRTUAL);

        // then
        assertThat(failed(exiting.get(10, TimeUnit.SECONDS))).contains("the server test is not reachable").contains("process ended");
        assertThat(failed(waiting.get(10, TimeUnit.SECONDS))).contains("the server test is not reachable").contains("process ended");
        await().atMost(CONNECTED).until(() -> tools.sources().getFirst().reachable());
        assertThat(succeeded(call(tools, "test__counts", "{}"))).as("a new process").contains("\"recorded\":0");
    }

    @Test
    void a_local_server_that_stopped_being_understood_is_found_out_by_a_ping_after_a_stopped_call_and_started_again()
            throws Exception {
        // given: the server printed a line that is not JSON-RPC under a call, so its answers are no longer read
        McpTools tools = connected(TestServers.testServer("test"));
        succeeded(call(tools, "test__record", "{\"text\": \"before\"}"));
        CountDownLatch printing = new CountDownLatch(1);
        CompletableFuture<ToolOutcome> junk = new CompletableFuture<>();
        Thread caller = Thread.ofVirtual().start(() -> junk.complete(tools.execute(
                new ToolInvocation("test__print-junk", "{\"line\": \"this line is not JSON\"}"), report -> printing.countDown())));
        assertThat(printing.await(10, TimeUnit.SECONDS)).isTrue();

        // when: the caller's time runs out
        caller.interrupt();

        // then
        assertThat(failed(junk.get(5, TimeUnit.SECONDS))).contains("stopped");
        await().atMost(CONNECTED).until(() -> answersWithin(Duration.ofSeconds(3), () -> call(tools, "test__counts", "{}")));
        assertThat(succeeded(call(tools, "test__counts", "{}"))).as("a new process").contains("\"recorded\":0");
        assertThat(succeeded(call(tools, "test__record", "{\"text\": \"after\"}"))).isEqualTo("recorded: after");
    }

    /** Whether {@code call} succeeds within {@code limit}; one that does not is stopped. */
    private static boolean answersWithin(Duration limit, java.util.function.Supplier<ToolOutcome> call) throws Exception {
        CompletableFuture<ToolOutcome> outcome = new CompletableFuture<>();
        Thread caller = Thread.ofVirtual().start(() -> outcome.complete(call.get()));
        try {
            return outcome.get(limit.toMillis(), TimeUnit.MILLISECONDS) instanceof ToolOutcome.Succeeded;
        } catch (java.util.concurrent.TimeoutException e) {
            caller.interrupt();
            return false;
        }
    }

    @Test
    void a_call_on_a_session_the_remote_server_no_longer_knows_is_made_again_on_a_new_session() {
        // given: a session with a server that then restarts, forgetting its sessions
        int port = TestServers.freePort();
        TestServers.HttpServer first = TestServers.everythingOverHttp(port);
        McpTools tools = connected(new McpServer.Http("remote", TestServers.url(port), Map.of()));
        assertThat(succeeded(call(tools, "remote__echo", "{\"message\": \"one\"}"))).isEqualTo("Echo: one");
        first.close();
        opened.add(TestServers.everythingOverHttp(port));

        // when
        ToolOutcome outcome = call(tools, "remote__echo", "{\"message\": \"two\"}");

        // then
        assertThat(succeeded(outcome)).isEqualTo("Echo: two");
    }

    @Test
    void a_remote_server_that_goes_down_fails_the_call_is_shown_down_and_is_connected_again_when_back() {
        // given
        int port = TestServers.freePort();
        TestServers.HttpServer first = TestServers.everythingOverHttp(port);
        McpTools tools = connected(new McpServer.Http("remote", TestServers.url(port), Map.of()));
        first.close();

        // when
        String failure = failed(call(tools, "remote__echo", "{\"message\": \"anyone?\"}"));

        // then
        assertThat(failure).contains("the server remote is not reachable");
        assertThat(tools.sources().getFirst().reachable()).isFalse();
        assertThat(tools.definitions()).isEmpty();
        opened.add(TestServers.everythingOverHttp(port));
        await().atMost(CONNECTED).until(() -> tools.sources().getFirst().reachable());
        assertThat(succeeded(call(tools, "remote__echo", "{\"message\": \"back\"}"))).isEqualTo("Echo: back");
    }

    @Test
    void a_remote_server_gone_while_idle_is_shown_unreachable_without_a_call_and_its_tools_come_back_when_it_answers() {
        // given: a connected server, pinged every 200 ms
        int port = TestServers.freePort();
        TestServers.HttpServer first = TestServers.everythingOverHttp(port);
        McpTools tools = McpTools.connect(new McpServers(List.of(new McpServer.Http("remote", TestServers.url(port), Map.of()))),
                Clock.system(), Duration.ofMillis(200));
        opened.add(tools);
        await().atMost(CONNECTED).until(() -> tools.sources().getFirst().reachable());
        assertThat(tools.definitions()).extracting(ToolDefinition::name).contains("remote__echo");

        // when: it stops, and nothing calls it
        first.close();

        // then
        await().atMost(CONNECTED).until(() -> !tools.sources().getFirst().reachable());
        assertThat(tools.sources().getFirst().problem()).hasValueSatisfying(problem -> assertThat(problem).isNotBlank());
        assertThat(tools.sources().getFirst().tools()).isZero();
        assertThat(tools.definitions()).isEmpty();

        // and when it is back
        opened.add(TestServers.everythingOverHttp(port));

        // then
        await().atMost(CONNECTED).until(() -> tools.sources().getFirst().reachable());
        assertThat(tools.definitions()).extracting(ToolDefinition::name).contains("remote__echo");
        assertThat(succeeded(call(tools, "remote__echo", "{\"message\": \"back\"}"))).isEqualTo("Echo: back");
    }

    @Test
    void a_remote_call_whose_connection_breaks_fails_alone_while_a_call_beside_it_completes() throws Exception {
        // given: a call in flight on a remote server
        int port = TestServers.freePort();
        opened.add(TestServers.testServerOverHttp(port));
        McpTools tools = connected(new McpServer.Http("remote", TestServers.url(port), Map.of()));
        CountDownLatch running = new CountDownLatch(1);
        CompletableFuture<ToolOutcome> waiting = CompletableFuture.supplyAsync(() -> tools.execute(
                new ToolInvocation("remote__wait", "{\"seconds\": 5}"), report -> running.countDown()), VIRTUAL);
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();

        // when: the server cuts the connection of another call
        String dropped = failed(call(tools, "remote__drop", "{\"why\": \"a test\"}"));

        // then
        assertThat(dropped).contains("connection to the server remote broke during the call of drop");
        assertThat(tools.sources().getFirst().reachable()).isTrue();
        assertThat(succeeded(waiting.get(30, TimeUnit.SECONDS))).isEqualTo("waited");
        assertThat(succeeded(call(tools, "remote__record", "{\"text\": \"after\"}"))).isEqualTo("recorded: after");
        assertThat(succeeded(call(tools, "remote__counts", "{}"))).as("the same session").contains("\"recorded\":1");
    }

    @Test
    void a_session_the_remote_server_forgot_is_set_up_again_once_and_a_call_still_waiting_on_it_fails_saying_so()
            throws Exception {
        // given: a call waiting on a session the server then forgets
        int port = TestServers.freePort();
        opened.add(TestServers.testServerOverHttp(port));
        McpTools tools = connected(new McpServer.Http("remote", TestServers.url(port), Map.of()));
        CountDownLatch running = new CountDownLatch(1);
        CompletableFuture<ToolOutcome> waiting = CompletableFuture.supplyAsync(() -> tools.execute(
                new ToolInvocation("remote__wait", "{\"seconds\": 60}"), report -> running.countDown()), VIRTUAL);
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(succeeded(call(tools, "remote__forget-session", "{}"))).isEqualTo("forgotten");

        // when: the next call is refused for the session, and made again on a new one
        String recorded = succeeded(call(tools, "remote__record", "{\"text\": \"again\"}"));

        // then
        assertThat(recorded).isEqualTo("recorded: again");
        assertThat(failed(waiting.get(10, TimeUnit.SECONDS)))
                .contains("the session with the server remote ended during the call of wait").contains("not made again");
        assertThat(tools.sources().getFirst().reachable()).isTrue();
        assertThat(succeeded(call(tools, "remote__counts", "{}"))).contains("\"recorded\":1").contains("\"sessions\":2");
    }

    @Test
    void closing_ends_the_sessions_and_offers_no_tools() {
        // given
        McpTools tools = connected(TestServers.testServer("test"));

        // when
        tools.close();

        // then
        assertThat(tools.definitions()).isEmpty();
        assertThat(tools.sources()).allSatisfy(source -> assertThat(source.reachable()).isFalse());
    }
}
