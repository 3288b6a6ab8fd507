package dev.agentchat.adapter.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.azure.ai.openai.models.ChatChoice;
import com.azure.ai.openai.models.ChatCompletions;
import com.azure.ai.openai.models.ChatResponseMessage;
import com.azure.ai.openai.models.CompletionsUsage;
import com.azure.json.JsonProviders;
import com.azure.json.JsonReader;
import dev.agentchat.ports.chat.ModelFailure;
import dev.agentchat.ports.contract.model.Chunks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fast path of streamed chunks ({@link PlainChunk}) against the SDK's full parse
 * ({@link ChatCompletions#fromJson}, as {@link ChunkTranslator}'s slow path reads a chunk): over a corpus
 * of chunk shapes, written out and generated, the fast path either reads a chunk exactly as the SDK does
 * (its text, finish reason and usage) or hands it over ("not mine"). It never accepts a chunk the SDK
 * rejects, and it takes every plain chunk the service really sends, which is the point of having it. What
 * it hands over, the full path ({@link ChunkTranslator}) then reads or fails as a protocol error, promptly.
 */
class PlainChunkDifferentialTest {
    /** Fixed, so that a failure names a chunk that fails again. */
    private static final long SEED = 20261204L;
    private static final Duration SDK_PATIENCE = Duration.ofSeconds(10);

    /**
     * Whether the fast path must take a shape, must hand it over, or may do either (if it reads it right);
     * REFUSED: it must hand it over, and the full path must then fail it as a protocol error.
     */
    enum Expect { FAST, HANDOVER, EITHER, REFUSED }

    private static final ModelFailures FAILURES = new ModelFailures(
            AzureOpenAiSettings.openAiCompatible("http://127.0.0.1:1/v1", "gpt-4o-mini", Optional.empty()));

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("corpus")
    void the_fast_path_reads_a_chunk_as_the_sdk_does_or_hands_it_over(String shape, String json, Expect expect) {
        PlainChunk fast = PlainChunk.read(json);

        if (fast != null) {
            // Bounded: the SDK's parse never returns on some malformed chunks (a JSON array where it reads a
            // string, e.g. "content":[]); those the fast path must leave alone, so the SDK is asked only here.
            Full full = assertTimeoutPreemptively(SDK_PATIENCE, () -> Full.parse(json), "the SDK's parse of " + json);
            assertThat(full.failure()).as("the fast path took a chunk the SDK rejects: %s", json).isNull();
            assertThat(full.plain()).as("the fast path took a chunk the SDK reads as more than plain: %s", json).isTrue();
            assertThat(Reading.of(fast)).as("what the fast path read of %s", json).isEqualTo(full.reading());
        } else {
            // What the fast path hands over, the full path reads, and it ends promptly: with the chunk's items
            // or with a ModelFailure, never with another exception, never in a parse that does not return.
            Throwable thrown = Bounded.within(SDK_PATIENCE, "the full path's reading of " + json,
                    () -> catchThrowable(() -> new ChunkTranslator(FAILURES).translate(json)));
            if (expect == Expect.REFUSED) {
                assertThat(thrown).as("what the full path threw on %s", json).isInstanceOfSatisfying(ModelFailure.class,
                        failure -> assertThat(failure.code()).isEqualTo("model_protocol_error"));
            } else if (thrown != null) {
                assertThat(thrown).as("what the full path threw on %s", json).isInstanceOf(ModelFailure.class);
            }
        }
        switch (expect) {
            case FAST -> assertThat(fast).as("a plain chunk the fast path should take: %s", json).isNotNull();
            case HANDOVER, REFUSED -> assertThat(fast).as("a chunk for the full path: %s", json).isNull();
            case EITHER -> {
            }
        }
    }

    // ---- the corpus

    static Stream<Arguments> corpus() {
        List<Arguments> rows = new ArrayList<>();
        written(rows);
        generated(rows);
        return rows.stream();
    }

    /** Shapes written out: what services send, and the malformed scalars a scanner gets wrong. */
    private static void written(List<Arguments> rows) {
        // Plain text, as Azure OpenAI and OpenAI send it.
        row(rows, "text", Chunks.text("Hello"), Expect.FAST);
        row(rows, "empty text", Chunks.text(""), Expect.FAST);
        row(rows, "role-only delta", Chunks.role(), Expect.FAST);
        row(rows, "role-only delta, no content", choice("{\"role\":\"assistant\"}", "null"), Expect.FAST);
        row(rows, "content null", choice("{\"content\":null}", "null"), Expect.FAST);
        row(rows, "delta null", "{\"choices\":[{\"index\":0,\"delta\":null,\"finish_reason\":\"stop\"}]}", Expect.FAST);
        row(rows, "delta empty, finish stop", Chunks.finish("stop"), Expect.FAST);
        row(rows, "minimal text", "{\"choices\":[{\"delta\":{\"content\":\"x\"}}]}", Expect.FAST);
        row(rows, "spaced out", " { \"choices\" : [ { \"index\" : 0 , \"delta\" : { \"content\" : \"x\" } } ] } ", Expect.FAST);
        row(rows, "newlines and tabs", "{\n\t\"choices\":\r\n[{\"index\":0,\"delta\":{\"content\":\"x\"}}]\n}", Expect.FAST);
        // Unicode and escapes.
        row(rows, "raw multi-byte text", Chunks.text("Grüße, 世界 😀"), Expect.FAST);
        for (String escaped : List.of("\\u00e9", "\\u00E9", "\\ud83d\\ude00", "\\uD83D\\uDE00", "\\u0000", "\\/", "a\\/b",
                "\\\\", "\\\"", "\\b\\f\\n\\r\\t", "\\u2028\\u2029", "\\ufeff", "\\uffff", "\\ud83d", "\\ude00",
                "\\ude00\\ud83d", "x\\ud83dy", "\\u0041\\u0042")) {
            row(rows, "escape " + escaped, choice("{\"content\":\"" + escaped + "\"}", "null"), Expect.FAST);
        }
        for (String bad : List.of("\\u12", "\\u12\"", "\\u-123", "\\u+abc", "\\u 123", "\\u12g4", "\\u\u0661\u0662\u0663\u0664", "\\uＡＢＣＤ", "\\x41", "\\U0041",
                "\\'", "\\", "\\u")) {
            row(rows, "bad escape " + bad, choice("{\"content\":\"" + bad + "\"}", "null"), Expect.HANDOVER);
        }
        row(rows, "raw newline in a string", choice("{\"content\":\"a\nb\"}", "null"), Expect.HANDOVER);
        row(rows, "raw control character in a string", choice("{\"content\":\"a\u0001b\"}", "null"), Expect.HANDOVER);
        row(rows, "raw NUL in a skipped string", "{\"id\":\"a\u0000\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"}}]}",
                Expect.HANDOVER);
        row(rows, "escaped key", "{\"choices\":[{\"ind\\u0065x\":0,\"delta\":{\"content\":\"x\"}}]}", Expect.HANDOVER);
        // The model the service says answered: Azure's first chunk names none, some servers send none.
        row(rows, "empty model", "{\"model\":\"\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"}}]}", Expect.FAST);
        row(rows, "escaped model", "{\"model\":\"gpt-4o\\u002dmini\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"}}]}",
                Expect.FAST);
        row(rows, "no model", Chunks.withoutModel(Chunks.text("x")), Expect.FAST);
        // Usage.
        row(rows, "usage", Chunks.usage(412, 23), Expect.FAST);
        row(rows, "usage with details", "{\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2,\"total_tokens\":7,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":0}}}",
                Expect.FAST);
        row(rows, "usage beside a finish", "{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":1,\"total_tokens\":10}}", Expect.FAST);
        row(rows, "usage null", choice("{\"content\":\"x\"}", "null").replace("{\"id\"", "{\"usage\":null,\"id\""), Expect.FAST);
        row(rows, "usage zero", Chunks.usage(0, 0), Expect.FAST);
        row(rows, "usage largest int", Chunks.usage(Integer.MAX_VALUE, 0), Expect.FAST);
        row(rows, "usage past int", "{\"choices\":[],\"usage\":{\"prompt_tokens\":2147483648,\"completion_tokens\":1,"
                + "\"total_tokens\":1}}", Expect.EITHER);
        row(rows, "usage negative zero", "{\"choices\":[],\"usage\":{\"prompt_tokens\":-0,\"completion_tokens\":1,"
                + "\"total_tokens\":1}}", Expect.EITHER);
        row(rows, "empty choices alone", "{\"choices\":[]}", Expect.HANDOVER);
        row(rows, "empty object", "{}", Expect.HANDOVER);
        // Finish reasons.
        for (String reason : List.of("stop", "length", "tool_calls", "content_filter", "function_call", "eos", "end_turn", "")) {
            row(rows, "finish " + reason, Chunks.finish(reason), Expect.FAST);
        }
        row(rows, "finish with text", choice("{\"content\":\"last\"}", "\"stop\""), Expect.FAST);
        // Tool calls: the full path's.
        row(rows, "tool call start", Chunks.toolCallStart(0, "call_1", "search", "{\"q\":"), Expect.HANDOVER);
        row(rows, "tool call arguments", Chunks.toolCallArguments(0, "\"x\"}"), Expect.HANDOVER);
        row(rows, "tool calls empty", choice("{\"tool_calls\":[]}", "null"), Expect.HANDOVER);
        row(rows, "tool calls null", choice("{\"content\":\"x\",\"tool_calls\":null}", "null"), Expect.FAST);
        row(rows, "function call", choice("{\"function_call\":{\"name\":\"f\",\"arguments\":\"{}\"}}", "null"), Expect.HANDOVER);
        // Content filter results.
        row(rows, "prompt filter results", Chunks.promptFilterResults(), Expect.HANDOVER);
        row(rows, "content filter results in the choice", "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"},"
                + "\"content_filter_results\":{\"hate\":{\"filtered\":false,\"severity\":\"safe\"},"
                + "\"self_harm\":{\"filtered\":false,\"severity\":\"safe\"}}}]}", Expect.FAST);
        row(rows, "content filtered finish", "{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"content_filter\","
                + "\"content_filter_results\":{\"violence\":{\"filtered\":true,\"severity\":\"high\"}}}]}", Expect.FAST);
        row(rows, "error event", "{\"error\":{\"code\":\"server_error\",\"message\":\"oops\"}}", Expect.HANDOVER);
        // More than one answer.
        row(rows, "second choice", "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}},{\"index\":1,"
                + "\"delta\":{\"content\":\"b\"}}]}", Expect.HANDOVER);
        row(rows, "choice index 1", "{\"choices\":[{\"index\":1,\"delta\":{\"content\":\"b\"}}]}", Expect.HANDOVER);
        // Malformed scalars where the fast path reads, and where it skips.
        for (String bad : MALFORMED) {
            row(rows, "index " + bad, "{\"choices\":[{\"index\":" + bad + ",\"delta\":{\"content\":\"x\"}}]}", Expect.HANDOVER);
            row(rows, "prompt_tokens " + bad, "{\"choices\":[],\"usage\":{\"prompt_tokens\":" + bad
                    + ",\"completion_tokens\":1,\"total_tokens\":1}}", Expect.HANDOVER);
            row(rows, "created " + bad, "{\"created\":" + bad + ",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"}}]}",
                    Expect.HANDOVER);
            row(rows, "skipped member " + bad, "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"},\"logprobs\":" + bad
                    + "}]}", Expect.HANDOVER);
        }
        // Wrong types.
        row(rows, "content a number", choice("{\"content\":5}", "null"), Expect.HANDOVER);
        row(rows, "content an object", choice("{\"content\":{}}", "null"), Expect.HANDOVER);
        row(rows, "content true", choice("{\"content\":true}", "null"), Expect.HANDOVER);
        row(rows, "index a string", "{\"choices\":[{\"index\":\"0\",\"delta\":{\"content\":\"x\"}}]}", Expect.HANDOVER);
        row(rows, "index null", "{\"choices\":[{\"index\":null,\"delta\":{\"content\":\"x\"}}]}", Expect.HANDOVER);
        row(rows, "index a fraction", "{\"choices\":[{\"index\":0.0,\"delta\":{\"content\":\"x\"}}]}", Expect.HANDOVER);
        row(rows, "finish reason a number", choice("{}", "1"), Expect.HANDOVER);
        row(rows, "choices an object", "{\"choices\":{\"index\":0}}", Expect.HANDOVER);
        row(rows, "choices null", "{\"choices\":null,\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1}}", Expect.EITHER);
        row(rows, "delta a string", "{\"choices\":[{\"index\":0,\"delta\":\"x\"}]}", Expect.HANDOVER);
        row(rows, "usage an array", "{\"choices\":[],\"usage\":[]}", Expect.HANDOVER);
        row(rows, "tokens a string", "{\"choices\":[],\"usage\":{\"prompt_tokens\":\"1\",\"completion_tokens\":1}}",
                Expect.HANDOVER);
        row(rows, "created a string", "{\"created\":\"now\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"}}]}",
                Expect.EITHER);
        row(rows, "model a number", "{\"model\":5,\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"}}]}", Expect.EITHER);
        // Broken structure.
        for (String broken : List.of("", " ", "null", "[]", "\"text\"", "{", "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x",
                "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"}}]", "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"}}]}}",
                "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"}}]} x", "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\",}}]}",
                "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"}},]}", "{\"choices\":[{\"index\":0 \"delta\":{}}]}",
                "{\"choices\":[{\"index\":0,\"delta\":{\"content\" \"x\"}}]}", "{'choices':[]}", "{choices:[]}",
                "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"}}],\"id\":\"unterminated}",
                "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"}}],\"id\":[1,2,}")) {
            row(rows, "broken " + broken, broken, Expect.HANDOVER);
        }
        row(rows, "deep nesting in a skipped member", "{\"x\":" + "[".repeat(5_000) + "]".repeat(5_000)
                + ",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"}}]}", Expect.HANDOVER);
        row(rows, "a long number in a skipped member", "{\"x\":1" + "0".repeat(2_000)
                + ",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"}}]}", Expect.HANDOVER);
        row(rows, "a control character in a key", "{\"x\u0001\":1,\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"}}]}",
                Expect.HANDOVER);
        row(rows, "an unknown member of any shape", "{\"x\":{\"a\":[1,-2.5e+3,true,false,null,\"s\",{}],\"b\":{}},"
                + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"}}]}", Expect.FAST);
        row(rows, "service tier", "{\"service_tier\":\"default\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"}}]}",
                Expect.FAST);
        row(rows, "refusal null", choice("{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null}", "null"), Expect.FAST);
        row(rows, "Azure's verdicts with detections", "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"},"
                + "\"content_filter_results\":{\"hate\":{\"filtered\":false,\"severity\":\"safe\"},"
                + "\"protected_material_text\":{\"filtered\":false,\"detected\":false},"
                + "\"profanity\":{\"filtered\":false,\"detected\":false}}}]}", Expect.FAST);
        row(rows, "Azure's verdicts with a code citation", "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"},"
                + "\"content_filter_results\":{\"protected_material_code\":{\"filtered\":false,\"detected\":true,"
                + "\"citation\":{\"URL\":\"https://example.com\",\"license\":\"MIT\"}}}}]}", Expect.EITHER);
        // The same member twice: a reader keeps the last, so must the fast path, or leave the chunk.
        row(rows, "choices twice", "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"first\"}}],"
                + "\"choices\":[{\"index\":0,\"delta\":{}}]}", Expect.EITHER);
        row(rows, "usage twice, then null", "{\"choices\":[],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1},"
                + "\"usage\":null}", Expect.EITHER);
        row(rows, "content twice", choice("{\"content\":\"a\",\"content\":\"b\"}", "null"), Expect.EITHER);
        row(rows, "finish twice", "{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\",\"finish_reason\":null}]}",
                Expect.EITHER);
        row(rows, "delta twice", "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"},\"delta\":{}}]}", Expect.EITHER);
        row(rows, "index twice", "{\"choices\":[{\"index\":1,\"index\":0,\"delta\":{\"content\":\"a\"}}]}", Expect.EITHER);
        // An array or an object where the SDK's model reads a string: its own parse of these never returns, or
        // reads the rest of the chunk one level off (and so drops it).
        for (String wrong : List.of("[]", "{}", "[\"x\"]", "{\"content\":\"x\"}")) {
            row(rows, "content " + wrong, choice("{\"content\":" + wrong + "}", "null"), Expect.REFUSED);
            row(rows, "role " + wrong, choice("{\"role\":" + wrong + ",\"content\":\"x\"}", "null"), Expect.REFUSED);
            row(rows, "refusal " + wrong, choice("{\"refusal\":" + wrong + "}", "null"), Expect.REFUSED);
            row(rows, "finish reason " + wrong, choice("{}", wrong), Expect.REFUSED);
            row(rows, "id " + wrong, "{\"id\":" + wrong + ",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"}}]}",
                    Expect.REFUSED);
            row(rows, "severity " + wrong, "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"},"
                    + "\"content_filter_results\":{\"hate\":{\"filtered\":false,\"severity\":" + wrong + "}}}]}", Expect.REFUSED);
            row(rows, "tool call id " + wrong, choice("{\"tool_calls\":[{\"index\":0,\"id\":" + wrong + ",\"type\":\"function\","
                    + "\"function\":{\"name\":\"f\",\"arguments\":\"\"}}]}", "null"), Expect.REFUSED);
            row(rows, "tool call arguments " + wrong, choice("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":"
                    + wrong + "}}]}", "null"), Expect.REFUSED);
        }
        row(rows, "the JSON null", "null", Expect.REFUSED);
    }

    /** Scalars that are not JSON, or not the JSON a chunk holds there. */
    private static final List<String> MALFORMED = List.of("01", "00", "-01", "1e5", "1E5", "1e", "1.", ".5", "-", "--1", "+1",
            "0x10", "1_0", "\u0661", "Infinity", "NaN", "tru", "truex", "fals", "nul", "nulll", "t", "\"unterminated", "1-2",
            "ee", "1..2");

    /**
     * Variations generated from the plain shapes the service sends: text from a random mix of characters
     * and escapes, members in any order, other spacing, and each scalar in turn replaced by a malformed one.
     */
    private static void generated(List<Arguments> rows) {
        Random random = new Random(SEED);
        for (int i = 0; i < 200; i++) {
            String content = randomContent(random);
            Obj chunk = Obj.of("id", str("chatcmpl-" + i), "object", str("chat.completion.chunk"), "created", raw("1732500000"),
                    "model", str("gpt-4o-mini"), "system_fingerprint", random.nextBoolean() ? str("fp_1") : raw("null"),
                    "choices", arr(Obj.of("index", raw("0"), "delta", Obj.of("content", raw(content)), "logprobs", raw("null"),
                            "finish_reason", i % 10 == 0 ? str("stop") : raw("null"))));
            if (i % 7 == 0) {
                chunk = chunk.with("usage", Obj.of("prompt_tokens", raw(Integer.toString(random.nextInt(100_000))),
                        "completion_tokens", raw(Integer.toString(random.nextInt(5_000))), "total_tokens", raw("1")));
            }
            Obj shuffled = chunk.shuffled(random);
            row(rows, "generated text " + i, shuffled.json(""), Expect.FAST);
            row(rows, "generated text " + i + ", spaced", shuffled.json(" \n\t".substring(0, 1 + random.nextInt(3))), Expect.FAST);
        }
        Obj text = Obj.of("id", str("chatcmpl-1"), "created", raw("1732500000"), "model", str("gpt-4o-mini"),
                "choices", arr(Obj.of("index", raw("0"), "delta", Obj.of("role", str("assistant"), "content", str("Hi")),
                        "logprobs", raw("null"), "finish_reason", raw("null"))));
        Obj usage = Obj.of("id", str("chatcmpl-1"), "choices", arr(), "usage", Obj.of("prompt_tokens", raw("12"),
                "completion_tokens", raw("3"), "total_tokens", raw("15")));
        Obj finish = Obj.of("choices", arr(Obj.of("index", raw("0"), "delta", Obj.of(), "finish_reason", str("length"),
                "content_filter_results", Obj.of("hate", Obj.of("filtered", raw("false"), "severity", str("safe"))))));
        for (Obj base : List.of(text, usage, finish)) {
            int position = 0;
            for (Function<Raw, Node> replacement : base.scalarReplacements()) {
                for (String bad : MALFORMED) {
                    Node mutated = replacement.apply(new Raw(bad));
                    row(rows, "scalar " + position + " of " + base.json("").substring(0, 20) + "… as " + bad, mutated.json(""),
                            Expect.EITHER);
                }
                for (String otherType : List.of("\"7\"", "7", "{}", "[]", "true", "null", "-7", "7.5")) {
                    row(rows, "scalar " + position + " of " + base.json("").substring(0, 20) + "… as " + otherType,
                            replacement.apply(new Raw(otherType)).json(""), Expect.EITHER);
                }
                position++;
            }
        }
    }

    private static final List<String> PIECES = List.of("a", "Z", " ", "é", "世", "😀", "\\n", "\\t", "\\\"", "\\\\", "\\/", "\\u00e9",
            "\\u4e16", "\\ud83d\\ude00", "\\u0000", "\\u001f", "\\b", "\\f", "\\r", "<", "&", "'", "\u2028");

    private static String randomContent(Random random) {
        StringBuilder content = new StringBuilder("\"");
        int length = random.nextInt(12);
        for (int i = 0; i < length; i++) {
            content.append(PIECES.get(random.nextInt(PIECES.size())));
        }
        return content.append('"').toString();
    }

    private static void row(List<Arguments> rows, String shape, String json, Expect expect) {
        rows.add(Arguments.of(shape, json, expect));
    }

    private static String choice(String delta, String finishReason) {
        return "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1732500000,\"model\":\"gpt-4o-mini\","
                + "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"logprobs\":null,\"finish_reason\":" + finishReason + "}]}";
    }

    // ---- what each side read

    /** What a plain chunk says: the first choice's text and finish reason, and the usage. */
    record Reading(String model, String content, String finishReason, Integer promptTokens, Integer completionTokens) {
        static Reading of(PlainChunk chunk) {
            return new Reading(chunk.model(), chunk.content(), chunk.finishReason(), chunk.hasUsage() ? chunk.promptTokens() : null,
                    chunk.hasUsage() ? chunk.completionTokens() : null);
        }
    }

    /** The SDK's parse of a chunk: the chunk, or why it could not be read. */
    record Full(ChatCompletions chunk, Exception failure) {
        static Full parse(String json) {
            try (JsonReader reader = JsonProviders.createReader(json)) {
                ChatCompletions chunk = ChatCompletions.fromJson(reader);
                return chunk == null ? new Full(null, new IllegalArgumentException("no chunk")) : new Full(chunk, null);
            } catch (Exception e) {
                return new Full(null, e);
            }
        }

        /** Whether the full path would find nothing here but what the fast path reads: one choice of index 0, no calls. */
        boolean plain() {
            List<ChatChoice> choices = chunk.getChoices();
            if (choices == null || choices.isEmpty()) {
                return chunk.getUsage() != null;
            }
            if (choices.size() != 1 || choices.getFirst().getIndex() != 0) {
                return false;
            }
            ChatResponseMessage delta = choices.getFirst().getDelta();
            return delta == null || (delta.getToolCalls() == null && delta.getFunctionCall() == null);
        }

        Reading reading() {
            List<ChatChoice> choices = chunk.getChoices();
            ChatChoice first = choices == null || choices.isEmpty() ? null : choices.getFirst();
            ChatResponseMessage delta = first == null ? null : first.getDelta();
            CompletionsUsage usage = chunk.getUsage();
            return new Reading(chunk.getModel(), delta == null ? null : delta.getContent(),
                    first == null || first.getFinishReason() == null ? null : first.getFinishReason().toString(),
                    usage == null ? null : usage.getPromptTokens(), usage == null ? null : usage.getCompletionTokens());
        }
    }

    // ---- a small JSON builder whose scalars can be replaced one at a time

    sealed interface Node {
        String json(String space);
    }

    record Raw(String text) implements Node {
        @Override
        public String json(String space) {
            return text;
        }
    }

    record Arr(List<Node> items) implements Node {
        @Override
        public String json(String space) {
            List<String> parts = items.stream().map(item -> item.json(space)).toList();
            return "[" + space + String.join("," + space, parts) + space + "]";
        }
    }

    record Obj(List<Map.Entry<String, Node>> members) implements Node {
        static Obj of(Object... keysAndValues) {
            List<Map.Entry<String, Node>> members = new ArrayList<>();
            for (int i = 0; i < keysAndValues.length; i += 2) {
                members.add(Map.entry((String) keysAndValues[i], (Node) keysAndValues[i + 1]));
            }
            return new Obj(members);
        }

        Obj with(String key, Node value) {
            List<Map.Entry<String, Node>> more = new ArrayList<>(members);
            more.add(Map.entry(key, value));
            return new Obj(more);
        }

        Obj shuffled(Random random) {
            List<Map.Entry<String, Node>> order = new ArrayList<>();
            for (Map.Entry<String, Node> member : members) {
                Node value = member.getValue() instanceof Obj obj ? obj.shuffled(random)
                        : member.getValue() instanceof Arr arr ? new Arr(arr.items().stream()
                                .map(item -> item instanceof Obj obj ? (Node) obj.shuffled(random) : item).toList())
                        : member.getValue();
                order.add(Map.entry(member.getKey(), value));
            }
            Collections.shuffle(order, random);
            return new Obj(order);
        }

        @Override
        public String json(String space) {
            List<String> parts = members.stream()
                    .map(member -> "\"" + member.getKey() + "\"" + space + ":" + space + member.getValue().json(space)).toList();
            return "{" + space + String.join("," + space, parts) + space + "}";
        }

        /** For each scalar in this object (at any depth), a function that gives the object with that scalar replaced. */
        List<Function<Raw, Node>> scalarReplacements() {
            List<Function<Raw, Node>> replacements = new ArrayList<>();
            for (int i = 0; i < members.size(); i++) {
                int at = i;
                Node value = members.get(i).getValue();
                for (Function<Raw, Node> inner : replacementsOf(value)) {
                    replacements.add(scalar -> {
                        List<Map.Entry<String, Node>> changed = new ArrayList<>(members);
                        changed.set(at, Map.entry(members.get(at).getKey(), inner.apply(scalar)));
                        return new Obj(changed);
                    });
                }
            }
            return replacements;
        }

        private static List<Function<Raw, Node>> replacementsOf(Node node) {
            return switch (node) {
                case Raw raw -> List.of(scalar -> scalar);
                case Obj obj -> obj.scalarReplacements();
                case Arr arr -> {
                    List<Function<Raw, Node>> replacements = new ArrayList<>();
                    for (int i = 0; i < arr.items().size(); i++) {
                        int at = i;
                        for (Function<Raw, Node> inner : replacementsOf(arr.items().get(i))) {
                            replacements.add(scalar -> {
                                List<Node> changed = new ArrayList<>(arr.items());
                                changed.set(at, inner.apply(scalar));
                                return new Arr(changed);
                            });
                        }
                    }
                    yield replacements;
                }
            };
        }
    }

    private static Raw raw(String json) {
        return new Raw(json);
    }

    private static Raw str(String text) {
        return new Raw(Chunks.quoted(text));
    }

    private static Arr arr(Node... items) {
        return new Arr(List.of(items));
    }
}
