package dev.agentchat.adapter.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.agentchat.domain.agent.AgentId;
import dev.agentchat.domain.chat.FinishReason;
import dev.agentchat.domain.chat.ModelStreamItem;
import dev.agentchat.domain.chat.ModelStreamItem.TextDelta;
import dev.agentchat.ports.chat.ModelFailure;
import dev.agentchat.ports.chat.ModelMessage;
import dev.agentchat.ports.chat.ModelRequest;
import dev.agentchat.ports.chat.ModelStream;
import dev.agentchat.ports.contract.model.Chunks;
import dev.agentchat.ports.contract.model.FakeOpenAiServer;
import dev.agentchat.ports.contract.model.FakeOpenAiServer.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Chunks whose members hold another JSON type than the SDK's model reads there, as a faulty or hostile
 * service could send them. The SDK's own parse never returns on an array or an object where it reads a
 * string: each such chunk must instead fail the answer as a protocol error, promptly. Every read here is
 * {@link Bounded}: one that spins fails its test and cannot keep the test JVM alive.
 */
class MalformedChunkTest {
    /** Far more than a parse takes (microseconds); a spinning one never ends. */
    private static final Duration PROMPTLY = Duration.ofSeconds(5);
    /** For a whole stream through the SDK and Netty: an upper bound only, the stream's end comes long before. */
    private static final Duration LIMIT = Duration.ofSeconds(30);

    private final ChunkTranslator translator = new ChunkTranslator(new ModelFailures(
            AzureOpenAiSettings.openAiCompatible("http://127.0.0.1:1/v1", "gpt-4o-mini", Optional.empty())));

    private FakeOpenAiServer server;
    private AzureOpenAiChatModel model;

    @AfterEach
    void stop() {
        if (model != null) {
            model.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /** Where the SDK's model reads a string, at every depth it reads one, with an array or object in its place. */
    static Stream<String> structures_where_the_sdk_reads_a_string() {
        List<String> chunks = new ArrayList<>();
        for (String wrong : List.of("[]", "{}", "[\"x\"]", "{\"a\":1}", "[[{}]]")) {
            chunks.add(delta("{\"content\":" + wrong + "}"));
            chunks.add(delta("{\"role\":" + wrong + ",\"content\":\"x\"}"));
            chunks.add(delta("{\"refusal\":" + wrong + "}"));
            chunks.add(choice("{}", wrong));
            chunks.add("{\"id\":" + wrong + ",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"}}]}");
            chunks.add("{\"model\":" + wrong + ",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"}}]}");
            chunks.add("{\"system_fingerprint\":" + wrong + ",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"}}]}");
            chunks.add("{\"service_tier\":" + wrong + ",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"}}]}");
            chunks.add(toolCall("\"id\":" + wrong + ",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"\"}"));
            chunks.add(toolCall("\"id\":\"call_1\",\"type\":" + wrong + ",\"function\":{\"name\":\"f\",\"arguments\":\"\"}"));
            chunks.add(toolCall("\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":" + wrong + ",\"arguments\":\"\"}"));
            chunks.add(toolCall("\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":" + wrong + "}"));
            chunks.add(delta("{\"function_call\":{\"name\":" + wrong + ",\"arguments\":\"{}\"}}"));
            chunks.add(delta("{\"function_call\":{\"name\":\"f\",\"arguments\":" + wrong + "}}"));
            chunks.add(delta("{\"context\":{\"intent\":" + wrong + "}}"));
            chunks.add(filterResults("\"hate\":{\"filtered\":false,\"severity\":" + wrong + "}"));
            chunks.add(filterResults("\"protected_material_code\":{\"filtered\":false,\"detected\":true,\"URL\":" + wrong + "}"));
            chunks.add(filterResults("\"custom_blocklists\":{\"filtered\":false,\"details\":[{\"filtered\":true,\"id\":" + wrong
                    + "}]}"));
            chunks.add("{\"choices\":[],\"prompt_filter_results\":[{\"prompt_index\":0,\"content_filter_results\":"
                    + "{\"hate\":{\"filtered\":false,\"severity\":" + wrong + "}}}]}");
        }
        return chunks.stream();
    }

    /** Where it reads a number or a boolean: its reader already refuses these, which must stay so. */
    static Stream<String> structures_where_the_sdk_reads_a_number_or_a_boolean() {
        List<String> chunks = new ArrayList<>();
        for (String wrong : List.of("[]", "{}", "[1]", "{\"a\":true}")) {
            chunks.add("{\"choices\":[{\"index\":" + wrong + ",\"delta\":{\"content\":\"x\"}}]}");
            chunks.add("{\"created\":" + wrong + ",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"}}]}");
            chunks.add("{\"choices\":[],\"usage\":{\"prompt_tokens\":" + wrong + ",\"completion_tokens\":1,\"total_tokens\":1}}");
            chunks.add("{\"choices\":[],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,\"total_tokens\":1,"
                    + "\"prompt_tokens_details\":{\"cached_tokens\":" + wrong + "}}}");
            chunks.add(filterResults("\"hate\":{\"filtered\":" + wrong + ",\"severity\":\"safe\"}"));
            chunks.add(filterResults("\"profanity\":{\"filtered\":false,\"detected\":" + wrong + "}"));
        }
        return chunks.stream();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("structures_where_the_sdk_reads_a_string")
    void a_structure_where_the_sdk_reads_a_string_is_a_protocol_error_not_a_parse_that_never_ends(String chunk) {
        // when
        Throwable thrown = promptly(() -> catchThrowable(() -> translator.translate(chunk)), chunk);

        // then
        assertIsAProtocolError(thrown, chunk);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("structures_where_the_sdk_reads_a_number_or_a_boolean")
    void a_structure_where_the_sdk_reads_a_number_or_a_boolean_is_a_protocol_error(String chunk) {
        Throwable thrown = promptly(() -> catchThrowable(() -> translator.translate(chunk)), chunk);

        assertIsAProtocolError(thrown, chunk);
    }

    @Test
    void a_chunk_that_is_the_json_null_is_a_protocol_error() {
        Throwable thrown = promptly(() -> catchThrowable(() -> translator.translate("null")), "null");

        assertIsAProtocolError(thrown, "null");
    }

    @Test
    void well_formed_chunks_that_take_the_full_way_still_read_as_before() {
        // given tool call deltas, Azure's prompt filter chunk and verdicts the fast path leaves to the SDK
        String start = Chunks.toolCallStart(0, "call_1", "calculator", "{\"expression\":");
        String withCitation = filterResults("\"protected_material_code\":{\"filtered\":false,\"detected\":true,"
                + "\"citation\":{\"URL\":\"https://example.com\",\"license\":\"MIT\"}},"
                + "\"custom_blocklists\":{\"filtered\":false,\"details\":[{\"filtered\":false,\"id\":\"list-1\"}]}");

        // when / then
        assertThat(promptly(() -> translator.translate(Chunks.promptFilterResults()), "prompt filter")).isEmpty();
        assertThat(promptly(() -> translator.translate(start), start)).isEmpty();
        assertThat(promptly(() -> translator.translate(withCitation), withCitation)).containsExactly(new TextDelta("x"));
        assertThat(promptly(() -> translator.translate(Chunks.toolCallArguments(0, "\"2+2\"}")), "arguments")).isEmpty();
        assertThat(promptly(() -> translator.translate(Chunks.finish("tool_calls")), "finish")).containsExactly(
                new ModelStreamItem.ToolCallRequest("call_1", "calculator", "{\"expression\":\"2+2\"}"),
                new ModelStreamItem.Finish(FinishReason.TOOL_CALLS));
    }

    @Test
    void a_stream_with_such_a_chunk_fails_as_a_protocol_error_after_the_text_before_it() {
        // given a service that sends some text, then a chunk whose content is an array, then more
        server = FakeOpenAiServer.start();
        model = AzureOpenAiChatModel.create(TestSettings.azure(server));
        String malformed = delta("{\"content\":[\"secret-deployment\"]}");
        server.enqueue(Reply.stream().data(Chunks.role()).data(Chunks.text("Hello")).data(malformed)
                .data(Chunks.text(" never read")).data(Chunks.finish("stop")).done());

        // when
        Read read;
        try (ModelStream stream = model.stream(aQuestion())) {
            read = Bounded.within(LIMIT, "the stream", () -> readUntilFailure(stream));
        }

        // then
        assertThat(read.items()).filteredOn(TextDelta.class::isInstance).containsExactly(new TextDelta("Hello"));
        assertIsAProtocolError(read.failure(), malformed);
    }

    private static void assertIsAProtocolError(Throwable thrown, String chunk) {
        assertThat(thrown).as("what reading %s threw", chunk).isInstanceOfSatisfying(ModelFailure.class, failure -> {
            assertThat(failure.code()).isEqualTo("model_protocol_error");
            assertThat(failure.getMessage()).as("the client's message quotes nothing of the chunk")
                    .isEqualTo("The model service sent something that is not part of an answer.");
        });
    }

    private static <T> T promptly(Callable<T> work, String what) {
        return Bounded.within(PROMPTLY, what, work);
    }

    /** The items a stream gave, and the failure that ended it (null if it ended without one). */
    private record Read(List<ModelStreamItem> items, Throwable failure) {
    }

    private static Read readUntilFailure(ModelStream stream) {
        List<ModelStreamItem> items = new ArrayList<>();
        Throwable failure = catchThrowable(() -> {
            for (Optional<ModelStreamItem> item = stream.next(); item.isPresent(); item = stream.next()) {
                items.add(item.get());
            }
        });
        return new Read(items, failure);
    }

    // ---- chunks

    private static String delta(String delta) {
        return choice(delta, "null");
    }

    private static String choice(String delta, String finishReason) {
        return "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1732500000,\"model\":\"gpt-4o-mini\","
                + "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"logprobs\":null,\"finish_reason\":" + finishReason + "}]}";
    }

    private static String toolCall(String members) {
        return delta("{\"tool_calls\":[{\"index\":0," + members + "}]}");
    }

    private static String filterResults(String verdicts) {
        return "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"},\"content_filter_results\":{" + verdicts + "}}]}";
    }

    private static ModelRequest aQuestion() {
        return new ModelRequest(AgentId.of("support-triage"), "You are a helpful assistant.", List.of(ModelMessage.user("Hello?")));
    }
}
