package dev.agentchat.adapter.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentchat.domain.chat.ModelStreamItem.ToolCallRequest;
import org.junit.jupiter.api.Test;

class ToolCallAssemblerTest {
    private final ToolCallAssembler assembler = new ToolCallAssembler();

    @Test
    void deltas_are_put_together_by_their_index_even_interleaved() {
        assembler.accept(0, "call_a", "lookup", "");
        assembler.accept(1, "call_b", "time", "");
        assembler.accept(0, null, null, "{\"q\":");
        assembler.accept(1, null, null, "{}");
        assembler.accept(0, null, null, "\"vm\"}");

        assertThat(assembler.drain()).containsExactly(
                new ToolCallRequest("call_a", "lookup", "{\"q\":\"vm\"}"),
                new ToolCallRequest("call_b", "time", "{}"));
        assertThat(assembler.drain()).isEmpty();
    }

    @Test
    void calls_with_an_index_but_no_id_stay_apart_and_get_ids() {
        assembler.accept(0, null, "get_weather", "{\"city\":\"Oslo\"}");
        assembler.accept(1, null, "get_time", "{}");

        assertThat(assembler.drain()).containsExactly(
                new ToolCallRequest("call_1", "get_weather", "{\"city\":\"Oslo\"}"),
                new ToolCallRequest("call_2", "get_time", "{}"));
    }

    @Test
    void without_indexes_a_new_id_starts_a_call_and_no_id_continues_the_last() {
        assembler.accept(null, "call_1", "a", "{\"x\":");
        assembler.accept(null, null, null, "1}");
        assembler.accept(null, "call_2", "b", "{");
        assembler.accept(null, "call_2", null, "}");

        assertThat(assembler.drain()).containsExactly(
                new ToolCallRequest("call_1", "a", "{\"x\":1}"),
                new ToolCallRequest("call_2", "b", "{}"));
    }

    @Test
    void a_call_without_any_id_is_given_one() {
        assembler.accept(null, null, "a", "{}");

        assertThat(assembler.drain()).containsExactly(new ToolCallRequest("call_1", "a", "{}"));
    }
}
