package dev.agentchat.adapter.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.agentchat.domain.agent.Agent;
import dev.agentchat.domain.agent.AgentId;
import dev.agentchat.domain.chat.ModelCallOutcome;
import dev.agentchat.domain.chat.RunOutcome;
import dev.agentchat.domain.run.Run;
import dev.agentchat.domain.run.RunFailure;
import dev.agentchat.domain.step.Step;
import dev.agentchat.domain.usage.Usage;
import dev.agentchat.ports.chat.ModelMessage;
import dev.agentchat.ports.chat.ModelRequest;
import dev.agentchat.ports.contract.Records;
import dev.agentchat.ports.telemetry.Observation;
import dev.agentchat.ports.telemetry.Outcome;
import dev.agentchat.ports.telemetry.Telemetry;
import dev.agentchat.ports.telemetry.Work;
import io.micrometer.core.instrument.MockClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The metrics as the port tells them, each kind of work begun and ended by hand on a clock the test moves. */
class PrometheusMetricsTest {
    private static final Map<String, String> GPT = Map.of("gen_ai_operation_name", "chat",
            "gen_ai_provider_name", "azure.ai.openai", "gen_ai_request_model", "gpt-4o");

    private final MockClock clock = new MockClock();
    private final PrometheusMetrics metrics = new PrometheusMetrics(clock, PrometheusMetrics.MAX_VALUES_PER_LABEL);

    @AfterEach
    void close() {
        metrics.close();
    }

    @Test
    void a_model_call_records_its_tokens_duration_and_time_to_first_chunk_under_its_genai_attributes() {
        Observation call = metrics.begin(modelCall("gpt-4o"));
        clock.add(Duration.ofMillis(30));
        call.firstChunk();
        clock.add(Duration.ofMillis(50));
        call.firstChunk();   // a second first token changes nothing
        clock.add(Duration.ofMillis(20));
        call.end(answered(new RunOutcome.Complete("Hi", Usage.reported(120, 7)), Optional.of("gpt-4o-2024-08-06")));

        Scrape scrape = Scrape.of(metrics);
        Map<String, String> answered = with(GPT, "gen_ai_response_model", "gpt-4o-2024-08-06");
        assertThat(scrape.type("gen_ai_client_token_usage")).isEqualTo("histogram");
        assertThat(scrape.value("gen_ai_client_token_usage_sum", with(answered, "gen_ai_token_type", "input"))).isEqualTo(120);
        assertThat(scrape.value("gen_ai_client_token_usage_sum", with(answered, "gen_ai_token_type", "output"))).isEqualTo(7);
        assertThat(scrape.value("gen_ai_client_token_usage_count", with(answered, "gen_ai_token_type", "input"))).isEqualTo(1);
        // the advised buckets: 120 tokens fall in (64, 256]
        Map<String, String> input = with(answered, "gen_ai_token_type", "input");
        assertThat(scrape.value("gen_ai_client_token_usage_bucket", with(input, "le", "64.0"))).isZero();
        assertThat(scrape.value("gen_ai_client_token_usage_bucket", with(input, "le", "256.0"))).isEqualTo(1);

        Map<String, String> succeeded = with(answered, "error_type", "");
        assertThat(scrape.type("gen_ai_client_operation_duration_seconds")).isEqualTo("histogram");
        assertThat(scrape.value("gen_ai_client_operation_duration_seconds_sum", succeeded)).isEqualTo(0.1);
        assertThat(scrape.value("gen_ai_client_operation_duration_seconds_bucket", with(succeeded, "le", "0.08"))).isZero();
        assertThat(scrape.value("gen_ai_client_operation_duration_seconds_bucket", with(succeeded, "le", "0.16"))).isEqualTo(1);
        assertThat(scrape.value("gen_ai_client_operation_time_to_first_chunk_seconds_sum", answered)).isEqualTo(0.03);
        assertThat(scrape.value("gen_ai_client_operation_time_to_first_chunk_seconds_count", answered)).isEqualTo(1);
    }

    @Test
    void a_failed_model_call_has_its_error_type_and_neither_tokens_nor_a_first_chunk() {
        Observation failed = metrics.begin(modelCall("gpt-4o"));
        failed.end(answered(new RunOutcome.Fail("", RunFailure.fromModel("rate_limited", "Slow down."), Usage.NONE),
                Optional.empty()));
        Observation broken = metrics.begin(modelCall("gpt-4o"));
        broken.end(Outcome.failed("internal_error"));

        Scrape scrape = Scrape.of(metrics);
        Map<String, String> unanswered = with(GPT, "gen_ai_response_model", "");
        assertThat(scrape.value("gen_ai_client_operation_duration_seconds_count", with(unanswered, "error_type", "rate_limited")))
                .isEqualTo(1);
        assertThat(scrape.value("gen_ai_client_operation_duration_seconds_count", with(unanswered, "error_type", "internal_error")))
                .isEqualTo(1);
        assertThat(scrape.samples("gen_ai_client_token_usage_count")).isEmpty();
        assertThat(scrape.samples("gen_ai_client_operation_time_to_first_chunk_seconds_count")).isEmpty();
    }

    @Test
    void a_model_call_asking_for_tools_records_its_tokens_and_no_error() {
        Observation call = metrics.begin(modelCall("gpt-4o"));
        call.firstChunk();
        call.end(answered(new ModelCallOutcome.CallTools("", List.of(), Usage.estimated(40, 2)), Optional.empty()));

        Scrape scrape = Scrape.of(metrics);
        Map<String, String> unanswered = with(GPT, "gen_ai_response_model", "");
        assertThat(scrape.value("gen_ai_client_token_usage_sum", with(unanswered, "gen_ai_token_type", "input"))).isEqualTo(40);
        assertThat(scrape.value("gen_ai_client_operation_duration_seconds_count", with(unanswered, "error_type", "")))
                .isEqualTo(1);
    }

    @Test
    void runs_are_active_from_their_begin_to_their_end_and_then_counted_by_agent_and_status() {
        Run started = Records.aRun().build().start(Records.T0).state();
        Observation first = metrics.begin(agentRun(started, "helper"));
        Observation second = metrics.begin(agentRun(started, "helper"));
        Observation third = metrics.begin(agentRun(started, "triage"));
        assertThat(Scrape.of(metrics).value("agentchat_runs_active", Map.of())).isEqualTo(3);

        first.end(new Outcome.RunEnded(started.complete(Records.aMessageId(), Usage.reported(1, 1), Records.T0).state()));
        second.end(new Outcome.RunEnded(started.fail(RunFailure.INTERNAL_ERROR, null, Usage.ZERO, Records.T0).state()));
        third.end(new Outcome.RunEnded(started.complete(Records.aMessageId(), Usage.reported(1, 1), Records.T0).state()));

        Scrape scrape = Scrape.of(metrics);
        assertThat(scrape.value("agentchat_runs_active", Map.of())).isZero();
        assertThat(scrape.type("agentchat_runs_total")).isEqualTo("counter");
        assertThat(scrape.value("agentchat_runs_total", runs("helper", "completed"))).isEqualTo(1);
        assertThat(scrape.value("agentchat_runs_total", runs("helper", "failed"))).isEqualTo(1);
        assertThat(scrape.value("agentchat_runs_total", runs("triage", "completed"))).isEqualTo(1);
    }

    @Test
    void an_observation_ended_twice_is_recorded_once() {
        Run started = Records.aRun().build().start(Records.T0).state();
        Observation run = metrics.begin(agentRun(started, "helper"));
        Run completed = started.complete(Records.aMessageId(), Usage.reported(1, 1), Records.T0).state();

        run.end(new Outcome.RunEnded(completed));
        run.end(new Outcome.RunEnded(completed));

        Scrape scrape = Scrape.of(metrics);
        assertThat(scrape.value("agentchat_runs_total", runs("helper", "completed"))).isEqualTo(1);
        assertThat(scrape.value("agentchat_runs_active", Map.of())).isZero();
    }

    @Test
    void tool_calls_are_timed_by_tool_and_the_status_their_step_ended_in() {
        Step begun = Records.aStep().calling("lookup", "{}").build();
        Observation returned = metrics.begin(new Work.ToolCall("lookup", "call_1", "{}"));
        clock.add(Duration.ofMillis(300));
        returned.end(new Outcome.ToolEnded(begun.toolReturned("{\"up\":true}", Records.T0).state()));
        Observation failed = metrics.begin(new Work.ToolCall("lookup", "call_2", "{}"));
        failed.end(new Outcome.ToolEnded(begun.toolFailed("no such vm", Records.T0).state()));

        Scrape scrape = Scrape.of(metrics);
        Map<String, String> completed = Map.of("gen_ai_tool_name", "lookup", "agentchat_tool_call_status", "completed");
        assertThat(scrape.value("agentchat_tool_call_duration_seconds_sum", completed)).isEqualTo(0.3);
        assertThat(scrape.value("agentchat_tool_call_duration_seconds_bucket", with(completed, "le", "0.2"))).isZero();
        assertThat(scrape.value("agentchat_tool_call_duration_seconds_bucket", with(completed, "le", "0.5"))).isEqualTo(1);
        assertThat(scrape.value("agentchat_tool_call_duration_seconds_count",
                Map.of("gen_ai_tool_name", "lookup", "agentchat_tool_call_status", "failed"))).isEqualTo(1);
    }

    @Test
    void store_operations_are_timed_and_their_request_charge_recorded_when_the_store_says_it() {
        Observation read = metrics.begin(new Work.StoreCall("azure.cosmosdb", "runs", "read_item"));
        clock.add(Duration.ofMillis(4));
        read.end(new Outcome.StoreEnded(Optional.empty(), Optional.of(1.0)));
        Observation query = metrics.begin(new Work.StoreCall("azure.cosmosdb", "runs", "query_items"));
        query.end(new Outcome.StoreEnded(Optional.empty(), Optional.of(42.5)));
        Observation throttled = metrics.begin(new Work.StoreCall("azure.cosmosdb", "runs", "query_items"));
        throttled.end(new Outcome.StoreEnded(Optional.of("429"), Optional.empty()));

        Scrape scrape = Scrape.of(metrics);
        Map<String, String> reads = store("read_item", "");
        assertThat(scrape.value("db_client_operation_duration_seconds_sum", reads)).isEqualTo(0.004);
        assertThat(scrape.value("db_client_operation_duration_seconds_bucket", with(reads, "le", "0.005"))).isEqualTo(1);
        assertThat(scrape.value("db_client_operation_duration_seconds_count", store("query_items", "429"))).isEqualTo(1);
        assertThat(scrape.value("azure_cosmosdb_client_operation_request_charge_sum", reads)).isEqualTo(1.0);
        assertThat(scrape.value("azure_cosmosdb_client_operation_request_charge_sum", store("query_items", ""))).isEqualTo(42.5);
        assertThat(scrape.samples("azure_cosmosdb_client_operation_request_charge_count", store("query_items", "429"))).isEmpty();
    }

    @Test
    void tool_server_requests_are_timed_by_method_tool_server_and_error() {
        metrics.begin(new Work.ToolServerCall("fleet", "tools/call", Optional.of("restart"), "tcp")).end(Outcome.DONE);
        metrics.begin(new Work.ToolServerCall("fleet", "tools/list", Optional.empty(), "tcp")).end(Outcome.failed("-32603"));

        Scrape scrape = Scrape.of(metrics);
        assertThat(scrape.value("mcp_client_operation_duration_seconds_count", Map.of("mcp_method_name", "tools/call",
                "gen_ai_tool_name", "restart", "agentchat_tool_server_name", "fleet", "network_transport", "tcp",
                "error_type", ""))).isEqualTo(1);
        assertThat(scrape.value("mcp_client_operation_duration_seconds_count", Map.of("mcp_method_name", "tools/list",
                "gen_ai_tool_name", "", "agentchat_tool_server_name", "fleet", "network_transport", "tcp",
                "error_type", "-32603"))).isEqualTo(1);
    }

    @Test
    void http_requests_are_timed_by_method_route_template_and_status() {
        answer("POST", 200, "/api/agents/{agentId}/chat");
        answer("POST", 200, "/api/agents/{agentId}/chat");
        answer("GET", 404, null);
        answer("BREW", 405, null);
        answer("GET", 503, "/health/ready");
        metrics.begin(new Work.HttpRequest("GET", header -> Optional.empty())).end(Outcome.failed("client_disconnected"));

        Scrape scrape = Scrape.of(metrics);
        assertThat(scrape.value("http_server_request_duration_seconds_count",
                http("POST", "/api/agents/{agentId}/chat", "200", ""))).isEqualTo(2);
        assertThat(scrape.value("http_server_request_duration_seconds_count", http("GET", "", "404", ""))).isEqualTo(1);
        assertThat(scrape.value("http_server_request_duration_seconds_count", http("_OTHER", "", "405", ""))).isEqualTo(1);
        assertThat(scrape.value("http_server_request_duration_seconds_count", http("GET", "/health/ready", "503", "503")))
                .isEqualTo(1);
        assertThat(scrape.value("http_server_request_duration_seconds_count", http("GET", "", "", "client_disconnected")))
                .isEqualTo(1);
    }

    @Test
    void open_event_streams_are_gauged_by_kind_until_they_end() {
        Observation chat = metrics.begin(new Work.EventStream("chat"));
        Observation follower = metrics.begin(new Work.EventStream("run_events"));
        metrics.begin(new Work.EventStream("run_events"));
        follower.end(Outcome.DONE);
        follower.end(Outcome.DONE);

        Scrape scrape = Scrape.of(metrics);
        assertThat(scrape.value("agentchat_event_streams_open", Map.of("agentchat_stream_kind", "chat"))).isEqualTo(1);
        assertThat(scrape.value("agentchat_event_streams_open", Map.of("agentchat_stream_kind", "run_events"))).isEqualTo(1);
        chat.end(Outcome.DONE);
        assertThat(Scrape.of(metrics).value("agentchat_event_streams_open", Map.of("agentchat_stream_kind", "chat"))).isZero();
    }

    @Test
    void a_label_takes_a_hundred_values_and_counts_any_later_new_one_as_other() {
        Run started = Records.aRun().build().start(Records.T0).state();
        Run completed = started.complete(Records.aMessageId(), Usage.reported(1, 1), Records.T0).state();
        IntStream.range(0, 150).forEach(i -> metrics.begin(agentRun(started, "agent-" + i)).end(new Outcome.RunEnded(completed)));
        IntStream.range(0, 130).forEach(i -> answer("GET", 200, "/api/route-" + i));
        IntStream.range(0, 120).forEach(i -> metrics.begin(new Work.ToolCall("tool_" + i, "call_" + i, "{}")).end(Outcome.DONE));
        metrics.begin(agentRun(started, "agent-7")).end(new Outcome.RunEnded(completed));

        Scrape scrape = Scrape.of(metrics);
        assertThat(scrape.samples("agentchat_runs_total")).hasSize(101);
        assertThat(scrape.value("agentchat_runs_total", runs("other", "completed"))).isEqualTo(50);
        assertThat(scrape.value("agentchat_runs_total", runs("agent-7", "completed"))).isEqualTo(2);
        assertThat(scrape.samples("http_server_request_duration_seconds_count")).hasSize(101);
        assertThat(scrape.value("http_server_request_duration_seconds_count", http("GET", "other", "200", ""))).isEqualTo(30);
        assertThat(scrape.samples("agentchat_tool_call_duration_seconds_count")).hasSize(101);
        assertThat(scrape.value("agentchat_tool_call_duration_seconds_count",
                Map.of("gen_ai_tool_name", "other", "agentchat_tool_call_status", "completed"))).isEqualTo(20);
    }

    @Test
    void calls_of_tools_the_turn_did_not_offer_share_one_label_value_and_take_no_place_of_their_own() {
        IntStream.range(0, 150).forEach(i -> metrics.begin(new Work.ToolCall("made_up_" + i, "call_" + i, "{}", false))
                .end(Outcome.DONE));
        metrics.begin(new Work.ToolCall("lookup", "call_x", "{}")).end(Outcome.DONE);

        Scrape scrape = Scrape.of(metrics);
        assertThat(scrape.samples("agentchat_tool_call_duration_seconds_count")).hasSize(2);
        assertThat(scrape.value("agentchat_tool_call_duration_seconds_count",
                Map.of("gen_ai_tool_name", "_OTHER", "agentchat_tool_call_status", "completed"))).isEqualTo(150);
        assertThat(scrape.value("agentchat_tool_call_duration_seconds_count",
                Map.of("gen_ai_tool_name", "lookup", "agentchat_tool_call_status", "completed"))).isEqualTo(1);
    }

    @Test
    void label_values_are_written_escaped_and_read_back_as_they_were() {
        String odd = "say \"hi\"\\\nthen go";
        metrics.begin(new Work.ToolCall(odd, "call_1", "{}")).end(Outcome.DONE);

        assertThat(Scrape.of(metrics).value("agentchat_tool_call_duration_seconds_count",
                Map.of("gen_ai_tool_name", odd, "agentchat_tool_call_status", "completed"))).isEqualTo(1);
    }

    @Test
    void work_ended_in_an_outcome_of_another_kind_is_still_recorded_and_nothing_is_thrown() {
        Run started = Records.aRun().build().start(Records.T0).state();
        Observation run = metrics.begin(agentRun(started, "helper"));
        Observation call = metrics.begin(modelCall("gpt-4o"));
        Observation request = metrics.begin(new Work.HttpRequest("GET", header -> Optional.empty()));

        assertThatCode(() -> {
            run.end(Outcome.failed("internal_error"));
            call.end(new Outcome.StoreEnded(Optional.empty(), Optional.empty()));
            request.end(new Outcome.RunEnded(started));
        }).doesNotThrowAnyException();

        Scrape scrape = Scrape.of(metrics);
        assertThat(scrape.value("agentchat_runs_total", runs("helper", "failed"))).isEqualTo(1);
        assertThat(scrape.value("gen_ai_client_operation_duration_seconds_count",
                with(with(GPT, "gen_ai_response_model", ""), "error_type", ""))).isEqualTo(1);
        assertThat(scrape.value("http_server_request_duration_seconds_count", http("GET", "", "", ""))).isEqualTo(1);
    }

    @Test
    void nothing_is_current_so_work_begun_within_a_metrics_observation_is_measured_alike() {
        Observation run = metrics.begin(agentRun(Records.aRun().build().start(Records.T0).state(), "helper"));
        try (Observation.Scope inRun = run.makeCurrent()) {
            assertThat(metrics.current()).isSameAs(Observation.NONE);
            metrics.begin(new Work.ToolCall("lookup", "call_1", "{}"), run).end(Outcome.DONE);
        }
        assertThat(Scrape.of(metrics).value("agentchat_tool_call_duration_seconds_count",
                Map.of("gen_ai_tool_name", "lookup", "agentchat_tool_call_status", "completed"))).isEqualTo(1);
    }

    @Test
    void beside_traces_it_is_told_of_the_same_work() {
        try (PrometheusMetrics other = new PrometheusMetrics(clock, 5)) {
            Telemetry both = Telemetry.of(List.of(Telemetry.OFF, metrics, other));
            Observation call = both.begin(modelCall("gpt-4o"));
            call.firstChunk();
            call.end(answered(new RunOutcome.Complete("Hi", Usage.reported(3, 2)), Optional.empty()));

            Map<String, String> output = with(with(GPT, "gen_ai_response_model", ""), "gen_ai_token_type", "output");
            assertThat(Scrape.of(metrics).value("gen_ai_client_token_usage_sum", output)).isEqualTo(2);
            assertThat(Scrape.of(other).value("gen_ai_client_token_usage_sum", output)).isEqualTo(2);
        }
    }

    @Test
    void the_jvm_and_the_process_are_measured_too() {
        Scrape scrape = Scrape.of(metrics);

        assertThat(scrape.families()).containsKeys("jvm_memory_used_bytes", "jvm_gc_memory_allocated_bytes_total",
                "jvm_threads_live_threads", "jvm_classes_loaded_classes", "system_cpu_count", "process_cpu_usage",
                "process_uptime_seconds", "process_files_open_files");
        assertThat(scrape.value("system_cpu_count", Map.of())).isEqualTo(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void work_ended_after_close_throws_nothing() {
        Observation call = metrics.begin(modelCall("gpt-4o"));
        metrics.close();

        assertThatCode(() -> call.end(answered(new RunOutcome.Complete("Hi", Usage.reported(3, 2)), Optional.empty())))
                .doesNotThrowAnyException();
    }

    private void answer(String method, int status, String route) {
        metrics.begin(new Work.HttpRequest(method, header -> Optional.empty()))
                .end(new Outcome.Responded(status, Optional.ofNullable(route)));
    }

    private static Work.ModelCall modelCall(String model) {
        return new Work.ModelCall(new ModelRequest(AgentId.of("helper"), "Be helpful.", List.of(ModelMessage.user("Hello"))),
                model, "azure.ai.openai", Records.aThreadId());
    }

    private static Outcome answered(ModelCallOutcome outcome, Optional<String> responseModel) {
        return new Outcome.ModelAnswered(outcome, responseModel);
    }

    private static Work.AgentRun agentRun(Run run, String agent) {
        return new Work.AgentRun(run, new Agent(AgentId.of(agent), Set.of(), "Helper", "", "Be helpful."), "gpt-4o",
                "azure.ai.openai", false);
    }

    private static Map<String, String> runs(String agent, String status) {
        return Map.of("gen_ai_agent_id", agent, "agentchat_run_status", status);
    }

    private static Map<String, String> store(String operation, String errorType) {
        return Map.of("db_system_name", "azure.cosmosdb", "db_collection_name", "runs", "db_operation_name", operation,
                "error_type", errorType);
    }

    private static Map<String, String> http(String method, String route, String status, String errorType) {
        return Map.of("http_request_method", method, "http_route", route, "http_response_status_code", status,
                "error_type", errorType);
    }

    private static Map<String, String> with(Map<String, String> labels, String key, String value) {
        java.util.Map<String, String> more = new java.util.TreeMap<>(labels);
        more.put(key, value);
        return Map.copyOf(more);
    }
}
