package dev.agentchat.ports.contract.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.agentchat.domain.agent.AgentId;
import dev.agentchat.domain.chat.FinishReason;
import dev.agentchat.domain.chat.ModelStreamItem;
import dev.agentchat.domain.chat.ModelStreamItem.Finish;
import dev.agentchat.domain.chat.ModelStreamItem.TextDelta;
import dev.agentchat.domain.chat.ModelStreamItem.ToolCallRequest;
import dev.agentchat.domain.chat.ModelStreamItem.UsageReport;
import dev.agentchat.domain.tool.ToolDefinition;
import dev.agentchat.domain.usage.Usage;
import dev.agentchat.ports.chat.ChatModel;
import dev.agentchat.ports.chat.ModelFailure;
import dev.agentchat.ports.chat.ModelMessage;
import dev.agentchat.ports.chat.ModelRequest;
import dev.agentchat.ports.chat.ModelStream;
import dev.agentchat.ports.contract.model.FakeOpenAiServer.Reply;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a chat model adapter that speaks the chat completions wire format (Azure OpenAI's or an
 * OpenAI-compatible server's) must do, against a local server over real sockets: the request on the wire,
 * the stream's items, the failures and their codes, retries, timeouts and closing. Every such adapter's
 * test extends this and says how to make its model from {@link ModelServiceSettings}.
 */
public abstract class ModelServiceContract {
    /** Upper bounds only: latches and the stream's own end finish the tests long before. */
    private static final Duration LIMIT = Duration.ofSeconds(30);
    private static final Duration PROMPTLY = Duration.ofSeconds(2);

    private final FakeOpenAiServer server = FakeOpenAiServer.start();
    /** The background readers a test started, newest last. */
    private final List<Thread> readers = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Azure on the fake server, for the tests that need no other settings. */
    private ChatModel model;

    /** The adapter's model for these settings; a test closes the server, and the model's streams, itself. */
    protected abstract ChatModel createModel(ModelServiceSettings settings);

    @BeforeEach
    void createTheModel() {
        model = createModel(ModelServiceSettings.azure(server));
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Nested
    class Streaming {
        @Test
        void the_first_text_is_readable_before_the_service_sends_the_rest() throws InterruptedException {
            // given
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch restSent = new CountDownLatch(1);
            server.enqueue(Reply.stream()
                    .data(Chunks.promptFilterResults()).data(Chunks.role()).data(Chunks.text("Hel"))
                    .await(release)
                    .comment("keep-alive").data(Chunks.text("lo!")).data(Chunks.finish("stop")).data(Chunks.usage(12, 2)).done()
                    .signal(restSent));

            try (ModelStream stream = model.stream(aQuestion())) {
                // when
                Optional<ModelStreamItem> first = assertTimeoutPreemptively(LIMIT, stream::next);

                // then
                assertThat(first).contains(new TextDelta("Hel"));
                assertThat(restSent.getCount()).as("the rest is still held back by the server").isEqualTo(1);
                release.countDown();
                assertThat(readAll(stream)).containsExactly(new TextDelta("lo!"), new Finish(FinishReason.STOP),
                        new UsageReport(Usage.reported(12, 2)));
                assertThat(restSent.await(LIMIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            }
        }

        @Test
        void a_service_that_sends_no_usage_gets_it_counted_with_the_models_tokenizer_and_marked_estimated() {
            // given an answer without a usage chunk, as OpenAI-compatible servers that ignore include_usage send
            server.enqueue(Reply.stream().data(Chunks.text("Hello world")).data(Chunks.finish("stop")).done());

            // when
            List<ModelStreamItem> items = readAll(model.stream(aQuestion()));

            // then: "Hello world" is two tokens in o200k_base, the encoding of the gpt-4o family
            assertThat(items.getLast()).isInstanceOfSatisfying(UsageReport.class, report -> {
                assertThat(report.usage().estimated()).isTrue();
                assertThat(report.usage().completionTokens()).isEqualTo(2);
                assertThat(report.usage().promptTokens()).isGreaterThan(5);
            });
        }

        @Test
        void tool_call_deltas_are_put_together_by_index_even_when_two_open_in_one_chunk() {
            // given two calls opened in one chunk, then their arguments interleaved, index only
            String twoAtOnce = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1732500000,"
                    + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":["
                    + "{\"index\":0,\"id\":\"call_a\",\"type\":\"function\",\"function\":{\"name\":\"lookup\",\"arguments\":\"\"}},"
                    + "{\"index\":1,\"id\":\"call_b\",\"type\":\"function\",\"function\":{\"name\":\"time\",\"arguments\":\"\"}}"
                    + "]},\"finish_reason\":null}]}";
            server.enqueue(Reply.stream().data(twoAtOnce)
                    .data(Chunks.toolCallArguments(0, "{\"q\":"))
                    .data(Chunks.toolCallArguments(1, "{}"))
                    .data(Chunks.toolCallArguments(0, "\"vm\"}"))
                    .data(Chunks.finish("tool_calls")).data(Chunks.usage(20, 9)).done());

            // when
            List<ModelStreamItem> items = readAll(model.stream(aQuestion()));

            // then
            assertThat(items).containsExactly(
                    new ModelStreamItem.ToolCallRequest("call_a", "lookup", "{\"q\":\"vm\"}"),
                    new ModelStreamItem.ToolCallRequest("call_b", "time", "{}"),
                    new Finish(FinishReason.TOOL_CALLS), new UsageReport(Usage.reported(20, 9)));
        }

        @Test
        void the_usage_chunk_becomes_a_reported_usage() {
            // given
            server.enqueue(Reply.stream().data(Chunks.text("Hi")).data(Chunks.finish("stop")).data(Chunks.usage(30, 7)).done());

            // when
            List<ModelStreamItem> items = readAll(model.stream(aQuestion()));

            // then
            assertThat(items).filteredOn(UsageReport.class::isInstance)
                    .containsExactly(new UsageReport(new Usage(30, 7, false)));
        }

        @Test
        void the_model_the_service_says_answered_is_reported_once_the_answer_is_read() {
            // given Azure's first chunk, whose model is empty, then chunks naming the model that answered
            server.enqueue(Reply.stream().data(Chunks.promptFilterResults()).data(Chunks.role()).data(Chunks.text("Hi"))
                    .data(Chunks.finish("stop")).data(Chunks.usage(30, 7)).done());

            try (ModelStream stream = model.stream(aQuestion())) {
                // when
                Optional<String> before = stream.responseModel();
                readToTheEnd(stream);

                // then: the service's name for it, not the deployment's
                assertThat(before).isEmpty();
                assertThat(stream.responseModel()).contains(Chunks.RESPONSE_MODEL);
            }
        }

        @Test
        void the_first_chunk_is_told_as_it_arrives_long_before_the_tool_call_it_begins_is_whole() {
            // given a tool call whose arguments come only once the test lets them
            CountDownLatch rest = new CountDownLatch(1);
            server.enqueue(Reply.stream().data(Chunks.role())
                    .data(Chunks.toolCallStart(0, "call_1", "lookup", "{\"vm\":"))
                    .await(rest)
                    .data(Chunks.toolCallArguments(0, "\"web-01\"}")).data(Chunks.finish("tool_calls")).done());
            List<Boolean> told = new CopyOnWriteArrayList<>();

            try (ModelStream stream = model.stream(aQuestion())) {
                stream.whenFirstChunk(() -> {
                    told.add(true);
                    rest.countDown();   // the rest of the answer comes only once the first chunk was told
                });

                // when
                List<ModelStreamItem> items = readToTheEnd(stream);

                // then: told once (the read would have waited for the rest in vain otherwise), the call whole after it
                assertThat(told).hasSize(1);
                assertThat(items).contains(new ModelStreamItem.ToolCallRequest("call_1", "lookup", "{\"vm\":\"web-01\"}"));
            }
        }

        @Test
        void a_service_that_names_no_model_has_none_reported() {
            // given chunks without a model member
            server.enqueue(Reply.stream().data(Chunks.withoutModel(Chunks.text("Hi")))
                    .data(Chunks.withoutModel(Chunks.finish("stop"))).data(Chunks.withoutModel(Chunks.usage(30, 7))).done());

            try (ModelStream stream = model.stream(aQuestion())) {
                // when
                List<ModelStreamItem> items = readToTheEnd(stream);

                // then: the answer is read as ever, and no model is made up
                assertThat(items).contains(new TextDelta("Hi"), new Finish(FinishReason.STOP));
                assertThat(stream.responseModel()).isEmpty();
            }
        }

        @Test
        void tool_call_arguments_split_across_chunks_become_one_call() {
            // given
            server.enqueue(Reply.stream()
                    .data(Chunks.role())
                    .data(Chunks.toolCallStart(0, "call_abc", "get_weather", ""))
                    .data(Chunks.toolCallArguments(0, "{\"ci"))
                    .raw("data: " + Chunks.toolCallArguments(0, "ty\": \"Pa")) // a frame split across two writes
                    .raw("\n\n")
                    .data(Chunks.toolCallArguments(0, "ris\"}"))
                    .data(Chunks.finish("tool_calls")).data(Chunks.usage(50, 20)).done());

            // when
            List<ModelStreamItem> items = readAll(model.stream(aQuestion()));

            // then
            assertThat(items).containsExactly(
                    new ToolCallRequest("call_abc", "get_weather", "{\"city\": \"Paris\"}"),
                    new Finish(FinishReason.TOOL_CALLS),
                    new UsageReport(Usage.reported(50, 20)));
        }

        @Test
        void two_tool_calls_in_one_answer_are_two_requests_before_the_finish() {
            // given
            server.enqueue(Reply.stream()
                    .data(Chunks.toolCallStart(0, "call_1", "get_weather", "{\"city\":"))
                    .data(Chunks.toolCallArguments(0, "\"Oslo\"}"))
                    .data(Chunks.toolCallStart(1, "call_2", "get_time", ""))
                    .data(Chunks.toolCallArguments(1, "{\"zone\":\"CET\"}"))
                    .data(Chunks.finish("tool_calls")).done());

            // when
            List<ModelStreamItem> items = withoutEstimate(readAll(model.stream(aQuestion())));

            // then
            assertThat(items).containsExactly(
                    new ToolCallRequest("call_1", "get_weather", "{\"city\":\"Oslo\"}"),
                    new ToolCallRequest("call_2", "get_time", "{\"zone\":\"CET\"}"),
                    new Finish(FinishReason.TOOL_CALLS));
        }

        @Test
        void each_finish_reason_is_mapped() {
            for (var reason : Map.of("stop", FinishReason.STOP, "length", FinishReason.LENGTH,
                    "content_filter", FinishReason.CONTENT_FILTER, "function_call", FinishReason.TOOL_CALLS).entrySet()) {
                // given
                server.enqueue(Reply.stream().data(Chunks.text("x")).data(Chunks.finish(reason.getKey())).done());

                // when
                List<ModelStreamItem> items = withoutEstimate(readAll(model.stream(aQuestion())));

                // then
                assertThat(items).as(reason.getKey()).endsWith(new Finish(reason.getValue()));
            }
        }
    }

    @Nested
    class TheRequest {
        @Test
        void carries_instructions_history_with_tool_calls_and_results_tools_and_asks_for_usage() {
            // given
            server.enqueue(Reply.stream().data(Chunks.text("Sunny.")).data(Chunks.finish("stop")).done());
            ToolCallRequest call = new ToolCallRequest("call_7", "get_weather", "{\"city\":\"Oslo\"}");
            String schema = "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}";
            ModelRequest request = new ModelRequest(AgentId.of("support-triage"), "You are terse.", List.of(
                    ModelMessage.user("Weather in Oslo?"),
                    new ModelMessage.Assistant("", List.of(call)),
                    new ModelMessage.ToolResult("call_7", "{\"sky\":\"clear\"}"),
                    ModelMessage.user("And tomorrow?")),
                    List.of(new ToolDefinition("get_weather", "Looks the weather up.", schema)));

            // when
            readAll(model.stream(request));

            // then
            assertThat(server.requests()).hasSize(1);
            FakeOpenAiServer.Recorded sent = server.requests().getFirst();
            assertThat(sent.method()).isEqualTo("POST");
            assertThat(sent.target()).isEqualTo("/openai/deployments/gpt-4o-mini/chat/completions?api-version=2024-10-21");
            assertThat(sent.header("api-key")).isEqualTo(FakeOpenAiServer.TEST_KEY);
            assertThat(sent.header("authorization")).isNull();
            Map<String, Object> body = sent.json();
            assertThat(body.get("messages")).isEqualTo(List.of(
                    Map.of("role", "system", "content", "You are terse."),
                    Map.of("role", "user", "content", "Weather in Oslo?"),
                    mapWithNull("role", "assistant", "content", List.of(Map.of("id", "call_7", "type", "function",
                            "function", Map.of("name", "get_weather", "arguments", "{\"city\":\"Oslo\"}")))),
                    Map.of("role", "tool", "tool_call_id", "call_7", "content", "{\"sky\":\"clear\"}"),
                    Map.of("role", "user", "content", "And tomorrow?")));
            assertThat(body.get("tools")).isEqualTo(List.of(Map.of("type", "function", "function", Map.of(
                    "name", "get_weather", "description", "Looks the weather up.",
                    "parameters", Map.of("type", "object", "properties", Map.of("city", Map.of("type", "string")),
                            "required", List.of("city"))))));
            assertThat(body).containsEntry("stream", true).containsEntry("stream_options", Map.of("include_usage", true));
        }

        @Test
        void an_agents_model_settings_choose_the_deployment_the_temperature_and_the_answer_length() {
            // given
            server.enqueue(Reply.stream().data(Chunks.text("Ok.")).data(Chunks.finish("stop")).done());
            ModelRequest request = new ModelRequest(AgentId.of("sql-analyst"), "Be exact.", List.of(ModelMessage.user("Hi")),
                    List.of(), new dev.agentchat.domain.agent.ModelSettings("gpt-4o", 0.1, 300));

            // when
            readAll(model.stream(request));

            // then
            FakeOpenAiServer.Recorded sent = server.requests().getFirst();
            assertThat(sent.target()).startsWith("/openai/deployments/gpt-4o/chat/completions");
            assertThat(sent.json()).containsEntry("temperature", 0.1).containsEntry("max_tokens", 300);
        }

        @Test
        void without_model_settings_the_service_defaults_apply() {
            // given
            server.enqueue(Reply.stream().data(Chunks.text("Ok.")).data(Chunks.finish("stop")).done());

            // when
            readAll(model.stream(aQuestion()));

            // then
            assertThat(server.requests().getFirst().json()).doesNotContainKeys("temperature", "max_tokens");
        }

        @Test
        void a_tool_schema_that_is_not_a_json_object_is_refused_before_anything_is_sent() {
            // given
            ModelRequest request = new ModelRequest(AgentId.of("support-triage"), "Hi", List.of(ModelMessage.user("Hi")),
                    List.of(new ToolDefinition("broken", "Broken schema.", "{\"type\": \"object\"")));

            // when / then
            assertThatThrownBy(() -> model.stream(request)).isInstanceOfSatisfying(ModelFailure.class,
                    failure -> assertThat(failure.code()).isEqualTo("model_error"));
            assertThat(server.requests()).isEmpty();
        }

        @Test
        void an_openai_compatible_server_is_asked_at_its_base_url_with_a_bearer_key_and_the_model() {
            // given
            ChatModel compatible = createModel(
                    ModelServiceSettings.openAiCompatible(server.endpoint() + "/v1", "llama3.1", Optional.of("sk-local")));
            server.enqueue(Reply.stream().data(Chunks.text("Hi")).data(Chunks.finish("stop")).done());

            // when
            List<ModelStreamItem> items = readAll(compatible.stream(aQuestion()));

            // then
            assertThat(items).contains(new TextDelta("Hi"));
            FakeOpenAiServer.Recorded sent = server.requests().getFirst();
            assertThat(sent.target()).isEqualTo("/v1/chat/completions");
            assertThat(sent.header("authorization")).isEqualTo("Bearer sk-local");
            assertThat(sent.header("api-key")).isNull();
            assertThat(sent.json()).containsEntry("model", "llama3.1").containsEntry("stream", true);
            assertThat(compatible.modelName()).isEqualTo("llama3.1");
        }

        @Test
        void without_a_key_azure_is_asked_through_entra_id_and_the_model_still_names_its_deployment() {
            // given / when: building asks for no token yet, so nothing is sent anywhere
            ChatModel entra = createModel(
                    ModelServiceSettings.azure("https://example.openai.azure.com", Optional.empty()).withDeployment("gpt-4o"));

            // then
            assertThat(entra.modelName()).isEqualTo("gpt-4o");
        }
    }

    @Nested
    class Faults {
        @Test
        void a_429_is_retried_after_the_wait_the_service_asks_in_milliseconds() {
            // given
            server.enqueue(Reply.error(429, rateLimitBody()).header("retry-after-ms", "20"));
            server.enqueue(Reply.stream().data(Chunks.text("Made it.")).data(Chunks.finish("stop")).done());

            // when
            List<ModelStreamItem> items = withoutEstimate(readAll(model.stream(aQuestion())));

            // then
            assertThat(items).containsExactly(new TextDelta("Made it."), new Finish(FinishReason.STOP));
            assertThat(server.requests()).hasSize(2);
        }

        @Test
        void a_429_is_retried_after_the_wait_the_service_asks_in_seconds() {
            // given
            server.enqueue(Reply.error(429, rateLimitBody()).header("Retry-After", "1"));
            server.enqueue(Reply.stream().data(Chunks.text("Made it.")).data(Chunks.finish("stop")).done());

            // when
            List<ModelStreamItem> items = withoutEstimate(readAll(model.stream(aQuestion())));

            // then
            assertThat(items).contains(new TextDelta("Made it."));
            assertThat(server.requests()).hasSize(2);
        }

        @Test
        void a_429_that_never_ends_fails_as_rate_limited_once_the_retries_run_out() {
            // given
            for (int i = 0; i < 4; i++) {
                server.enqueue(Reply.error(429, rateLimitBody()).header("retry-after-ms", "10"));
            }

            // when
            ModelFailure failure = failureOf(model.stream(aQuestion()));

            // then
            assertThat(failure.code()).isEqualTo("rate_limited");
            assertThat(failure.detail()).contains("429").contains("token rate limit");
            assertThat(server.requests()).as("the first try and three retries").hasSize(4);
        }

        @Test
        void a_refused_request_costs_nothing_and_reports_no_usage() {
            // given
            server.enqueue(Reply.error(401, "{\"error\":{\"code\":\"401\",\"message\":\"Access denied due to invalid key.\"}}"));

            // when
            List<ModelStreamItem> before = new ArrayList<>();
            ModelStream stream = model.stream(aQuestion());
            ModelFailure failure = catchThrowableOfType(ModelFailure.class, () -> {
                for (Optional<ModelStreamItem> item = stream.next(); item.isPresent(); item = stream.next()) {
                    before.add(item.get());
                }
            });

            // then
            assertThat(failure.code()).isEqualTo("model_auth_failed");
            assertThat(before).as("no estimated usage for a call that never ran").isEmpty();
            assertThat(stream.next()).isEmpty();
        }

        @Test
        void the_key_never_appears_in_a_failure_even_when_the_service_quotes_it_at_length() {
            // given a service error that quotes the key where the message would be shortened
            String padding = "x".repeat(290);
            server.enqueue(Reply.error(400, "{\"error\":{\"code\":\"bad\",\"message\":\"" + padding
                    + " key " + FakeOpenAiServer.TEST_KEY + " was wrong\"}}"));

            // when
            ModelFailure failure = failureOf(model.stream(aQuestion()));

            // then
            assertThat(failure.detail()).contains(" key ***").doesNotContain(" key test");
            assertThat(failure.getMessage()).doesNotContain(FakeOpenAiServer.TEST_KEY);
        }

        @Test
        void a_wait_longer_than_the_longest_delay_is_not_waited_for() {
            // given
            server.enqueue(Reply.error(429, rateLimitBody()).header("Retry-After", "3600"));

            // when
            ModelFailure failure = assertTimeoutPreemptively(PROMPTLY.multipliedBy(5), () -> failureOf(model.stream(aQuestion())));

            // then
            assertThat(failure.code()).isEqualTo("rate_limited");
            assertThat(failure.getMessage()).contains("3600");
            assertThat(server.requests()).hasSize(1);
        }

        @Test
        void a_5xx_that_persists_fails_as_model_unavailable() {
            // given
            for (int i = 0; i < 4; i++) {
                server.enqueue(Reply.error(503, "{\"error\":{\"code\":\"ServiceUnavailable\",\"message\":\"Overloaded.\"}}"));
            }

            // when
            ModelFailure failure = failureOf(model.stream(aQuestion()));

            // then
            assertThat(failure.code()).isEqualTo("model_unavailable");
            assertThat(failure.detail()).contains("503");
            assertThat(server.requests()).hasSize(4);
        }

        @Test
        void a_service_that_cannot_be_reached_fails_as_model_unavailable() throws IOException {
            // given: a port that was free a moment ago and has no listener now
            int port = FakeOpenAiServer.unusedPort();
            ChatModel unreachable = createModel(ModelServiceSettings.azure("http://127.0.0.1:" + port,
                    Optional.of(FakeOpenAiServer.TEST_KEY)).withRetries(1, Duration.ofMillis(10), Duration.ofMillis(50)));

            // when
            ModelFailure failure = failureOf(unreachable.stream(aQuestion()));

            // then
            assertThat(failure.code()).isEqualTo("model_unavailable");
            assertThat(failure.detail()).contains("127.0.0.1:" + port);
            assertThat(failure.getMessage()).doesNotContain("127.0.0.1:" + port);
        }

        @Test
        void a_content_filter_refusal_fails_as_content_filter() {
            // given: Azure's answer when the prompt trips the filter
            server.enqueue(Reply.error(400, "{\"error\":{\"message\":\"The response was filtered due to the prompt triggering "
                    + "Azure OpenAI's content management policy.\",\"type\":null,\"param\":\"prompt\",\"code\":\"content_filter\","
                    + "\"status\":400,\"innererror\":{\"code\":\"ResponsibleAIPolicyViolation\",\"content_filter_result\":"
                    + "{\"violence\":{\"filtered\":true,\"severity\":\"high\"}}}}}"));

            // when
            ModelFailure failure = failureOf(model.stream(aQuestion()));

            // then
            assertThat(failure.code()).isEqualTo("content_filter");
            assertThat(failure.detail()).contains("content management policy");
            assertThat(server.requests()).as("a refusal is not retried").hasSize(1);
        }

        @Test
        void a_conversation_too_long_fails_as_context_length_exceeded() {
            // given
            server.enqueue(Reply.error(400, "{\"error\":{\"message\":\"This model's maximum context length is 128000 tokens. "
                    + "However, your messages resulted in 130000 tokens.\",\"type\":\"invalid_request_error\",\"param\":\"messages\","
                    + "\"code\":\"context_length_exceeded\"}}"));

            // when
            ModelFailure failure = failureOf(model.stream(aQuestion()));

            // then
            assertThat(failure.code()).isEqualTo("context_length_exceeded");
        }

        @Test
        void refused_credentials_fail_as_model_auth_failed_and_the_key_is_never_quoted() {
            // given: a service that quotes the key back
            server.enqueue(Reply.error(401, "{\"error\":{\"code\":\"401\",\"message\":\"Access denied: the key "
                    + FakeOpenAiServer.TEST_KEY + " is not valid.\"}}"));

            // when
            ModelFailure failure = failureOf(model.stream(aQuestion()));

            // then
            assertThat(failure.code()).isEqualTo("model_auth_failed");
            assertThat(failure.detail()).contains("Access denied").doesNotContain(FakeOpenAiServer.TEST_KEY);
            assertThat(failure.getMessage()).doesNotContain(FakeOpenAiServer.TEST_KEY);
        }

        @Test
        void another_refusal_fails_as_model_error_with_the_service_message() {
            // given
            server.enqueue(Reply.error(404, "{\"error\":{\"code\":\"DeploymentNotFound\",\"message\":\"The API deployment for this "
                    + "resource does not exist.\"}}"));

            // when
            ModelFailure failure = failureOf(model.stream(aQuestion()));

            // then
            assertThat(failure.code()).isEqualTo("model_error");
            assertThat(failure.detail()).contains("404").contains("deployment for this resource does not exist");
        }

        @Test
        void a_connection_cut_mid_answer_fails_as_model_stream_cut_after_the_text_before_it() {
            // given
            server.enqueue(Reply.stream().data(Chunks.text("Half an ")).cut());

            try (ModelStream stream = model.stream(aQuestion())) {
                // when
                Optional<ModelStreamItem> first = assertTimeoutPreemptively(LIMIT, stream::next);
                ModelFailure failure = failureOf(stream);

                // then
                assertThat(first).contains(new TextDelta("Half an "));
                assertThat(failure.code()).isEqualTo("model_stream_cut");
                assertThat(stream.next()).as("after the failure").isEmpty();
            }
        }

        @Test
        void a_body_that_ends_before_the_answer_is_finished_fails_as_model_stream_cut() {
            // given: a well-formed end of the HTTP body, but no finish reason and no [DONE]
            server.enqueue(Reply.stream().data(Chunks.text("Half an ")));

            // when
            List<ModelStreamItem> before = new ArrayList<>();
            ModelStream stream = model.stream(aQuestion());
            ModelFailure failure = catchThrowableOfType(ModelFailure.class, () -> {
                for (Optional<ModelStreamItem> item = stream.next(); item.isPresent(); item = stream.next()) {
                    before.add(item.get());
                }
            });

            // then: the text, then the tokens it cost (estimated, since the usage never came), then the failure
            assertThat(withoutEstimate(before)).containsExactly(new TextDelta("Half an "));
            assertThat(before.getLast()).isInstanceOfSatisfying(UsageReport.class,
                    report -> assertThat(report.usage().estimated()).isTrue());
            assertThat(failure).isNotNull();
            assertThat(failure.code()).isEqualTo("model_stream_cut");
        }

        @Test
        void a_cut_after_the_finish_ends_the_answer_quietly() {
            // given: everything but the usage and [DONE]
            server.enqueue(Reply.stream().data(Chunks.text("Whole.")).data(Chunks.finish("stop")).cut());

            // when
            List<ModelStreamItem> items = withoutEstimate(readAll(model.stream(aQuestion())));

            // then
            assertThat(items).containsExactly(new TextDelta("Whole."), new Finish(FinishReason.STOP));
        }

        @Test
        void an_error_event_mid_answer_fails_with_its_code() {
            // given
            server.enqueue(Reply.stream().data(Chunks.text("Let me "))
                    .data("{\"error\":{\"code\":\"content_filter\",\"message\":\"The output was filtered.\"}}"));

            try (ModelStream stream = model.stream(aQuestion())) {
                // when
                Optional<ModelStreamItem> first = assertTimeoutPreemptively(LIMIT, stream::next);
                ModelFailure failure = failureOf(stream);

                // then
                assertThat(first).contains(new TextDelta("Let me "));
                assertThat(failure.code()).isEqualTo("content_filter");
            }
        }

        @Test
        void a_service_that_never_answers_is_asked_once_not_again_after_each_timeout() {
            // given
            server.enqueue(Reply.silent()).enqueue(Reply.silent());
            ChatModel impatient = createModel(ModelServiceSettings.azure(server).withReadTimeout(Duration.ofSeconds(1)));

            // when
            long started = System.nanoTime();
            ModelFailure failure = failureOf(impatient.stream(aQuestion()));

            // then
            assertThat(failure.code()).isEqualTo("model_unavailable");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
            assertThat(server.requests()).as("no retry after a timeout").hasSize(1);
        }

        @Test
        void a_service_silent_mid_answer_past_the_read_timeout_fails_as_model_stream_cut() {
            // given
            CountDownLatch never = new CountDownLatch(1);
            server.enqueue(Reply.stream().data(Chunks.text("Thinking")).await(never));
            ChatModel impatient = createModel(ModelServiceSettings.azure(server).withReadTimeout(Duration.ofSeconds(2)));

            try (ModelStream stream = impatient.stream(aQuestion())) {
                // when
                Optional<ModelStreamItem> first = assertTimeoutPreemptively(LIMIT, stream::next);
                ModelFailure failure = failureOf(stream);

                // then
                assertThat(first).contains(new TextDelta("Thinking"));
                assertThat(failure.code()).isEqualTo("model_stream_cut");
                assertThat(failure.getMessage()).contains("silent");
            } finally {
                never.countDown();
            }
        }
    }

    @Nested
    class MalformedAnswers {
        @ParameterizedTest(name = "[{index}] {0}")
        @MethodSource("dev.agentchat.ports.contract.model.ModelServiceContract#chunks_of_the_wrong_shape")
        void a_chunk_of_the_wrong_shape_fails_as_a_protocol_error_after_the_text_before_it(String malformed) {
            // given a service that sends some text, then the chunk, then more
            server.enqueue(Reply.stream().data(Chunks.role()).data(Chunks.text("Hello")).data(malformed)
                    .data(Chunks.text(" never read")).data(Chunks.finish("stop")).done());
            List<ModelStreamItem> items = new ArrayList<>();

            // when
            ModelFailure failure;
            try (ModelStream stream = model.stream(aQuestion())) {
                failure = assertTimeoutPreemptively(LIMIT, () -> catchThrowableOfType(ModelFailure.class, () -> {
                    for (Optional<ModelStreamItem> item = stream.next(); item.isPresent(); item = stream.next()) {
                        items.add(item.get());
                    }
                }));
            }

            // then
            assertThat(withoutEstimate(items)).containsExactly(new TextDelta("Hello"));
            assertThat(failure).as("the stream's failure").isNotNull();
            assertThat(failure.code()).isEqualTo("model_protocol_error");
            assertThat(failure.getMessage()).as("the client's message quotes nothing of the chunk")
                    .isEqualTo("The model service sent something that is not part of an answer.");
        }

        @Test
        void sse_comments_and_events_split_across_reads_are_read_as_one_answer() {
            // given a frame cut in the middle of its JSON, and comments between frames
            String whole = Chunks.text("Hello there");
            server.enqueue(Reply.stream().comment("keep-alive").raw("data: " + whole.substring(0, 17))
                    .raw(whole.substring(17) + "\n\n").comment("").data(Chunks.finish("stop")).done());

            // when
            List<ModelStreamItem> items = withoutEstimate(readAll(model.stream(aQuestion())));

            // then
            assertThat(items).containsExactly(new TextDelta("Hello there"), new Finish(FinishReason.STOP));
        }
    }

    @Nested
    class Closing {
        @Test
        void closing_from_another_thread_closes_the_connection_and_ends_a_blocked_next_promptly() throws Exception {
            // given: a reader blocked in next() on an answer the server holds back
            CountDownLatch connectionClosed = new CountDownLatch(1);
            server.enqueue(Reply.stream().data(Chunks.text("Once upon a time")).holdUntilClientCloses(connectionClosed));
            ModelStream stream = model.stream(aQuestion());
            assertThat(assertTimeoutPreemptively(LIMIT, stream::next)).contains(new TextDelta("Once upon a time"));
            CompletableFuture<Optional<ModelStreamItem>> blockedRead = readBlocked(stream);

            // when
            stream.close();

            // then
            assertThat(blockedRead).succeedsWithin(PROMPTLY).isEqualTo(Optional.empty());
            assertThat(connectionClosed.await(LIMIT.toSeconds(), TimeUnit.SECONDS))
                    .as("the server saw the connection close").isTrue();
            assertThat(stream.next()).isEmpty();
        }

        @Test
        void interrupting_a_reader_blocked_mid_answer_ends_its_answer_and_closes_the_connection() throws Exception {
            // given: a reader blocked in next() on an answer the server holds back, as a run's thread would be
            CountDownLatch connectionClosed = new CountDownLatch(1);
            server.enqueue(Reply.stream().data(Chunks.text("Once upon a time")).holdUntilClientCloses(connectionClosed));
            ModelStream stream = model.stream(aQuestion());
            assertThat(assertTimeoutPreemptively(LIMIT, stream::next)).contains(new TextDelta("Once upon a time"));
            CompletableFuture<Optional<ModelStreamItem>> blockedRead = readBlocked(stream);

            // when: the run is stopped by interrupting its thread
            readers.getLast().interrupt();

            // then
            try {
                assertThat(blockedRead).succeedsWithin(PROMPTLY).isEqualTo(Optional.empty());
                assertThat(connectionClosed.await(LIMIT.toSeconds(), TimeUnit.SECONDS))
                        .as("the server saw the connection close").isTrue();
            } finally {
                stream.close();
            }
        }

        @Test
        void closing_during_a_retry_wait_ends_the_stream_at_once() throws InterruptedException {
            // given: a service that asks for a long wait, which these settings allow
            ChatModel patient = createModel(ModelServiceSettings.azure(server)
                    .withRetries(3, Duration.ofMillis(10), Duration.ofMinutes(2)));
            server.enqueue(Reply.error(429, rateLimitBody()).header("retry-after-ms", "60000"));
            ModelStream stream = patient.stream(aQuestion());
            // An adapter may send the request when the stream is made, or when it is first read.
            CompletableFuture<Optional<ModelStreamItem>> blockedRead = readInBackground(stream);
            server.awaitRequests(1);
            awaitParked(readers.getLast());

            // when
            stream.close();

            // then
            assertThat(blockedRead).succeedsWithin(PROMPTLY).isEqualTo(Optional.empty());
            assertThat(server.requests()).as("no retry after the close").hasSize(1);
        }
    }

    /** Chunks with a structure where the chat completions format has a string, a number or a list. */
    static Stream<String> chunks_of_the_wrong_shape() {
        return Stream.of(
                "{\"choices\":[{\"index\":0,\"delta\":{\"content\":[\"secret-deployment\"]}}]}",
                "{\"choices\":[{\"index\":0,\"delta\":{\"content\":{\"a\":1}}}]}",
                "{\"choices\":[{\"index\":{},\"delta\":{\"content\":\"x\"}}]}",
                "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\","
                        + "\"type\":\"function\",\"function\":{\"name\":[],\"arguments\":\"\"}}]}}]}",
                "{\"choices\":[],\"usage\":{\"prompt_tokens\":[],\"completion_tokens\":1,\"total_tokens\":1}}",
                "{\"choices\":\"none\"}",
                "null",
                "{\"internal\": \"trace-77\"");
    }

    /** Starts a reader of {@code stream} on its own thread and returns once it is blocked in next(). */
    private CompletableFuture<Optional<ModelStreamItem>> readBlocked(ModelStream stream) {
        CompletableFuture<Optional<ModelStreamItem>> read = readInBackground(stream);
        awaitParked(readers.getLast());
        return read;
    }

    /** Starts a reader of {@code stream} on its own thread, kept in {@link #readers}, and returns at once. */
    private CompletableFuture<Optional<ModelStreamItem>> readInBackground(ModelStream stream) {
        CompletableFuture<Optional<ModelStreamItem>> read = new CompletableFuture<>();
        readers.add(Thread.ofVirtual().start(() -> {
            try {
                read.complete(stream.next());
            } catch (Throwable e) {
                read.completeExceptionally(e);
            }
        }));
        return read;
    }

    private static ModelRequest aQuestion() {
        return new ModelRequest(AgentId.of("support-triage"), "You are a helpful assistant.", List.of(ModelMessage.user("Hello?")));
    }

    /** Reads {@code stream} to its end, leaving it open for what it tells after. */
    private static List<ModelStreamItem> readToTheEnd(ModelStream stream) {
        return assertTimeoutPreemptively(LIMIT, () -> {
            List<ModelStreamItem> items = new ArrayList<>();
            for (Optional<ModelStreamItem> item = stream.next(); item.isPresent(); item = stream.next()) {
                items.add(item.get());
            }
            return items;
        });
    }

    private static List<ModelStreamItem> readAll(ModelStream stream) {
        try (stream) {
            return readToTheEnd(stream);
        }
    }

    /** The items but the usage the adapter estimates when the service sends none. */
    private static List<ModelStreamItem> withoutEstimate(List<ModelStreamItem> items) {
        return items.stream().filter(item -> !(item instanceof ModelStreamItem.UsageReport report && report.usage().estimated()))
                .toList();
    }

    /** Reads until the stream fails, which it must. */
    private static ModelFailure failureOf(ModelStream stream) {
        ModelFailure failure = assertTimeoutPreemptively(LIMIT, () -> catchThrowableOfType(ModelFailure.class, () -> {
            for (Optional<ModelStreamItem> item = stream.next(); item.isPresent(); item = stream.next()) {
                // the items before the failure
            }
        }));
        assertThat(failure).as("the stream's failure").isNotNull();
        return failure;
    }

    private static String rateLimitBody() {
        return "{\"error\":{\"code\":\"429\",\"message\":\"Requests to the ChatCompletions_Create Operation have exceeded the "
                + "token rate limit of your current tier.\"}}";
    }

    /** {@code Map.of} refuses nulls; an assistant message that only calls tools has a null content. */
    private static Map<String, Object> mapWithNull(String roleKey, String role, String contentKey, List<Object> toolCalls) {
        Map<String, Object> message = new java.util.LinkedHashMap<>();
        message.put(roleKey, role);
        message.put(contentKey, null);
        message.put("tool_calls", toolCalls);
        return message;
    }

    /** Waits until the thread parks (in next(), the only place it can), within a few seconds. */
    private static void awaitParked(Thread thread) {
        await().atMost(Duration.ofSeconds(10)).until(() -> switch (thread.getState()) {
            case WAITING, TIMED_WAITING, TERMINATED -> true;
            case NEW, RUNNABLE, BLOCKED -> false;
        });
    }
}
