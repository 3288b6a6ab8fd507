package dev.agentchat.adapter.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentchat.domain.chat.FinishReason;
import dev.agentchat.domain.chat.ModelStreamItem;
import dev.agentchat.domain.usage.Usage;
import dev.agentchat.ports.chat.ModelFailure;
import dev.agentchat.ports.contract.model.Chunks;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Chunks as the services send them, plain ones (read token by token) and the rest (read through the SDK's model). */
class ChunkTranslatorTest {
    private final ChunkTranslator translator = new ChunkTranslator(new ModelFailures(
            AzureOpenAiSettings.openAiCompatible("http://127.0.0.1:1/v1", "gpt-4o-mini", Optional.empty())));

    @Test
    void a_text_chunk_is_its_text() {
        assertThat(translator.translate(Chunks.text("Hello \"there\" \u00e9\ud83d\ude00")))
                .containsExactly(new ModelStreamItem.TextDelta("Hello \"there\" \u00e9\ud83d\ude00"));
        assertThat(translator.translate(Chunks.role())).as("the role chunk carries no text").isEmpty();
        assertThat(translator.finished()).isFalse();
    }

    @Test
    void a_finish_and_the_usage_end_the_answer() {
        assertThat(translator.translate(Chunks.finish("length"))).containsExactly(new ModelStreamItem.Finish(FinishReason.LENGTH));
        assertThat(translator.finished()).isTrue();
        assertThat(translator.translate(Chunks.usage(20, 5)))
                .containsExactly(new ModelStreamItem.UsageReport(Usage.reported(20, 5)));
    }

    @Test
    void tool_call_deltas_become_one_call_at_the_finish() {
        assertThat(translator.translate(Chunks.toolCallStart(0, "call_1", "calculator", "{\"expression\":"))).isEmpty();
        assertThat(translator.translate(Chunks.toolCallArguments(0, "\"2+2\"}"))).isEmpty();

        assertThat(translator.translate(Chunks.finish("tool_calls"))).containsExactly(
                new ModelStreamItem.ToolCallRequest("call_1", "calculator", "{\"expression\":\"2+2\"}"),
                new ModelStreamItem.Finish(FinishReason.TOOL_CALLS));
    }

    @Test
    void azure_s_prompt_filter_chunk_is_nothing_and_an_error_event_is_a_failure() {
        assertThat(translator.translate(Chunks.promptFilterResults())).isEmpty();
        assertThatThrownBy(() -> translator.translate("{\"error\":{\"code\":\"server_error\",\"message\":\"The server had an error.\"}}"))
                .isInstanceOf(ModelFailure.class);
    }

    @Test
    void a_chunk_that_is_not_json_is_a_protocol_error() {
        assertThatThrownBy(() -> translator.translate("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"cut"))
                .isInstanceOfSatisfying(ModelFailure.class, failure -> assertThat(failure.code()).isEqualTo("model_protocol_error"));
    }

    @Test
    void escapes_and_spacing_read_as_any_json_reader_would() {
        String chunk = "{ \"id\" : \"x\", \"choices\" : [ { \"index\" : 0, \"delta\" : { \"role\" : \"assistant\", "
                + "\"content\" : \"caf\\u00e9 \\ud83d\\ude00 \\\"q\\\" \\\\ \\/ \\n\\t\" }, \"logprobs\" : null, "
                + "\"content_filter_results\" : { \"hate\" : { \"filtered\" : false, \"severity\" : \"safe\" } }, "
                + "\"finish_reason\" : null } ], \"usage\" : null, \"created\" : 1.7e9 }\n";

        assertThat(translator.translate(chunk))
                .containsExactly(new ModelStreamItem.TextDelta("caf\u00e9 \ud83d\ude00 \"q\" \\ / \n\t"));
    }

    @Test
    void a_second_choice_or_a_tool_call_takes_the_full_way_and_still_reads_right() {
        String twoChoices = "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"ours\"}},"
                + "{\"index\":1,\"delta\":{\"content\":\"not ours\"}}]}";

        assertThat(translator.translate(twoChoices)).containsExactly(new ModelStreamItem.TextDelta("ours"));
    }
}
