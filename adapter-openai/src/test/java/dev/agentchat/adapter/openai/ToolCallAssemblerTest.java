package dev.agentchat.adapter.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentchat.domain.chat.ModelStreamItem.ToolCallRequest;
import org.junit.jupiter.api.Test;

class ToolCallAssemblerTest {
    private final ToolCallAssembler assembler = new ToolCallAssembler();

    @Test
    void deltas_without_an_id_continue_the_call_in_progress() {
        assertThat(assembler.accept("call_1", "lookup", "")).isEmpty();
        assertThat(assembler.accept(null, null, "{\"q\":")).isEmpty();
        assertThat(assembler.accept(null, null, "\"vm\"}")).isEmpty();
        assertThat(assembler.drain()).contains(new ToolCallRequest("call_1", "lookup", "{\"q\":\"vm\"}"));
        assertThat(assembler.drain()).isEmpty();
    }

    @Test
    void a_new_id_completes_the_call_before_it() {
        assembler.accept("call_1", "a", "{}");
        assertThat(assembler.accept("call_2", "b", "{")).contains(new ToolCallRequest("call_1", "a", "{}"));
        assembler.accept(null, null, "}");
        assertThat(assembler.drain()).contains(new ToolCallRequest("call_2", "b", "{}"));
    }

    @Test
    void a_repeated_id_continues_its_call() {
        assembler.accept("call_1", "a", "{\"x\":");
        assertThat(assembler.accept("call_1", null, "1}")).isEmpty();
        assertThat(assembler.drain()).contains(new ToolCallRequest("call_1", "a", "{\"x\":1}"));
    }

    @Test
    void a_call_without_any_id_is_given_one() {
        assembler.accept(null, "a", "{}");
        assertThat(assembler.drain()).contains(new ToolCallRequest("call_1", "a", "{}"));
    }
}
