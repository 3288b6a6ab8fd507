package dev.agentchat.adapter.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import dev.agentchat.domain.refusal.InvalidAgent;
import dev.agentchat.domain.step.Step;
import dev.agentchat.domain.step.StepKind;
import dev.agentchat.domain.step.StepStatus;
import dev.agentchat.domain.thread.UserId;
import dev.agentchat.ports.agent.AgentService;
import dev.agentchat.ports.chat.ChatCommand;
import dev.agentchat.ports.chat.ChatEventSink;
import dev.agentchat.ports.chat.ChatOutcome;
import dev.agentchat.ports.chat.ChatService;
import dev.agentchat.ports.chat.ChatSettings;
import dev.agentchat.ports.chat.ModelMessage;
import dev.agentchat.ports.chat.TurnContext;
import dev.agentchat.ports.health.Health;
import dev.agentchat.ports.health.HealthService;
import dev.agentchat.ports.id.IdSource;
import dev.agentchat.ports.run.RunControl;
import dev.agentchat.ports.run.RunRecords;
import dev.agentchat.ports.run.RunSettings;
import dev.agentchat.ports.tool.ToolInvocation;
import dev.agentchat.ports.tool.ToolOutcome;
import dev.agentchat.ports.tool.ToolProgress;
import dev.agentchat.ports.tool.ToolRuntime;
import dev.agentchat.ports.tool.ToolRuntimes;
import dev.agentchat.ports.tool.ToolSource;
import java.time.Instant;
import java.util.List;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The tools of tool servers (MCP servers) over the in-memory adapters: agents listing them, a turn calling them,
 * the service's health, and one runtime combining them with the service's own tools.
 */
class ToolServerToolsOnMemoryTest {
    private static final AgentId AGENT = AgentId.of("ops");
    private static final UserId USER = UserId.of("ada");
    private static final ToolSource EVERYTHING_UP = new ToolSource("everything", Optional.empty(), 2);
    private static final ToolSource AZURE_DOWN = new ToolSource("azure", Optional.of("Connection refused"), 0);

    private final InMemoryThreadStore threads = new InMemoryThreadStore();
    private final InMemoryMessageStore messages = new InMemoryMessageStore();
    private final InMemoryRunStore runs = new InMemoryRunStore();
    private final InMemoryStepStore steps = new InMemoryStepStore();
    private final ScriptedChatModel model = new ScriptedChatModel();
    private final ScriptedToolRuntime builtIn = new ScriptedToolRuntime()
            .tool("calculator", (args, progress) -> new ToolOutcome.Succeeded("4"));
    private final ScriptedToolRuntime servers = new ScriptedToolRuntime()
            .serverTool("everything", "echo", (args, progress) -> new ToolOutcome.Succeeded("Echo: " + args))
            .serverTool("everything", "add", (args, progress) -> new ToolOutcome.Succeeded("3"))
            .source(EVERYTHING_UP).source(AZURE_DOWN);
    private final ToolRuntime tools = ToolRuntimes.combined(List.of(builtIn, servers));
    private final AgentService registry = new AgentService(new InMemoryAgentStore(), tools, Instant::now);

    @Test
    void an_agent_listing_a_servers_star_a_tool_it_lists_or_any_tool_of_a_server_down_now_is_saved() {
        // when
        Agent saved = registry.create(agent(List.of("calculator", "everything/*", "everything/echo", "azure/storage"),
                List.of()));

        // then
        assertThat(saved.tools()).containsExactly("calculator", "everything/*", "everything/echo", "azure/storage");
    }

    @Test
    void an_agent_listing_an_unknown_server_or_a_tool_a_reachable_server_lacks_is_refused() {
        assertThatThrownBy(() -> registry.create(agent(List.of("nosuch/*"), List.of())))
                .isInstanceOf(InvalidAgent.class)
                .hasMessage("There is no tool server named 'nosuch' (in 'nosuch/*'); the tool servers are [everything, azure].");
        assertThatThrownBy(() -> registry.create(agent(List.of("everything/delete_all"), List.of())))
                .isInstanceOf(InvalidAgent.class)
                .hasMessage("The tool server 'everything' has no tool named 'delete_all'; its tools are [add, echo].");
        assertThatThrownBy(() -> registry.create(agent(List.of("current_time"), List.of())))
                .isInstanceOf(InvalidAgent.class)
                .hasMessage("There is no tool named 'current_time'; the tools are [calculator].");
    }

    @Test
    void a_model_calling_a_servers_tool_by_its_model_name_runs_it_as_a_step_of_the_turn() {
        // given
        model.reply(Reply.builder().toolCall("c1", "everything__echo", "{\"message\":\"hi\"}").finish(FinishReason.TOOL_CALLS).build())
                .reply(Reply.text("It echoed."));

        // when
        ChatOutcome outcome = chat(agent(List.of("everything/*"), List.of()));

        // then
        assertThat(outcome).isInstanceOf(ChatOutcome.Answered.class);
        assertThat(model.requests().getFirst().tools()).extracting(tool -> tool.name())
                .containsExactly("everything__add", "everything__echo");
        assertThat(model.requests().get(1).last()).isEqualTo(new ModelMessage.ToolResult("c1", "Echo: {\"message\":\"hi\"}"));
        Step step = steps.listByRun(outcome.threadId(), runs.listByThread(outcome.threadId()).getFirst().id()).stream()
                .filter(s -> s.kind() == StepKind.TOOL_CALL).findFirst().orElseThrow();
        assertThat(step.status()).isEqualTo(StepStatus.COMPLETED);
        assertThat(servers.invocations()).extracting(call -> call.toolName()).containsExactly("everything__echo");
    }

    @Test
    void a_call_of_a_servers_tool_the_agent_lists_as_needing_approval_waits_for_a_person() {
        // given
        model.reply(Reply.builder().toolCall("c1", "everything__echo", "{}").toolCall("c2", "everything__add", "{}")
                .finish(FinishReason.TOOL_CALLS).build());

        // when
        ChatOutcome outcome = chat(agent(List.of("everything/*"), List.of("everything/add")));

        // then
        assertThat(outcome).isInstanceOf(ChatOutcome.AwaitingApproval.class);
        assertThat(servers.invocations()).extracting(call -> call.toolName()).containsExactly("everything__echo");
    }

    @Test
    void a_servers_tool_listed_only_after_the_turn_began_is_not_run_for_it_though_the_model_names_it() {
        // given a server that lists a tool needing approval only while the model is answering
        CompletableFuture<Void> listed = new CompletableFuture<>();
        model.reply(Reply.builder().await(listed).toolCall("c1", "everything__delete", "{}")
                        .finish(FinishReason.TOOL_CALLS).build())
                .reply(Reply.text("It is not there."));
        CompletableFuture<ChatOutcome> chatting = CompletableFuture.supplyAsync(
                () -> chat(agent(List.of("everything/*"), List.of("everything/*"))));
        await().atMost(Duration.ofSeconds(10)).until(() -> !model.requests().isEmpty());
        servers.serverTool("everything", "delete", (args, progress) -> new ToolOutcome.Succeeded("deleted"));

        // when the model then calls it
        listed.complete(null);

        // then the call is refused as one of no tool the turn offered: it neither runs nor skips the approval
        ChatOutcome outcome = chatting.join();
        assertThat(outcome).isInstanceOf(ChatOutcome.Answered.class);
        assertThat(servers.invocations()).isEmpty();
        assertThat(model.requests().get(1).last()).isEqualTo(new ModelMessage.ToolResult("c1",
                "Error: There is no tool named 'everything__delete' for this agent."));
    }

    @Test
    void the_service_is_up_while_every_tool_server_is_reachable_and_degraded_while_one_is_not() {
        // given
        HealthService health = new HealthService(tools);

        // when
        Health degraded = health.health();
        servers.source(new ToolSource("azure", Optional.empty(), 40));
        Health up = health.health();

        // then
        assertThat(degraded.status()).isEqualTo(Health.Status.DEGRADED);
        assertThat(degraded.toolServers()).containsExactly(EVERYTHING_UP, AZURE_DOWN);
        assertThat(up.status()).isEqualTo(Health.Status.UP);
        assertThat(new HealthService(builtIn).health()).isEqualTo(new Health(Health.Status.UP, List.of()));
    }

    @Test
    void a_name_two_runtimes_both_offer_is_the_first_ones_and_each_call_goes_to_the_runtime_offering_it() {
        // given
        ScriptedToolRuntime other = new ScriptedToolRuntime()
                .tool("calculator", (args, progress) -> new ToolOutcome.Succeeded("not mine"))
                .serverTool("files", "read", (args, progress) -> new ToolOutcome.Succeeded("contents"))
                .source(new ToolSource("files", Optional.empty(), 1));
        ToolRuntime combined = ToolRuntimes.combined(List.of(builtIn, other));

        // when
        ToolOutcome calculated = combined.execute(new ToolInvocation("calculator", "{}"), ToolProgress.IGNORED);
        ToolOutcome read = combined.execute(new ToolInvocation("files__read", "{}"), ToolProgress.IGNORED);
        ToolOutcome unknown = combined.execute(new ToolInvocation("nope", "{}"), ToolProgress.IGNORED);

        // then
        assertThat(combined.definitions()).extracting(tool -> tool.name()).containsExactly("calculator", "files__read");
        assertThat(calculated).isEqualTo(new ToolOutcome.Succeeded("4"));
        assertThat(read).isEqualTo(new ToolOutcome.Succeeded("contents"));
        assertThat(unknown).isInstanceOf(ToolOutcome.Failed.class);
        assertThat(other.invocations()).extracting(call -> call.toolName()).containsExactly("files__read");
        assertThat(combined.sources()).extracting(ToolSource::name).containsExactly("files");
    }

    private ChatOutcome chat(Agent agent) {
        RunRecords records = new RunRecords(threads, messages, runs, steps);
        TurnContext context = new TurnContext(records, model, tools, Instant::now, IdSource.random(), ChatSettings.defaults());
        RunControl control = RunControl.create(new InMemoryEventLog(), records, Instant::now, IdSource.random(),
                RunSettings.defaults());
        return new ChatService(new InMemoryAgentStore(List.of(agent)), context, control, new InMemoryIdempotencyKeys())
                .chat(new ChatCommand(AGENT, USER, Optional.empty(), "Go."), ChatEventSink.NOBODY);
    }

    private static Agent agent(List<String> tools, List<String> approvalRequired) {
        return new Agent(AGENT, Set.of(), "Ops", "", "Use tools.", tools, approvalRequired,
                Agent.DEFAULT_HISTORY_TOKEN_BUDGET, ModelSettings.DEFAULTS, AgentStatus.ACTIVE, Map.of(), 1, Instant.EPOCH,
                Instant.EPOCH);
    }
}
