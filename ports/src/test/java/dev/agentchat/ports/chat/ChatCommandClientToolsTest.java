package dev.agentchat.ports.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentchat.domain.agent.AgentId;
import dev.agentchat.domain.thread.UserId;
import dev.agentchat.domain.tool.ToolDefinition;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The client's own tools on a message: how many and how large they may be, and that a retry must declare the same. */
class ChatCommandClientToolsTest {
    private static final AgentId AGENT = AgentId.of("helper");
    private static final UserId USER = UserId.of("ada");
    private static final String SCHEMA = "{\"type\":\"object\",\"properties\":{}}";

    @Test
    void a_retry_declaring_a_tool_otherwise_is_another_request_though_its_name_is_the_same() {
        ToolDefinition asked = new ToolDefinition("get_location", "Where the user is.", SCHEMA);
        ToolDefinition described = new ToolDefinition("get_location", "Where the user's browser is.", SCHEMA);
        ToolDefinition typed = new ToolDefinition("get_location", "Where the user is.",
                "{\"type\":\"object\",\"properties\":{\"precise\":{\"type\":\"boolean\"}}}");

        String fingerprint = command(List.of(asked)).fingerprint();

        assertThat(command(List.of(asked)).fingerprint()).isEqualTo(fingerprint);
        assertThat(command(List.of(described)).fingerprint()).isNotEqualTo(fingerprint);
        assertThat(command(List.of(typed)).fingerprint()).isNotEqualTo(fingerprint);
        assertThat(command(List.of()).fingerprint()).isNotEqualTo(fingerprint);
    }

    @Test
    void the_tools_are_bounded_in_number_and_in_the_characters_they_take_together() {
        String large = "{\"type\":\"object\",\"description\":\"" + "x".repeat(16_000) + "\"}";
        List<ToolDefinition> nine = IntStream.range(0, 9).mapToObj(i -> new ToolDefinition("tool_" + i, "d", large)).toList();
        List<ToolDefinition> eight = nine.subList(0, 8);
        List<ToolDefinition> many = IntStream.range(0, ChatCommand.MAX_CLIENT_TOOLS + 1)
                .mapToObj(i -> new ToolDefinition("tool_" + i, "d", SCHEMA)).toList();

        assertThat(ChatCommand.lengthOf(eight)).isLessThanOrEqualTo(ChatCommand.MAX_CLIENT_TOOLS_LENGTH);
        assertThat(command(eight).clientTools()).hasSize(8);
        assertThat(ChatCommand.lengthOf(nine)).isGreaterThan(ChatCommand.MAX_CLIENT_TOOLS_LENGTH);
        assertThatThrownBy(() -> command(nine)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Integer.toString(ChatCommand.MAX_CLIENT_TOOLS_LENGTH));
        assertThatThrownBy(() -> command(many)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> command(List.of(new ToolDefinition("twice", "d", SCHEMA),
                new ToolDefinition("twice", "e", SCHEMA)))).isInstanceOf(IllegalArgumentException.class);
    }

    private static ChatCommand command(List<ToolDefinition> tools) {
        return ChatCommand.toClientThread(AGENT, USER, "thread-key", "Where am I?", Optional.of("key-1"), tools);
    }
}
