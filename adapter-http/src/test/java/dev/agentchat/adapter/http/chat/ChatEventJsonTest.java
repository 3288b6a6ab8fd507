package dev.agentchat.adapter.http.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentchat.domain.chat.ChatEvent;
import dev.agentchat.domain.message.MessageId;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.step.StepId;
import dev.agentchat.domain.thread.ThreadId;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The exact frame data of every event type: the wire format clients parse. */
class ChatEventJsonTest {
    private static final Instant AT = Instant.parse("2026-11-25T06:25:49.7Z");
    private static final String TS = "\"timestamp\":\"2026-11-25T06:25:49.700Z\"";

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
    void text_outside_the_basic_plane_passes_through_unharmed() {
        assertThat(json(new ChatEvent.Token("東京 😀", AT))).contains("\"content\":\"東京 😀\"");
    }

    @Test
    void a_token_written_by_hand_is_byte_for_byte_what_the_json_generator_writes() {
        StringBuilder every = new StringBuilder("quote \" backslash \\ slash / del \u007f 東京 😀 é ");
        for (char c = 0; c < 0x20; c++) {
            every.append(c);
        }
        for (String content : new String[] {"", "plain", every.toString(), "\"\"\\\n"}) {
            String reference = new String(dev.agentchat.adapter.http.Json.writeUtf8(" ", json -> {
                json.writeStartObject();
                json.writeStringField("type", "token");
                json.writeStringField("content", content);
                json.writeStringField("timestamp", dev.agentchat.adapter.http.Timestamps.format(AT));
                json.writeEndObject();
            }), StandardCharsets.UTF_8);

            assertThat(json(new ChatEvent.Token(content, AT))).as("content %s", content).isEqualTo(reference);
        }
    }
}
