package dev.agentchat.bootstrap.logging;

import static dev.agentchat.bootstrap.logging.JsonLogFormatterTest.onlyLineOf;
import static dev.agentchat.bootstrap.logging.JsonLogFormatterTest.record;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentchat.domain.agent.Agent;
import dev.agentchat.domain.run.Run;
import dev.agentchat.ports.chat.ModelMessage;
import dev.agentchat.ports.chat.ModelRequest;
import dev.agentchat.ports.contract.Records;
import dev.agentchat.ports.telemetry.Observation;
import dev.agentchat.ports.telemetry.Outcome;
import dev.agentchat.ports.telemetry.Telemetry;
import dev.agentchat.ports.telemetry.Work;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

/** Which run's ids a log line carries, on the thread of the run and on those of its tool calls. */
class LogContextTest {
    private final LogContext logs = LogContext.withoutTraces();
    private final JsonLogFormatter formatter = new JsonLogFormatter(logs);
    private final Run run = Records.aRun().build();
    private final Agent agent = new Agent(run.agentId(), Set.of(), "Support triage", "Sorts questions.", "Be brief.");

    @Test
    void inside_a_runs_scope_a_line_carries_the_run_its_thread_and_its_agent() {
        // given
        Observation running = logs.begin(aRunOf(run));

        // when
        JsonNode inside;
        try (Observation.Scope inRun = running.makeCurrent()) {
            inside = logged();
        }

        // then
        assertThat(inside.path("run_id").asText()).isEqualTo(run.id().value());
        assertThat(inside.path("thread_id").asText()).isEqualTo(run.threadId().value());
        assertThat(inside.path("agent_id").asText()).isEqualTo(run.agentId().value());
    }

    @Test
    void before_and_after_a_runs_scope_a_line_carries_no_run() {
        Observation running = logs.begin(aRunOf(run));
        JsonNode before = logged();
        try (Observation.Scope inRun = running.makeCurrent()) {
            logged();
        }
        JsonNode after = logged();

        assertThat(List.of(before, after)).allSatisfy(line ->
                assertThat(line.has("run_id") || line.has("thread_id") || line.has("agent_id")).isFalse());
    }

    @Test
    void a_tool_call_on_its_own_thread_carries_the_ids_of_the_run_it_was_begun_within() throws Exception {
        // given a run current on this thread, and a tool call begun within it, explicitly, on another thread
        try (ExecutorService tools = Executors.newVirtualThreadPerTaskExecutor();
             Observation.Scope inRun = logs.begin(aRunOf(run)).makeCurrent()) {
            Observation parent = logs.current();

            // when
            JsonNode onToolThread = on(tools, () -> {
                Observation call = logs.begin(new Work.ToolCall("current_time", "call_1", "{}"), parent);
                try (Observation.Scope inCall = call.makeCurrent()) {
                    return logged();
                } finally {
                    call.end(Outcome.DONE);
                }
            });
            JsonNode toolThreadAfterwards = on(tools, this::logged);

            // then
            assertThat(onToolThread.path("run_id").asText()).isEqualTo(run.id().value());
            assertThat(onToolThread.path("thread_id").asText()).isEqualTo(run.threadId().value());
            assertThat(onToolThread.path("agent_id").asText()).isEqualTo(run.agentId().value());
            assertThat(toolThreadAfterwards.has("run_id")).isFalse();
        }
    }

    @Test
    void work_begun_on_another_thread_without_a_parent_is_in_no_run() throws Exception {
        try (ExecutorService elsewhere = Executors.newVirtualThreadPerTaskExecutor();
             Observation.Scope inRun = logs.begin(aRunOf(run)).makeCurrent()) {
            JsonNode line = on(elsewhere, () -> {
                try (Observation.Scope inCall = logs.begin(new Work.ToolCall("current_time", "call_1", "{}")).makeCurrent()) {
                    return logged();
                }
            });

            assertThat(line.has("run_id")).isFalse();
        }
    }

    @Test
    void a_model_call_begun_within_the_current_run_carries_its_ids() {
        try (Observation.Scope inRun = logs.begin(aRunOf(run)).makeCurrent()) {
            Observation call = logs.begin(new Work.ModelCall(new ModelRequest(agent.id(), "Be brief.",
                    List.of(ModelMessage.user("Hello?"))), "gpt-4o-mini", "azure.ai.openai", run.threadId()));
            try (Observation.Scope inCall = call.makeCurrent()) {
                assertThat(logged().path("run_id").asText()).isEqualTo(run.id().value());
            }
            assertThat(logged().path("run_id").asText()).as("the run's scope goes on").isEqualTo(run.id().value());
        }
    }

    @Test
    void a_run_begun_within_another_has_its_own_ids_and_the_outer_ones_come_back_after() {
        // given
        Run resumed = Records.aRun().build();
        try (Observation.Scope outer = logs.begin(aRunOf(run)).makeCurrent()) {
            // when
            String innerRun;
            try (Observation.Scope inner = logs.begin(aRunOf(resumed)).makeCurrent()) {
                innerRun = logged().path("run_id").asText();
            }

            // then
            assertThat(innerRun).isEqualTo(resumed.id().value());
            assertThat(logged().path("run_id").asText()).isEqualTo(run.id().value());
        }
    }

    @Test
    void beside_other_telemetry_the_ids_reach_the_tool_calls_thread_too() throws Exception {
        // given the log context combined with another telemetry, as the service combines it with tracing
        Telemetry watching = Telemetry.of(List.of(logs, new Telemetry() {
            @Override
            public Observation begin(Work work, Observation parent) {
                return new Observation() {
                };
            }

            @Override
            public Observation current() {
                return Observation.NONE;
            }
        }));
        try (ExecutorService tools = Executors.newVirtualThreadPerTaskExecutor()) {
            Observation running = watching.begin(aRunOf(run));
            try (Observation.Scope inRun = running.makeCurrent()) {
                // when
                JsonNode onToolThread = on(tools, () -> {
                    try (Observation.Scope inCall = watching.begin(new Work.ToolCall("calculator", "call_2", "{}"), running)
                            .makeCurrent()) {
                        return logged();
                    }
                });

                // then
                assertThat(onToolThread.path("run_id").asText()).isEqualTo(run.id().value());
            }
        }
    }

    private Work.AgentRun aRunOf(Run which) {
        return new Work.AgentRun(which, agent, "gpt-4o-mini", "azure.ai.openai", false);
    }

    /** A line logged now, on this thread. */
    private JsonNode logged() {
        return onlyLineOf(formatter.format(record(Level.INFO, "working")));
    }

    private static <T> T on(ExecutorService threads, java.util.concurrent.Callable<T> work) throws Exception {
        try {
            return threads.submit(work).get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }
}
