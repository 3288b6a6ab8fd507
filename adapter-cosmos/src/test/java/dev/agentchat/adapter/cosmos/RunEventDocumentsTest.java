package dev.agentchat.adapter.cosmos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.agentchat.domain.chat.ChatEvent;
import dev.agentchat.domain.chat.RunEvent;
import dev.agentchat.domain.message.MessageId;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.step.StepId;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.ports.chat.wire.SampleEvents;
import dev.agentchat.ports.chat.wire.UnreadableEvent;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** How a run event is kept in an event batch's document, and read back. */
class RunEventDocumentsTest {
    private static final Instant AT = Instant.parse("2025-03-01T12:00:00.000000123Z");

    static List<ChatEvent> samples() {
        return SampleEvents.ofEveryKind();
    }

    /** The document as Cosmos DB hands it back: written out as JSON text and parsed again. */
    private static RunEvent stored(RunEvent event) throws JsonProcessingException {
        return RunEventDocuments.fromDocument(parse(Documents.JSON.writeValueAsString(RunEventDocuments.toDocument(event))));
    }

    private static JsonNode parse(String json) throws JsonProcessingException {
        return Documents.JSON.readTree(json);
    }

    @ParameterizedTest
    @MethodSource("samples")
    void every_kind_of_event_reads_back_from_its_document_as_it_was(ChatEvent event) throws JsonProcessingException {
        assertThat(stored(new RunEvent(3, event))).isEqualTo(new RunEvent(3, event));
    }

    @Test
    void a_document_holds_the_sequence_and_the_members_the_http_stream_sends_with_the_time_to_the_nanosecond() {
        JsonNode doc = RunEventDocuments.toDocument(new RunEvent(7, new ChatEvent.Done(RunId.of("run-1"), ThreadId.of("thread-1"),
                MessageId.of("msg-1"), 42, AT)));

        assertThat(doc.toString()).isEqualTo("{\"seq\":7,\"type\":\"done\",\"run_id\":\"run-1\",\"thread_id\":\"thread-1\","
                + "\"message_id\":\"msg-1\",\"tokens_used\":42,\"timestamp\":\"2025-03-01T12:00:00.000000123Z\"}");
    }

    @Test
    void numbers_too_large_for_a_double_are_kept_as_text_and_read_back_exactly() throws JsonProcessingException {
        RunEvent end = new RunEvent(Long.MAX_VALUE, new ChatEvent.TraceEnd(StepId.of("step-1"), "completed", "", null,
                (1L << 53) + 1, AT));

        assertThat(RunEventDocuments.toDocument(end).get("latency_ms").isTextual()).isTrue();
        assertThat(stored(end)).isEqualTo(end);
    }

    @Test
    void events_stored_with_the_former_camel_case_members_still_read() throws JsonProcessingException {
        // given: documents as the event log wrote them before the wire form was shared, kept for the events' retention
        String time = "\"timestamp\":\"2025-03-01T12:00:00.000000123Z\"";
        List<String> former = List.of(
                "{\"seq\":1,\"type\":\"token\",\"content\":\"Hi\"," + time + "}",
                "{\"seq\":2,\"type\":\"trace_start\",\"stepId\":\"step-1\",\"tool\":\"calculator\",\"arguments\":\"{}\"," + time + "}",
                "{\"seq\":3,\"type\":\"trace_update\",\"stepId\":\"step-1\",\"progress\":\"half way\"," + time + "}",
                "{\"seq\":4,\"type\":\"trace_end\",\"stepId\":\"step-1\",\"status\":\"completed\",\"output\":\"4\",\"error\":null,"
                        + "\"latencyMs\":12," + time + "}",
                "{\"seq\":5,\"type\":\"trace_end\",\"stepId\":\"step-2\",\"status\":\"failed\",\"output\":null,\"error\":\"no such tool\","
                        + "\"latencyMs\":\"9007199254740993\"," + time + "}",
                "{\"seq\":6,\"type\":\"error\",\"message\":\"The model failed.\",\"code\":\"model_error\"," + time + "}",
                "{\"seq\":7,\"type\":\"done\",\"runId\":\"run-1\",\"threadId\":\"thread-1\",\"messageId\":\"msg-1\",\"tokensUsed\":42,"
                        + time + "}");

        // when
        List<RunEvent> read = former.stream().map(json -> {
            try {
                return RunEventDocuments.fromDocument(parse(json));
            } catch (JsonProcessingException e) {
                throw new AssertionError(e);
            }
        }).toList();

        // then
        StepId step1 = StepId.of("step-1");
        assertThat(read).containsExactly(
                new RunEvent(1, new ChatEvent.Token("Hi", AT)),
                new RunEvent(2, new ChatEvent.TraceStart(step1, "calculator", "{}", AT)),
                new RunEvent(3, new ChatEvent.TraceUpdate(step1, "half way", AT)),
                new RunEvent(4, new ChatEvent.TraceEnd(step1, "completed", "4", null, 12, AT)),
                new RunEvent(5, new ChatEvent.TraceEnd(StepId.of("step-2"), "failed", null, "no such tool", (1L << 53) + 1, AT)),
                new RunEvent(6, new ChatEvent.Error("The model failed.", "model_error", AT)),
                new RunEvent(7, new ChatEvent.Done(RunId.of("run-1"), ThreadId.of("thread-1"), MessageId.of("msg-1"), 42, AT)));
    }

    @Test
    void an_event_of_a_type_this_version_does_not_know_is_an_unreadable_event_that_names_the_type() throws JsonProcessingException {
        JsonNode doc = parse("{\"seq\":1,\"type\":\"approval_requested\",\"tool\":\"calculator\",\"timestamp\":\"2025-03-01T12:00:00Z\"}");

        assertThatThrownBy(() -> RunEventDocuments.fromDocument(doc)).isInstanceOf(UnreadableEvent.class)
                .hasMessageContaining("approval_requested");
    }
}
