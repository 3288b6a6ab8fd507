package dev.agentchat.bootstrap;

import static dev.agentchat.bootstrap.AgUiClient.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * A run's AG-UI stream served again ({@code GET .../runs/{runId}/events/ag-ui}), read by the released
 * {@code @ag-ui/client} 1.0.0's {@code HttpAgent}, which validates every event with {@code @ag-ui/core}'s schemas
 * and checks their order: whole, and taken up after an id and stitched to what the client had, as a client that
 * reconnects would. Each must be the run its first stream carried.
 */
class AgUiReplayClientTest {

    @Test
    void a_run_served_again_whole_or_after_an_id_is_the_valid_run_the_first_stream_carried() {
        try (ServiceAsDeployed service = ServiceAsDeployed.start(Settings.forTests(Map.of()))) {
            List<JsonNode> runs = AgUiClient.run(service.application().port(), "replay");

            assertThat(runs).hasSize(3);
            JsonNode first = runs.get(0);
            for (JsonNode again : runs) {
                assertThat(again.get("failure").isNull()).as("the client failed the run: " + again.get("failure")).isTrue();
                assertThat(again.get("runError").isNull()).as("RUN_ERROR: " + again.get("runError")).isTrue();
                assertThat(strings(again.get("problems"))).as("what the schemas, the client and the wire check found").isEmpty();
                assertThat(strings(again.get("types"))).isEqualTo(strings(first.get("types")))
                        .startsWith("RUN_STARTED").endsWith("RUN_FINISHED").contains("TOOL_CALL_RESULT");
                assertThat(text(again, "text")).isNotBlank().isEqualTo(text(first, "text"));
                assertThat(text(again, "threadId")).isEqualTo(text(first, "threadId"));
                assertThat(text(again, "runId")).isEqualTo(text(first, "runId"));
                assertThat(again.get("toolCalls")).isEqualTo(first.get("toolCalls"));
            }
            JsonNode stitched = runs.get(2);
            long cutAfter = stitched.get("cutAfter").asLong();
            JsonNode rest = stitched.get("rest");
            assertThat(rest.get("events").asInt()).as("frames after the id").isPositive()
                    .isLessThan(strings(first.get("types")).size() - 1);
            assertThat(strings(rest.get("types"))).doesNotContain("RUN_STARTED").endsWith("RUN_FINISHED");
            assertThat(StreamSupport.stream(rest.get("ids").spliterator(), false).map(JsonNode::asLong))
                    .hasSize(rest.get("events").asInt()).allSatisfy(id -> assertThat(id).isGreaterThan(cutAfter));
        }
    }

    private static List<String> strings(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }
}
