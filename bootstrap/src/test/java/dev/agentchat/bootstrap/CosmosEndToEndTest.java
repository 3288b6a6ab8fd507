package dev.agentchat.bootstrap;

import static dev.agentchat.bootstrap.ServiceUnderTest.body;
import static dev.agentchat.bootstrap.ServiceUnderTest.parse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentchat.adapter.cosmos.CosmosSettings;
import dev.agentchat.adapter.cosmos.CosmosStores;
import dev.agentchat.adapter.cosmos.CosmosTestServer;
import dev.agentchat.adapter.memory.model.Reply;
import dev.agentchat.adapter.memory.tool.ScriptedToolRuntime;
import dev.agentchat.domain.agent.AgentId;
import dev.agentchat.domain.chat.ChatEvent;
import dev.agentchat.domain.chat.FinishReason;
import dev.agentchat.domain.chat.RunEvent;
import dev.agentchat.domain.message.Message;
import dev.agentchat.domain.message.MessageId;
import dev.agentchat.domain.run.Run;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.thread.ChatThread;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.domain.thread.UserId;
import dev.agentchat.domain.usage.Usage;
import dev.agentchat.ports.tool.ToolOutcome;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The service on Cosmos DB: what a turn stored is read back unchanged by a service started afresh. */
class CosmosEndToEndTest {
    private final Map<String, String> cosmos = Map.of(
            "COSMOS_ENDPOINT", CosmosTestServer.endpoint(),
            "COSMOS_KEY", CosmosTestServer.key(),
            "COSMOS_DATABASE_NAME", "agentchat-e2e-" + UUID.randomUUID());

    @Test
    void a_turn_with_a_tool_call_reads_back_unchanged_after_the_service_restarts() {
        ScriptedToolRuntime tools = new ScriptedToolRuntime().tool("search_knowledge_base",
                (args, progress) -> new ToolOutcome.Succeeded("[{\"title\":\"Backup and restore\"}]"));
        String threadId;
        String before;
        try (ServiceUnderTest first = new ServiceUnderTest(cosmos, onCosmos(tools))) {
            first.model.reply(Reply.builder().toolCall("call_1", "search_knowledge_base", "{\"query\":\"restore\"}")
                            .usage(Usage.reported(50, 5)).finish(FinishReason.TOOL_CALLS).build())
                    .reply(Reply.builder().text("Restore from the ").text("latest backup.").usage(Usage.reported(80, 6))
                            .finish(FinishReason.STOP).build());
            JsonNode done = first.chatToDone("support-triage", body("message", "How do I restore my database?"));
            threadId = done.get("thread_id").asText();
            before = first.get("/api/agents/support-triage/threads/" + threadId).body();
        }

        try (ServiceUnderTest second = new ServiceUnderTest(cosmos, onCosmos(tools))) {
            String after = second.get("/api/agents/support-triage/threads/" + threadId).body();

            assertThat(after).isEqualTo(before);
            JsonNode thread = parse(after);
            assertThat(thread.get("messages")).hasSize(2);
            assertThat(thread.get("messages").get(1).get("content").asText()).isEqualTo("Restore from the latest backup.");
            JsonNode run = thread.get("runs").get(0);
            assertThat(run.get("status").asText()).isEqualTo("completed");
            assertThat(run.get("usage").get("total_tokens").asLong()).isEqualTo(141);
            assertThat(run.get("steps")).hasSize(3);
            assertThat(parse(second.get("/api/agents/support-triage/threads").body()).get("total").asLong()).isEqualTo(1);
        }
    }

    @Test
    void a_turn_writes_the_same_number_of_records_however_long_its_answer() {
        ScriptedToolRuntime tools = new ScriptedToolRuntime().tool("search_knowledge_base",
                (args, progress) -> new ToolOutcome.Succeeded("[]"));
        try (ServiceUnderTest service = new ServiceUnderTest(cosmos, onCosmos(tools))) {
            service.model.reply(Reply.text("Short."));
            long shortTurn = writesOf(() -> service.chatToDone("support-triage", body("message", "a")));
            String[] pieces = new String[500];
            java.util.Arrays.fill(pieces, "word ");
            service.model.reply(Reply.text(pieces));
            long longTurn = writesOf(() -> service.chatToDone("support-triage", body("message", "b")));
            service.model.reply(Reply.builder().toolCall("c1", "search_knowledge_base", "{}").finish(FinishReason.TOOL_CALLS).build())
                    .reply(Reply.text("Done."));
            long toolTurn = writesOf(() -> service.chatToDone("support-triage", body("message", "c")));

            // thread, run, user message, model call step, answer, run end, thread freed; a tool call adds
            // its step twice and a second model call's step. (The event log is not counted here: its
            // writes follow the run's duration, one per flush interval, not its length.)
            assertThat(shortTurn).isEqualTo(7);
            assertThat(longTurn).isEqualTo(shortTurn);
            assertThat(toolTurn).isEqualTo(10);
            assertThat(stores.charges().total()).as("request units are reported").isPositive();
        }
    }

    @Test
    void a_pause_for_approval_writes_two_records_and_an_approved_call_one_more_and_nothing_while_it_waits() {
        ScriptedToolRuntime tools = new ScriptedToolRuntime()
                .tool("calculator", (args, progress) -> new ToolOutcome.Succeeded("84"))
                .tool("current_time", (args, progress) -> new ToolOutcome.Succeeded("noon"));
        try (ServiceUnderTest service = new ServiceUnderTest(cosmos, onCosmos(tools))) {
            Reply asks = Reply.builder().toolCall("c1", "calculator", "{\"expression\":\"12 * 7\"}")
                    .finish(FinishReason.TOOL_CALLS).build();
            service.model.reply(asks).reply(Reply.text("Done."));
            long unpaused = writesOf(() -> service.chatToDone("business-impact", body("message", "a")));
            service.model.reply(asks).reply(Reply.text("Done."));
            long[] whileWaiting = new long[1];
            long approved = writesOf(() -> decidedTurn(service, true, whileWaiting));
            service.model.reply(asks).reply(Reply.text("Done."));
            long denied = writesOf(() -> decidedTurn(service, false, new long[1]));

            // the run to requires_action and back; the approved call's step once more (awaiting, running, done)
            assertThat(unpaused).isEqualTo(10);
            assertThat(approved).isEqualTo(13);
            assertThat(denied).as("a denied call is created and ended, as any call").isEqualTo(12);
            assertThat(whileWaiting[0]).as("writes while the run waits").isZero();
        }
    }

    /** A turn of ops-assistant whose call waits, is decided, and finishes; what the store took while it waited. */
    private void decidedTurn(ServiceUnderTest service, boolean approve, long[] writtenWhileWaiting) {
        try (SseStream stream = service.chat("ops-assistant", body("message", "What is 12 * 7?"))) {
            SseStream.Frame asked = stream.nextEvents(1).getFirst();
            assertThat(asked.type()).isEqualTo("approval_required");
            String run = "/api/agents/ops-assistant/threads/" + stream.header("X-Thread-Id") + "/runs/"
                    + stream.header("X-Run-Id");
            long paused = stores.charges().writes();
            assertThat(parse(service.get(run).body()).get("status").asText()).isEqualTo("requires_action");
            // It waits a while: two heartbeats (one per half interval of silence), and nothing but them.
            for (int beats = 0; beats < 2; beats++) {
                assertThat(stream.next(java.time.Duration.ofSeconds(5)).type()).isEqualTo("heartbeat");
            }
            writtenWhileWaiting[0] = stores.charges().writes() - paused;
            java.net.http.HttpResponse<String> decided = service.postJson(run + "/approvals", "{\"decisions\":["
                    + body("step_id", asked.data().get("step_id").asText(), "approved", approve) + "]}");
            assertThat(decided.statusCode()).as(decided.body()).isEqualTo(200);
            stream.readToEnd().last("done");
        }
    }

    @Test
    void another_instance_on_the_same_account_streams_the_rest_of_a_run_it_does_not_execute() {
        Map<String, String> quickFlush = new java.util.HashMap<>(cosmos);
        quickFlush.put("EVENT_FLUSH_MS", "50");
        ScriptedToolRuntime tools = new ScriptedToolRuntime();
        try (ServiceUnderTest running = new ServiceUnderTest(quickFlush, onCosmosWithRunRecords(tools));
             ServiceUnderTest other = new ServiceUnderTest(quickFlush, onCosmosWithRunRecords(tools))) {
            Reply.Builder slow = Reply.builder();
            StringBuilder expected = new StringBuilder();
            for (int i = 1; i <= 8; i++) {
                slow.text("w" + i + " ").pause(java.time.Duration.ofMillis(100));
                expected.append("w").append(i).append(' ');
            }
            running.model.reply(slow.finish(FinishReason.STOP).build());

            String threadId;
            String runId;
            String seen;
            try (SseStream stream = running.chat("support-triage", body("message", "Slowly, please"))) {
                threadId = stream.header("X-Thread-Id");
                runId = stream.header("X-Run-Id");
                SseStream.Frame first = stream.next(java.time.Duration.ofSeconds(10));
                SseStream.Frame second = stream.next(java.time.Duration.ofSeconds(10));
                assertThat(java.util.List.of(first.id(), second.id())).containsExactly("1", "2");
                seen = first.data().get("content").asText() + second.data().get("content").asText();
            }

            SseStream.Frames rest;
            try (SseStream resumed = other.events("support-triage", threadId, runId, "2", null)) {
                assertThat(resumed.response.statusCode()).isEqualTo(200);
                rest = resumed.readToEnd();
            }

            java.util.List<Long> ids = rest.ids();
            assertThat(ids).containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(3, ids.getLast()).boxed().toList());
            assertThat(seen + rest.tokens()).isEqualTo(expected.toString());
            assertThat(rest.last("done").get("run_id").asText()).isEqualTo(runId);
            assertThat(other.model.requests()).isEmpty();
        }
    }

    @Test
    void a_run_left_by_a_crashed_instance_is_ended_by_the_next_one_and_an_idempotent_retry_finds_its_run()
            throws InterruptedException {
        // given what an instance that crashed mid-answer leaves in the shared account
        java.time.Instant longAgo = java.time.Instant.now().minus(java.time.Duration.ofHours(1));
        ThreadId threadId = ThreadId.of("thread_" + UUID.randomUUID().toString().replace("-", ""));
        RunId runId = RunId.of("run_" + UUID.randomUUID().toString().replace("-", ""));
        CosmosStores crashed = CosmosStores.connect(CosmosSettings.from(name -> java.util.Optional.ofNullable(cosmos.get(name)))
                .orElseThrow());
        crashed.threads().create(ChatThread.open(threadId, AgentId.of("support-triage"), UserId.ANONYMOUS, "Question",
                runId, longAgo));
        Message question = Message.fromUser(MessageId.of("msg_" + UUID.randomUUID().toString().replace("-", "")), threadId,
                runId, "Question", longAgo);
        crashed.messages().append(question);
        crashed.runs().create(Run.queue(runId, threadId, new dev.agentchat.domain.thread.ThreadScope(AgentId.of("support-triage"), UserId.ANONYMOUS), 1, question.id(), longAgo)
                .start(longAgo).state());
        crashed.events().append(threadId, runId, java.util.List.of(
                new RunEvent(1, new ChatEvent.Token("Half an ", longAgo)),
                new RunEvent(2, new ChatEvent.Token("answer", longAgo))), java.time.Instant.now().plusSeconds(3_600));
        Map<String, String> shortRuns = new java.util.HashMap<>(cosmos);
        shortRuns.put("MAX_RUN_SECONDS", "1");
        shortRuns.put("ABANDONED_RUN_GRACE_SECONDS", "1");

        // when the next instance starts on the same account
        try (ServiceUnderTest next = new ServiceUnderTest(shortRuns, onCosmosWithRunRecords(new ScriptedToolRuntime()))) {
            next.model.reply(Reply.text("A fresh answer."));
            Await.read(() -> crashed.runs().find(threadId, runId).orElseThrow().status().isTerminal(), Boolean::booleanValue,
                    java.time.Duration.ofSeconds(15));

            // then the run is ended with what it had said, and the thread takes messages again
            Run ended = crashed.runs().find(threadId, runId).orElseThrow();
            assertThat(ended.failure().code()).isEqualTo("run_abandoned");
            SseStream.Frames replay;
            try (SseStream stream = next.events("support-triage", threadId.value(), runId.value(), null, null)) {
                replay = stream.readToEnd();
            }
            assertThat(replay.ids()).as("the end is numbered past every id the dead instance may have sent")
                    .containsExactly(1L, 2L, dev.agentchat.domain.chat.EventIdReservation.BLOCK + 1);
            assertThat(replay.last("error").get("code").asText()).isEqualTo("run_abandoned");
            String request = body("message", "Still there?", "thread_id", threadId.value());
            SseStream.Frames answered;
            try (SseStream stream = next.chat("support-triage", request, "Idempotency-Key", "cosmos-retry")) {
                answered = stream.readToEnd();
            }
            SseStream.Frames retried;
            try (SseStream stream = next.chat("support-triage", request, "Idempotency-Key", "cosmos-retry")) {
                retried = stream.readToEnd();
            }
            assertThat(answered.last("done").get("run_id").asText())
                    .isEqualTo(retried.last("done").get("run_id").asText());
            JsonNode thread = parse(next.get("/api/agents/support-triage/threads/" + threadId.value()).body());
            assertThat(thread.get("messages")).extracting(message -> message.get("content").asText())
                    .containsExactly("Question", "Half an answer", "Still there?", "A fresh answer.");
            assertThat(thread.get("messages").get(1).get("status").asText()).isEqualTo("incomplete");
        }
    }

    @Test
    void a_run_waiting_for_approval_outlives_its_killed_process_and_finishes_when_another_instance_is_told_to_go_on() {
        // given a run of ops-assistant waiting for its calculator to be approved, on a process that is then killed
        java.nio.file.Path log = java.nio.file.Path.of("target", "crash-recovery", "awaiting-approval-killed.log");
        String ops = "/api/agents/ops-assistant";
        String threadId;
        String runId;
        JsonNode asked;
        try (ServiceProcess first = ServiceProcess.start(cosmos, java.util.Optional.of(CrashMoment.AWAITING_APPROVAL), log)) {
            try (SseStream stream = first.chat("ops-assistant", body("message", "What is 12 * 7?"))) {
                threadId = stream.header("X-Thread-Id");
                runId = stream.header("X-Run-Id");
                SseStream.Frame waiting = stream.nextEvents(1).getFirst();
                assertThat(waiting.type()).isEqualTo("approval_required");
                assertThat(waiting.id()).isEqualTo("1");
                asked = waiting.data();
                first.kill();
            }
        }
        String run = ops + "/threads/" + threadId + "/runs/" + runId;

        // when another instance starts on the same account, and the owner approves through it
        ScriptedToolRuntime tools = new ScriptedToolRuntime()
                .tool("calculator", (arguments, progress) -> new ToolOutcome.Succeeded("84"))
                .tool("current_time", (arguments, progress) -> new ToolOutcome.Succeeded("noon"));
        try (ServiceUnderTest next = new ServiceUnderTest(cosmos, onCosmosWithRunRecords(tools))) {
            next.model.reply(Reply.text("12 * 7 is ", "84."));
            JsonNode stored = parse(next.get(run).body());
            assertThat(stored.get("status").asText()).isEqualTo("requires_action");
            assertThat(stored.get("pending_approvals")).singleElement()
                    .satisfies(pending -> assertThat(pending.get("step_id")).isEqualTo(asked.get("step_id")));

            java.net.http.HttpResponse<String> decided = next.postJson(run + "/approvals",
                    "{\"decisions\":[" + body("step_id", asked.get("step_id").asText(), "approved", true) + "]}");

            // then the run goes on there: the follower that saw the pause gets the rest, and the run is done
            assertThat(decided.statusCode()).as(decided.body()).isEqualTo(200);
            SseStream.Frames rest;
            try (SseStream resumed = next.events("ops-assistant", threadId, runId, "1", null)) {
                rest = resumed.readToEnd();
            }
            assertThat(rest.types()).startsWith("trace_start", "trace_end").endsWith("done");
            assertThat(rest.ids()).allMatch(id -> id > 1).isSorted();
            assertThat(rest.tokens()).isEqualTo("12 * 7 is 84.");
            JsonNode finished = parse(next.get(run).body());
            assertThat(finished.get("status").asText()).isEqualTo("completed");
            assertThat(finished.get("pending_approvals")).isEmpty();
            JsonNode thread = parse(next.get(ops + "/threads/" + threadId).body());
            assertThat(thread.get("messages")).extracting(message -> message.get("content").asText())
                    .containsExactly("What is 12 * 7?", "12 * 7 is 84.");
            assertThat(thread.get("active_run_id").isNull()).isTrue();
            assertThat(tools.invocations()).singleElement()
                    .satisfies(call -> assertThat(call.arguments()).isEqualTo("{\"expression\":\"12 * 7\"}"));
        }
    }

    @Test
    void a_restart_seeds_again_without_duplicating_agents_or_undoing_an_edit() {
        Map<String, String> withAdmin = new java.util.HashMap<>(cosmos);
        withAdmin.put("ADMIN_API_KEY", "k");
        ScriptedToolRuntime tools = new ScriptedToolRuntime();
        try (ServiceUnderTest first = new ServiceUnderTest(withAdmin, onCosmosWithAgents())) {
            var edited = first.send(java.net.http.HttpRequest.newBuilder(first.uri("/api/agents/news-digest"))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer k").header("If-Match", "\"1\"")
                    .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(body("name", "Edited digest", "instructions", "Short."))));
            assertThat(edited.statusCode()).isEqualTo(200);
        }

        try (ServiceUnderTest second = new ServiceUnderTest(withAdmin, onCosmosWithAgents())) {
            JsonNode agent = parse(second.get("/api/agents/news-digest").body());
            JsonNode all = parse(second.get("/api/agents?status=all").body());

            assertThat(agent.get("name").asText()).isEqualTo("Edited digest");
            assertThat(agent.get("version").asLong()).isEqualTo(2);
            assertThat(all.get("total").asLong()).isEqualTo(5);
        }
    }

    /** The service on Cosmos DB with its agents there too, seeded as at a real start-up. */
    private UnaryOperator<Components.Builder> onCosmosWithAgents() {
        return components -> {
            stores = CosmosStores.connect(CosmosSettings.from(name -> java.util.Optional.ofNullable(cosmos.get(name)))
                    .orElseThrow());
            return components.owning(stores)
                    .threads(stores.threads()).messages(stores.messages()).runs(stores.runs()).steps(stores.steps())
                    .agents(stores.agents(), Settings.forTests());
        };
    }

    private CosmosStores stores;

    private long writesOf(Runnable turn) {
        long before = stores.charges().writes();
        turn.run();
        return stores.charges().writes() - before;
    }

    /** The service on Cosmos DB with run events and idempotency keys there too, as several instances need them. */
    private UnaryOperator<Components.Builder> onCosmosWithRunRecords(ScriptedToolRuntime tools) {
        return components -> {
            CosmosStores own = CosmosStores.connect(CosmosSettings.from(name -> java.util.Optional.ofNullable(cosmos.get(name)))
                    .orElseThrow());
            return components.owning(own)
                    .threads(own.threads()).messages(own.messages()).runs(own.runs()).steps(own.steps())
                    .events(own.events()).idempotencyKeys(own.idempotencyKeys()).tools(tools);
        };
    }

    private UnaryOperator<Components.Builder> onCosmos(ScriptedToolRuntime tools) {
        return components -> {
            stores = CosmosStores.connect(CosmosSettings.from(name -> java.util.Optional.ofNullable(cosmos.get(name)))
                    .orElseThrow());
            return components.owning(stores)
                    .threads(stores.threads()).messages(stores.messages()).runs(stores.runs()).steps(stores.steps()).tools(tools);
        };
    }
}
