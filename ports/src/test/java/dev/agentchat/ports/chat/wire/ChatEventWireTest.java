package dev.agentchat.ports.chat.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentchat.domain.chat.ChatEvent;
import dev.agentchat.domain.step.StepId;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ChatEventWireTest {
    private static final Instant AT = Instant.parse("2026-11-25T06:25:49.700Z");

    static List<ChatEvent> samples() {
        return SampleEvents.ofEveryKind();
    }

    @Test
    void the_samples_cover_every_kind_of_chat_event_read_from_its_sealed_hierarchy() {
        List<Class<?>> kinds = SampleEvents.kinds();

        assertThat(kinds).as("the leaves of ChatEvent's hierarchy").contains(ChatEvent.Token.class, ChatEvent.Done.class)
                .allMatch(kind -> !kind.isInterface() && !kind.isSealed());
        assertThat(SampleEvents.ofEveryKind()).extracting(Object::getClass).containsAll(kinds);
    }

    @ParameterizedTest
    @MethodSource("samples")
    void every_event_reads_back_from_its_wire_form_as_it_was(ChatEvent event) {
        assertThat(ChatEventWire.decode(ChatEventWire.encode(event))).isEqualTo(event);
    }

    @ParameterizedTest
    @MethodSource("samples")
    void every_wire_form_starts_with_its_type_ends_with_its_time_and_names_its_members_in_snake_case(ChatEvent event) {
        Map<String, Object> tree = ChatEventWire.encode(event);

        assertThat(tree.keySet()).first().isEqualTo("type");
        assertThat(tree.keySet()).last().isEqualTo("timestamp");
        assertThat(tree.keySet()).allMatch(key -> key.matches("[a-z][a-z0-9]*(_[a-z0-9]+)*"), "snake_case");
        assertThat(tree.values()).allMatch(value -> value instanceof String || value instanceof Long
                || value instanceof Boolean || value instanceof Instant, "a plain value");
    }

    @Test
    void every_type_has_its_own_wire_name_and_is_found_by_it() {
        assertThat(Arrays.stream(ChatEventWire.Type.values()).map(ChatEventWire.Type::wireName)).doesNotHaveDuplicates();
        for (ChatEventWire.Type type : ChatEventWire.Type.values()) {
            assertThat(ChatEventWire.Type.named(type.wireName())).isEqualTo(type);
        }
    }

    @Test
    void a_member_with_nothing_to_say_is_left_out_and_read_back_as_absent() {
        Map<String, Object> tree = ChatEventWire.encode(new ChatEvent.TraceEnd(StepId.of("step_1"), "completed", "4", null, 12, AT));

        assertThat(tree).containsKey("output").doesNotContainKey("error");
        assertThat(((ChatEvent.TraceEnd) ChatEventWire.decode(tree)).error()).isNull();
    }

    @Test
    void the_tree_keeps_the_time_to_the_nanosecond_and_reads_it_as_iso_text_too() {
        ChatEvent token = new ChatEvent.Token("a", AT.plusNanos(123_456_789));
        Map<String, Object> tree = ChatEventWire.encode(token);

        assertThat(ChatEventWire.decode(tree)).isEqualTo(token);
        tree.put("timestamp", AT.plusNanos(123_456_789).toString());
        assertThat(ChatEventWire.decode(tree)).isEqualTo(token);
    }

    @Test
    void approval_required_always_says_whether_the_call_is_the_clients_and_one_logged_before_it_did_reads_as_not() {
        ChatEvent.ApprovalRequired person = new ChatEvent.ApprovalRequired(StepId.of("step_1"), "restart", "{}",
                AT.plusSeconds(900), AT);
        ChatEvent.ApprovalRequired client = new ChatEvent.ApprovalRequired(StepId.of("step_2"), "get_location", "{}",
                AT.plusSeconds(900), AT, true);
        Map<String, Object> older = ChatEventWire.encode(client);
        older.remove("client_side");
        Map<String, Object> mistyped = ChatEventWire.encode(client);
        mistyped.put("client_side", "yes");

        assertThat(ChatEventWire.encode(person)).containsEntry("client_side", false);
        assertThat(ChatEventWire.encode(client)).containsEntry("client_side", true);
        assertThat(((ChatEvent.ApprovalRequired) ChatEventWire.decode(older)).clientSide()).isFalse();
        assertThatThrownBy(() -> ChatEventWire.decode(mistyped)).isInstanceOf(UnreadableEvent.class)
                .hasMessageContaining("\"client_side\"");
    }

    @Test
    void a_count_kept_as_decimal_text_reads_back_exactly() {
        Map<String, Object> tree = ChatEventWire.encode(new ChatEvent.TraceEnd(StepId.of("step_1"), "completed", "", null,
                Long.MAX_VALUE, AT));
        tree.put("latency_ms", Long.toString(Long.MAX_VALUE));

        assertThat(((ChatEvent.TraceEnd) ChatEventWire.decode(tree)).latencyMs()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void an_unknown_type_is_an_unreadable_event_that_names_it() {
        Map<String, Object> tree = new LinkedHashMap<>(Map.of("type", "approval_requested", "timestamp", AT));

        assertThatThrownBy(() -> ChatEventWire.decode(tree)).isInstanceOf(UnreadableEvent.class)
                .hasMessageContaining("\"approval_requested\"");
    }

    @Test
    void a_missing_or_mistyped_member_is_an_unreadable_event_that_names_it() {
        Map<String, Object> missing = ChatEventWire.encode(new ChatEvent.TraceUpdate(StepId.of("step_1"), "halfway", AT));
        missing.remove("step_id");
        Map<String, Object> mistyped = ChatEventWire.encode(new ChatEvent.Token("a", AT));
        mistyped.put("content", 7L);
        Map<String, Object> blankId = ChatEventWire.encode(new ChatEvent.TraceUpdate(StepId.of("step_1"), "halfway", AT));
        blankId.put("step_id", " ");

        assertThatThrownBy(() -> ChatEventWire.decode(missing)).isInstanceOf(UnreadableEvent.class)
                .hasMessageContaining("trace_update").hasMessageContaining("\"step_id\"");
        assertThatThrownBy(() -> ChatEventWire.decode(mistyped)).isInstanceOf(UnreadableEvent.class)
                .hasMessageContaining("\"content\"");
        assertThatThrownBy(() -> ChatEventWire.decode(blankId)).isInstanceOf(UnreadableEvent.class)
                .hasMessageContaining("trace_update");
        assertThatThrownBy(() -> ChatEventWire.decode(Map.of("content", "a"))).isInstanceOf(UnreadableEvent.class)
                .hasMessageContaining("\"type\"");
    }
}
