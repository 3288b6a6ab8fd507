package dev.agentchat.adapter.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentchat.ports.tool.ToolOutcome;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.ArrayList;
import java.util.List;

/**
 * An MCP tool's result as the text the model reads: text content as it is, structured content as JSON, and other
 * kinds (images, audio, resources) summarised, since the model reads only text from a tool.
 */
final class ToolResults {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ToolResults() {
    }

    static ToolOutcome outcome(McpSchema.CallToolResult result) {
        String text = text(result);
        if (Boolean.TRUE.equals(result.isError())) {
            return new ToolOutcome.Failed(text.isBlank() ? "the tool failed and did not say why" : text);
        }
        return new ToolOutcome.Succeeded(text);
    }

    private static String text(McpSchema.CallToolResult result) {
        List<String> parts = new ArrayList<>();
        if (result.content() != null) {
            result.content().forEach(content -> parts.add(text(content)));
        }
        if (result.structuredContent() != null) {
            JsonNode structured = JSON.valueToTree(result.structuredContent());
            // The spec asks a server to repeat structured content as a text block for older clients; once is enough.
            if (parts.stream().noneMatch(part -> structured.equals(parsed(part)))) {
                parts.add(structured.toString());
            }
        }
        return String.join("\n", parts);
    }

    private static String text(McpSchema.Content content) {
        if (content instanceof McpSchema.TextContent text) {
            return text.text();
        }
        if (content instanceof McpSchema.ImageContent image) {
            return "[image: " + image.mimeType() + ", " + bytes(image.data()) + " bytes]";
        }
        if (content instanceof McpSchema.AudioContent audio) {
            return "[audio: " + audio.mimeType() + ", " + bytes(audio.data()) + " bytes]";
        }
        if (content instanceof McpSchema.ResourceLink link) {
            return "[resource link: " + link.uri() + (link.name() == null ? "" : " (" + link.name() + ")") + "]";
        }
        if (content instanceof McpSchema.EmbeddedResource embedded) {
            if (embedded.resource() instanceof McpSchema.TextResourceContents resource) {
                return "[resource: " + resource.uri() + "]\n" + resource.text();
            }
            if (embedded.resource() instanceof McpSchema.BlobResourceContents blob) {
                return "[resource: " + blob.uri() + ", " + blob.mimeType() + ", " + bytes(blob.blob()) + " bytes]";
            }
        }
        return "[" + content.type() + " content]";
    }

    /** The size of base64 data once decoded, without decoding it. */
    private static long bytes(String base64) {
        if (base64 == null) {
            return 0;
        }
        String data = base64.strip();
        int padding = data.endsWith("==") ? 2 : data.endsWith("=") ? 1 : 0;
        return Math.max(0, data.length() / 4L * 3 - padding);
    }

    private static JsonNode parsed(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException notJson) {
            return null;
        }
    }
}
