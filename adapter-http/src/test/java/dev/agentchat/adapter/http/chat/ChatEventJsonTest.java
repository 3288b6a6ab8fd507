package dev.agentchat.adapter.http.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.agentchat.domain.chat.ChatEvent;
import dev.agentchat.domain.message.MessageId;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.step.StepId;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.ports.chat.wire.ChatEventWire;
import dev.agentchat.ports.chat.wire.SampleEvents;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The exact frame data of every event type: the wire format clients parse. Every kind of chat event
 * (read from its sealed hierarchy) must read back from its frame data, so one without a codec fails here.
 */
class ChatEventJsonTest {
    private static final Instant AT = Instant.parse("2026-11-25T06:25:49.7Z");
    private static final String TS = "\"timestamp\":\"2026-11-25T06:25:49.700Z\"";
    /** Reads frame data as a tree of plain values: whole numbers as Long, the kind the wire form's numbers are. */
    private static final ObjectMapper FRAME_READER = JsonMapper.builder().enable(DeserializationFeature.USE_LONG_FOR_INTS).build();

    private static String json(ChatEvent event) {
        return new String(ChatEventJson.encode(event), StandardCharsets.UTF_8);
    }

    @Test
    void a_token_carries_its_content() {
        assertThat(json(new ChatEvent.Token("Hi \"there\"\n", AT)))
                .isEqualTo(" {\"type\":\"token\",\"content\":\"Hi \\\"there\\\"\\n\"," + TS + "}");
    }

    @Test
    void done_carries_the_ids_and_the_tokens_used() {
        assertThat(json(new ChatEvent.Done(RunId.of("run_1"), ThreadId.of("thread_1"),
                MessageId.of("msg_1"), 42, AT)))
                .isEqualTo(" {\"type\":\"done\",\"run_id\":\"run_1\",\"thread_id\":\"thread_1\",\"message_id\":\"msg_1\","
                        + "\"tokens_used\":42," + TS + "}");
    }

    @Test
    void an_error_carries_its_message_and_code() {
        assertThat(json(new ChatEvent.Error("The model failed.", "model_error", AT)))
                .isEqualTo(" {\"type\":\"error\",\"message\":\"The model failed.\",\"code\":\"model_error\"," + TS + "}");
    }

    @Test
    void trace_events_carry_the_step_and_what_the_tool_did() {
        StepId step = StepId.of("step_1");

        assertThat(json(new ChatEvent.TraceStart(step, "calculator", "{\"expression\":\"2+2\"}", AT)))
                .isEqualTo(" {\"type\":\"trace_start\",\"step_id\":\"step_1\",\"tool\":\"calculator\","
                        + "\"arguments\":\"{\\\"expression\\\":\\\"2+2\\\"}\"," + TS + "}");
        assertThat(json(new ChatEvent.TraceUpdate(step, "halfway", AT)))
                .isEqualTo(" {\"type\":\"trace_update\",\"step_id\":\"step_1\",\"progress\":\"halfway\"," + TS + "}");
        assertThat(json(new ChatEvent.TraceEnd(step, "completed", "4", null, 12, AT)))
                .isEqualTo(" {\"type\":\"trace_end\",\"step_id\":\"step_1\",\"status\":\"completed\",\"output\":\"4\","
                        + "\"latency_ms\":12," + TS + "}");
        assertThat(json(new ChatEvent.TraceEnd(step, "failed", null, "division by zero", 3, AT)))
                .isEqualTo(" {\"type\":\"trace_end\",\"step_id\":\"step_1\",\"status\":\"failed\",\"error\":\"division by zero\","
                        + "\"latency_ms\":3," + TS + "}");
    }

    @Test
    void approval_required_carries_the_call_in_front_of_the_person_and_when_it_expires() {
        StepId step = StepId.of("step_3");

        assertThat(json(new ChatEvent.ApprovalRequired(step, "calculator", "{\"expression\":\"6*7\"}",
                AT.plusSeconds(900), AT)))
                .isEqualTo(" {\"type\":\"approval_required\",\"step_id\":\"step_3\",\"tool\":\"calculator\","
                        + "\"arguments\":\"{\\\"expression\\\":\\\"6*7\\\"}\","
                        + "\"expires_at\":\"2026-11-25T06:40:49.700Z\",\"client_side\":false," + TS + "}");
        assertThat(json(new ChatEvent.TraceEnd(step, "denied", null, "The user denied this tool call.", 0, AT)))
                .isEqualTo(" {\"type\":\"trace_end\",\"step_id\":\"step_3\",\"status\":\"denied\","
                        + "\"error\":\"The user denied this tool call.\",\"latency_ms\":0," + TS + "}");
    }

    @Test
    void text_outside_the_basic_plane_passes_through_unharmed() {
        assertThat(json(new ChatEvent.Token("東京 😀", AT))).contains("\"content\":\"東京 😀\"");
    }

    @Test
    void a_token_written_by_hand_is_byte_for_byte_what_the_general_encoder_writes() {
        StringBuilder every = new StringBuilder("quote \" backslash \\ slash / del \u007f 東京 😀 é ");
        for (char c = 0; c < 0x20; c++) {
            every.append(c);
        }
        List<ChatEvent.Token> tokens = new ArrayList<>();
        for (String content : new String[] {"", "plain", every.toString(), "\"\"\\\n"}) {
            tokens.add(new ChatEvent.Token(content, AT));
        }
        SampleEvents.ofEveryKind().stream().filter(ChatEvent.Token.class::isInstance).map(ChatEvent.Token.class::cast)
                .forEach(tokens::add);

        for (ChatEvent.Token token : tokens) {
            assertThat(ChatEventJson.encode(token)).as("content %s", token.content())
                    .isEqualTo(ChatEventJson.encodeWireForm(token));
        }
    }

    @Test
    void the_general_encoder_writes_a_token_as_the_api_has_always_sent_it() {
        assertThat(new String(ChatEventJson.encodeWireForm(new ChatEvent.Token("Hi \"there\"\n", AT)), StandardCharsets.UTF_8))
                .isEqualTo(" {\"type\":\"token\",\"content\":\"Hi \\\"there\\\"\\n\"," + TS + "}");
    }

    static List<ChatEvent> samples() {
        return SampleEvents.ofEveryKind();
    }

    @ParameterizedTest
    @MethodSource("samples")
    void every_kind_of_event_reads_back_from_its_frame_data_as_it_was(ChatEvent event) throws IOException {
        // given: the frame data as a client receives it, the leading space dropped by its SSE parser
        byte[] data = ChatEventJson.encode(event);

        // when
        Map<String, Object> tree = FRAME_READER.readValue(data, 1, data.length - 1, LinkedHashMap.class);

        // then: the samples' times are to the millisecond, the API's precision
        assertThat(data[0]).isEqualTo((byte) ' ');
        assertThat(ChatEventWire.decode(tree)).isEqualTo(event);
    }
}
