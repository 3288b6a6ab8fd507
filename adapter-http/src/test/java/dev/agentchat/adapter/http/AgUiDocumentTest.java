package dev.agentchat.adapter.http;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The document holds the AG-UI route's frames to AG-UI's events, and the chat route's to its own, each strictly. */
class AgUiDocumentTest {
    private static final String AG_UI = "/api/agents/helper/ag-ui";
    private static final String CHAT = "/api/agents/helper/chat";
    private static final String TEXT_CONTENT = "{\"type\":\"TEXT_MESSAGE_CONTENT\",\"messageId\":\"run_1-text-1\",\"delta\":\"Hi\","
            + "\"timestamp\":1767258000000}";
    private final ApiDocument document = ApiDocument.get();

    @Test
    void an_ag_ui_event_on_the_ag_ui_route_passes() {
        assertThatCode(() -> document.checkEvent("POST", AG_UI, TEXT_CONTENT)).doesNotThrowAnyException();
    }

    @Test
    void the_chat_routes_events_are_not_ag_ui_events_and_the_other_way_round() {
        assertThatThrownBy(() -> document.checkEvent("POST", AG_UI,
                "{\"type\":\"token\",\"content\":\"Hi\",\"timestamp\":\"2026-01-01T09:00:00.000Z\"}"))
                .isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> document.checkEvent("POST", CHAT, TEXT_CONTENT)).isInstanceOf(AssertionError.class);
    }

    @Test
    void an_ag_ui_event_with_a_null_a_fractional_timestamp_or_an_unknown_member_fails() {
        assertThatThrownBy(() -> document.checkEvent("POST", AG_UI, TEXT_CONTENT.replace("\"Hi\"", "null")))
                .isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> document.checkEvent("POST", AG_UI, TEXT_CONTENT.replace("1767258000000", "1767258000000.5")))
                .isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> document.checkEvent("POST", AG_UI, TEXT_CONTENT.replace("{", "{\"extra\":1,")))
                .isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> document.checkEvent("POST", AG_UI,
                "{\"type\":\"TOOL_CALL_START\",\"toolCallId\":\"s\",\"toolCallName\":\"t\",\"parentMessageId\":null,"
                        + "\"timestamp\":1}")).isInstanceOf(AssertionError.class);
    }
}
