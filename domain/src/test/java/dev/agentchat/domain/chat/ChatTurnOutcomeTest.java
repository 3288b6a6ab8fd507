package dev.agentchat.domain.chat;

import static dev.agentchat.domain.chat.ModelStream.aModelStream;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentchat.domain.usage.Usage;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** How a chat turn decides, at the end of the model's stream, what the shell does next. */
class ChatTurnOutcomeTest {

    @Test
    void a_stop_completes_the_answer_with_its_usage() {
        // when
        ModelStream.Played played = aModelStream().text("Hello", ", world").usage(12, 3)
                .finish(FinishReason.STOP).playedThrough();

        // then
        assertThat(played.action()).isEqualTo(new RunOutcome.Complete("Hello, world", Usage.reported(12, 3)));
    }

    @Test
    void a_usage_report_that_arrives_after_the_finish_is_still_used() {
        // when
        ModelStream.Played played = aModelStream().text("Hi").finish(FinishReason.STOP).usage(40, 8).playedThrough();

        // then
        assertThat(played.action()).isEqualTo(new RunOutcome.Complete("Hi", Usage.reported(40, 8)));
    }

    @Test
    void a_stream_without_usage_completes_with_no_usage() {
        // when
        ModelStream.Played played = aModelStream().text("Hi").finish(FinishReason.STOP).playedThrough();

        // then
        assertThat(played.action()).isEqualTo(new RunOutcome.Complete("Hi", Usage.NONE));
    }

    @Test
    void the_end_of_the_stream_emits_no_events() {
        // given
        ChatTurn finished = ChatTurn.begin()
                .accept(new ModelStreamItem.Finish(FinishReason.STOP), ModelStream.instantOf(0)).turn();

        // when
        TurnEnd end = finished.endOfStream(ModelStream.instantOf(1));

        // then
        assertThat(end.events()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = FinishReason.class, names = {"STOP", "TOOL_CALLS"})
    void requested_tool_calls_are_all_called_in_order(FinishReason reason) {
        // when
        ModelStream.Played played = aModelStream().text("Let me check.")
                .toolCall("call_1", "get_weather", "{\"city\":\"Oslo\"}")
                .toolCall("call_2", "get_weather", "{\"city\":\"Bergen\"}")
                .toolCall("call_3", "get_time", "{}")
                .finish(reason).usage(30, 20).playedThrough();

        // then
        assertThat(played.action()).isEqualTo(new ModelCallOutcome.CallTools("Let me check.", List.of(
                new ModelStreamItem.ToolCallRequest("call_1", "get_weather", "{\"city\":\"Oslo\"}"),
                new ModelStreamItem.ToolCallRequest("call_2", "get_weather", "{\"city\":\"Bergen\"}"),
                new ModelStreamItem.ToolCallRequest("call_3", "get_time", "{}")),
                Usage.reported(30, 20)));
    }

    @Test
    void a_tool_calls_finish_that_names_no_tool_fails_as_a_protocol_error() {
        // when
        ModelStream.Played played = aModelStream().text("I will use a tool").finish(FinishReason.TOOL_CALLS)
                .usage(5, 5).playedThrough();

        // then
        assertThat(played.action()).isInstanceOfSatisfying(RunOutcome.Fail.class, fail -> {
            assertThat(fail.failure().code()).isEqualTo("model_protocol_error");
            assertThat(fail.failure().message()).isNotBlank();
            assertThat(fail.answer()).isEqualTo("I will use a tool");
            assertThat(fail.usage()).isEqualTo(Usage.reported(5, 5));
        });
    }

    @Test
    void a_length_finish_ends_incomplete_with_the_partial_text() {
        // when
        ModelStream.Played played = aModelStream().text("Once upon a ", "time there").finish(FinishReason.LENGTH)
                .usage(100, 4_096).playedThrough();

        // then
        assertThat(played.action()).isInstanceOfSatisfying(RunOutcome.EndIncomplete.class, end -> {
            assertThat(end.reason().code()).isEqualTo("max_output_tokens");
            assertThat(end.answer()).isEqualTo("Once upon a time there");
            assertThat(end.usage()).isEqualTo(Usage.reported(100, 4_096));
        });
    }

    @Test
    void a_content_filter_finish_fails_keeping_the_partial_text() {
        // when
        ModelStream.Played played = aModelStream().text("Here is how to").finish(FinishReason.CONTENT_FILTER)
                .playedThrough();

        // then
        assertThat(played.action()).isInstanceOfSatisfying(RunOutcome.Fail.class, fail -> {
            assertThat(fail.failure().code()).isEqualTo("content_filter");
            assertThat(fail.answer()).isEqualTo("Here is how to");
        });
    }

    @Test
    void a_stream_that_ends_without_a_finish_fails_as_cut_keeping_the_partial_text() {
        // when
        ModelStream.Played played = aModelStream().text("The answer is").usage(9, 3).playedThrough();

        // then
        assertThat(played.action()).isInstanceOfSatisfying(RunOutcome.Fail.class, fail -> {
            assertThat(fail.failure().code()).isEqualTo("model_stream_cut");
            assertThat(fail.answer()).isEqualTo("The answer is");
            assertThat(fail.usage()).isEqualTo(Usage.reported(9, 3));
        });
    }

    @Test
    void a_stream_cut_before_any_text_fails_with_an_empty_partial_answer() {
        // when
        ModelStream.Played played = aModelStream().playedThrough();

        // then
        assertThat(played.action()).isInstanceOfSatisfying(RunOutcome.Fail.class, fail -> {
            assertThat(fail.failure().code()).isEqualTo("model_stream_cut");
            assertThat(fail.answer()).isEmpty();
        });
    }
}
