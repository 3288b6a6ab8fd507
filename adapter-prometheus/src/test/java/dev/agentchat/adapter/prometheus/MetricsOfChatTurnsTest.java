package dev.agentchat.adapter.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentchat.adapter.memory.agent.InMemoryAgentStore;
import dev.agentchat.adapter.memory.model.Reply;
import dev.agentchat.adapter.memory.model.ScriptedChatModel;
import dev.agentchat.adapter.memory.store.InMemoryEventLog;
import dev.agentchat.adapter.memory.store.InMemoryIdempotencyKeys;
import dev.agentchat.adapter.memory.store.InMemoryMessageStore;
import dev.agentchat.adapter.memory.store.InMemoryRunStore;
import dev.agentchat.adapter.memory.store.InMemoryStepStore;
import dev.agentchat.adapter.memory.store.InMemoryThreadStore;
import dev.agentchat.adapter.memory.tool.ScriptedToolRuntime;
import dev.agentchat.domain.agent.Agent;
import dev.agentchat.domain.agent.AgentId;
import dev.agentchat.domain.agent.AgentStatus;
import dev.agentchat.domain.agent.ModelSettings;
import dev.agentchat.domain.chat.FinishReason;
import dev.agentchat.domain.run.Run;
import dev.agentchat.domain.run.RunStatus;
import dev.agentchat.domain.thread.UserId;
import dev.agentchat.domain.usage.Usage;
import dev.agentchat.ports.chat.ChatCommand;
import dev.agentchat.ports.chat.ChatEventSink;
import dev.agentchat.ports.chat.ChatOutcome;
import dev.agentchat.ports.chat.ChatService;
import dev.agentchat.ports.chat.ChatSettings;
import dev.agentchat.ports.chat.TurnContext;
import dev.agentchat.ports.id.IdSource;
import dev.agentchat.ports.run.RunControl;
import dev.agentchat.ports.run.RunRecords;
import dev.agentchat.ports.run.RunSettings;
import dev.agentchat.ports.tool.ToolOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The metrics of real turns: the chat service over the in-memory stores, a scripted model and scripted tools,
 * watched by the metrics, and what a scrape then says held against what the runs recorded.
 */
class MetricsOfChatTurnsTest {
    private static final UserId USER = UserId.of("ada");
    private static final AgentId HELPER = AgentId.of("helper");
    private static final AgentId OPERATOR = AgentId.of("operator");
    /** How long a test waits for what a run's own thread does after the chat answered: long, a busy machine is slow. */
    private static final Duration PATIENCE = Duration.ofSeconds(10);
    private static final Map<String, String> SCRIPTED = Map.of("gen_ai_operation_name", "chat",
            "gen_ai_provider_name", "agentchat.scripted", "gen_ai_request_model", "scripted", "gen_ai_response_model", "");

    private final InMemoryThreadStore threads = new InMemoryThreadStore();
    private final InMemoryMessageStore messages = new InMemoryMessageStore();
    private final InMemoryRunStore runs = new InMemoryRunStore();
    private final InMemoryStepStore steps = new InMemoryStepStore();
    private final ScriptedChatModel model = new ScriptedChatModel();
    private final ScriptedToolRuntime tools = new ScriptedToolRuntime()
            .tool("lookup", (arguments, progress) -> new ToolOutcome.Succeeded("{\"up\":true}"))
            .tool("restart", (arguments, progress) -> new ToolOutcome.Succeeded("restarted"));
    private PrometheusMetrics metrics = new PrometheusMetrics();

    @AfterEach
    void close() {
        metrics.close();
    }

    @Test
    void a_few_turns_show_their_model_calls_tokens_runs_and_tool_calls() {
        ChatService chat = service(List.of(agent(HELPER, List.of("lookup"), List.of()),
                agent(OPERATOR, List.of("restart"), List.of("restart"))));
        model.reply(Reply.builder().text("Checking. ").toolCall("call_1", "lookup", "{\"vm\":\"web-01\"}")
                        .usage(Usage.reported(100, 10)).finish(FinishReason.TOOL_CALLS).build())
                .reply(Reply.builder().text("It is up.").usage(Usage.reported(150, 5)).finish(FinishReason.STOP).build())
                .reply(Reply.builder().text("Hello!").usage(Usage.reported(20, 4)).finish(FinishReason.STOP).build())
                .reply(Reply.builder().fail("rate_limited", "Slow down.").build())
                .reply(Reply.builder().text("On it. ").toolCall("call_2", "restart", "{\"vm\":\"web-01\"}")
                        .usage(Usage.reported(30, 3)).finish(FinishReason.TOOL_CALLS).build());

        List<ChatOutcome> outcomes = List.of(chat(chat, HELPER, "Is web-01 up?"), chat(chat, HELPER, "Hello"),
                chat(chat, HELPER, "Again"), chat(chat, OPERATOR, "Restart web-01"));
        Scrape scrape = settled(4);

        List<Run> ran = outcomes.stream().flatMap(outcome -> runs.listByThread(outcome.threadId()).stream()).toList();
        assertThat(ran).extracting(Run::status).containsExactly(RunStatus.COMPLETED, RunStatus.COMPLETED,
                RunStatus.FAILED, RunStatus.REQUIRES_ACTION);
        // then the tokens are the runs' usage, one sample a model call that reported it
        Map<String, String> input = with(SCRIPTED, "gen_ai_token_type", "input");
        Map<String, String> output = with(SCRIPTED, "gen_ai_token_type", "output");
        assertThat(scrape.value("gen_ai_client_token_usage_sum", input))
                .isEqualTo(ran.stream().mapToLong(run -> run.usage().promptTokens()).sum()).isEqualTo(300);
        assertThat(scrape.value("gen_ai_client_token_usage_sum", output))
                .isEqualTo(ran.stream().mapToLong(run -> run.usage().completionTokens()).sum()).isEqualTo(22);
        assertThat(scrape.value("gen_ai_client_token_usage_count", input)).isEqualTo(4);
        // every model call is timed, the failed one under its error; a first chunk came in all but that one
        assertThat(scrape.value("gen_ai_client_operation_duration_seconds_count", with(SCRIPTED, "error_type", "")))
                .isEqualTo(4);
        assertThat(scrape.value("gen_ai_client_operation_duration_seconds_count",
                with(SCRIPTED, "error_type", "rate_limited"))).isEqualTo(1);
        assertThat(scrape.value("gen_ai_client_operation_time_to_first_chunk_seconds_count", SCRIPTED)).isEqualTo(4);
        // the runs, by agent and by the status they ended or paused in
        assertThat(scrape.value("agentchat_runs_total", runs(HELPER, "completed"))).isEqualTo(2);
        assertThat(scrape.value("agentchat_runs_total", runs(HELPER, "failed"))).isEqualTo(1);
        assertThat(scrape.value("agentchat_runs_total", runs(OPERATOR, "requires_action"))).isEqualTo(1);
        assertThat(scrape.value("agentchat_runs_active", Map.of())).isZero();
        // the tool that ran; the one waiting for approval has not
        assertThat(scrape.value("agentchat_tool_call_duration_seconds_count",
                Map.of("gen_ai_tool_name", "lookup", "agentchat_tool_call_status", "completed"))).isEqualTo(1);
        assertThat(scrape.samples("agentchat_tool_call_duration_seconds_count", Map.of("gen_ai_tool_name", "restart")))
                .isEmpty();
        // and no label names a run, a thread, a user or a call
        List<String> ids = new ArrayList<>(List.of(USER.value(), "call_1", "call_2"));
        ran.forEach(run -> ids.addAll(List.of(run.id().value(), run.threadId().value())));
        assertThat(scrape.families().values().stream().flatMap(family -> family.samples().stream())
                .flatMap(sample -> sample.labels().values().stream())).doesNotContainAnyElementsOf(ids);
    }

    @Test
    void the_runs_of_more_agents_than_a_label_takes_are_counted_the_rest_as_other() {
        metrics.close();
        metrics = new PrometheusMetrics(io.micrometer.core.instrument.Clock.SYSTEM, 5);
        List<Agent> agents = IntStream.range(0, 8).mapToObj(i -> agent(AgentId.of("agent-" + i), List.of(), List.of()))
                .toList();
        ChatService chat = service(agents);
        agents.forEach(agent -> {
            model.reply(Reply.builder().text("Hi").usage(Usage.reported(2, 1)).finish(FinishReason.STOP).build());
            chat(chat, agent.id(), "Hello");
        });

        Scrape scrape = settled(8);

        assertThat(scrape.samples("agentchat_runs_total")).hasSize(6);
        assertThat(scrape.value("agentchat_runs_total", Map.of("gen_ai_agent_id", "other",
                "agentchat_run_status", "completed"))).isEqualTo(3);
    }

    /** The scrape once {@code ended} runs have ended on their own threads and none is active. */
    private Scrape settled(int ended) {
        await().atMost(PATIENCE).until(() -> {
            Scrape now = Scrape.of(metrics);
            return now.sum("agentchat_runs_total", Map.of()) == ended && now.value("agentchat_runs_active", Map.of()) == 0;
        });
        return Scrape.of(metrics);
    }

    private ChatService service(List<Agent> agents) {
        RunRecords records = new RunRecords(threads, messages, runs, steps);
        TurnContext context = new TurnContext(records, model, tools, Instant::now, IdSource.random(), ChatSettings.defaults())
                .watchedBy(metrics);
        RunControl control = RunControl.create(new InMemoryEventLog(), records, Instant::now, IdSource.random(),
                RunSettings.defaults());
        return new ChatService(new InMemoryAgentStore(agents), context, control, new InMemoryIdempotencyKeys());
    }

    /** Chats without following the stream past a pause, so that a run waiting for approval answers at once. */
    private static ChatOutcome chat(ChatService chat, AgentId agent, String message) {
        return chat.chat(new ChatCommand(agent, USER, Optional.empty(), message), ChatEventSink.NOBODY);
    }

    private static Agent agent(AgentId id, List<String> tools, List<String> approvalRequired) {
        return new Agent(id, Set.of(), "Agent " + id, "", "Be helpful.", tools, approvalRequired,
                Agent.DEFAULT_HISTORY_TOKEN_BUDGET, ModelSettings.DEFAULTS, AgentStatus.ACTIVE, Map.of(), 1,
                Instant.EPOCH, Instant.EPOCH);
    }

    private static Map<String, String> runs(AgentId agent, String status) {
        return Map.of("gen_ai_agent_id", agent.value(), "agentchat_run_status", status);
    }

    private static Map<String, String> with(Map<String, String> labels, String key, String value) {
        Map<String, String> more = new java.util.HashMap<>(labels);
        more.put(key, value);
        return Map.copyOf(more);
    }
}
