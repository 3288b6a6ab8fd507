package dev.agentchat.adapter.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentchat.ports.tool.ToolOutcome;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ToolResultsTest {

    private static McpSchema.CallToolResult result(List<McpSchema.Content> content, Boolean isError, Object structured) {
        return new McpSchema.CallToolResult(content, isError, structured, null);
    }

    @Test
    void text_blocks_are_joined_by_lines() {
        ToolOutcome outcome = ToolResults.outcome(result(
                List.of(new McpSchema.TextContent("first"), new McpSchema.TextContent("second")), null, null));

        assertThat(outcome).isEqualTo(new ToolOutcome.Succeeded("first\nsecond"));
    }

    @Test
    void an_error_result_fails_with_its_text_or_says_it_gave_none() {
        assertThat(ToolResults.outcome(result(List.of(new McpSchema.TextContent("no such table")), true, null)))
                .isEqualTo(new ToolOutcome.Failed("no such table"));
        assertThat(ToolResults.outcome(result(List.of(), true, null)))
                .isEqualTo(new ToolOutcome.Failed("the tool failed and did not say why"));
    }

    @Test
    void structured_content_is_added_as_json_unless_a_text_block_already_holds_it() {
        Map<String, Object> weather = Map.of("temperature", 21);

        assertThat(ToolResults.outcome(result(List.of(new McpSchema.TextContent("Sunny")), null, weather)))
                .isEqualTo(new ToolOutcome.Succeeded("Sunny\n{\"temperature\":21}"));
        assertThat(ToolResults.outcome(result(List.of(new McpSchema.TextContent("{ \"temperature\": 21 }")), null, weather)))
                .isEqualTo(new ToolOutcome.Succeeded("{ \"temperature\": 21 }"));
    }

    @Test
    void other_kinds_of_content_are_summarised() {
        ToolOutcome outcome = ToolResults.outcome(result(List.of(
                new McpSchema.ImageContent(null, "iVBORw0KGgo=", "image/png"),
                new McpSchema.AudioContent(null, "AAAA", "audio/wav"),
                new McpSchema.ResourceLink("report", null, "file:///report.pdf", null, "application/pdf", null, null, null),
                new McpSchema.EmbeddedResource(null, new McpSchema.TextResourceContents("file:///a.txt", "text/plain", "hello")),
                new McpSchema.EmbeddedResource(null, new McpSchema.BlobResourceContents("file:///a.bin", "application/octet-stream", "AAAAAA=="))),
                null, null));

        assertThat(outcome).isEqualTo(new ToolOutcome.Succeeded("""
                [image: image/png, 8 bytes]
                [audio: audio/wav, 3 bytes]
                [resource link: file:///report.pdf (report)]
                [resource: file:///a.txt]
                hello
                [resource: file:///a.bin, application/octet-stream, 4 bytes]"""));
    }
}
