package dev.agentchat.adapter.http;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/** Reads request bodies and writes documents. Writing goes through a generator: no reflection, snake_case by hand. */
public final class Json {
    // Characters outside the basic plane go out as four UTF-8 bytes rather than as two escaped surrogates.
    // Reading is strict: a body a proxy could read one way and this service another (a duplicate key,
    // data after the document) is refused rather than read as its first or last part.
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final JsonFactory FACTORY = MAPPER.getFactory();

    private Json() {
    }

    /** Writes one JSON document with {@code body}. */
    public static String write(JsonBody body) {
        return write("", body);
    }

    /** Writes {@code prefix} and then one JSON document with {@code body}. */
    public static String write(String prefix, JsonBody body) {
        StringWriter out = new StringWriter(128);
        out.write(prefix);
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            body.writeTo(json);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to a string cannot fail", e);
        }
        return out.toString();
    }

    /** Writes {@code prefix} and then one JSON document with {@code body}, as UTF-8. */
    public static byte[] writeUtf8(String prefix, JsonBody body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        out.writeBytes(prefix.getBytes(StandardCharsets.UTF_8));
        try (JsonGenerator json = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            body.writeTo(json);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return out.toByteArray();
    }

    /**
     * Parses a request body that must be exactly one JSON document in UTF-8.
     *
     * @throws MalformedBody when the bytes are not UTF-8, the JSON is malformed, a key repeats, data
     *                       follows the document, or a string holds half of a surrogate pair
     */
    public static JsonNode read(byte[] body) {
        String text = decodeUtf8(body);
        if (text.startsWith("\uFEFF")) {
            // A byte order mark, which RFC 8259 lets a parser ignore and Jackson ignored when it decoded the bytes itself.
            text = text.substring(1);
        }
        JsonNode tree;
        try {
            tree = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new MalformedBody("The body is not valid JSON: " + e.getOriginalMessage());
        }
        if (tree != null) {
            refuseLoneSurrogates(tree);
        }
        return tree;
    }

    /**
     * Decodes strictly. Jackson's own decoder reads an overlong form (C0 AF) as the character it
     * spells ('/') and other invalid bytes as '?', so what is stored would differ from what a
     * filter in front of the service saw.
     */
    private static String decodeUtf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new MalformedBody("The body is not valid UTF-8.");
        }
    }

    /**
     * A JSON escape can name half of a surrogate pair (U+D800 alone, say), which is no character: stored, it
     * would come back as '?' or break the next reader. Keys and values are checked alike.
     */
    private static void refuseLoneSurrogates(JsonNode node) {
        if (node.isTextual()) {
            refuseLoneSurrogates(node.textValue());
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                refuseLoneSurrogates(field.getKey());
                refuseLoneSurrogates(field.getValue());
            }
        } else if (node.isArray()) {
            for (JsonNode element : node) {
                refuseLoneSurrogates(element);
            }
        }
    }

    private static void refuseLoneSurrogates(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new MalformedBody("The body holds half of a surrogate pair (\\u"
                        + Integer.toHexString(c) + "), which is not a character.");
            }
        }
    }

    /** Writes one document's content through a generator. */
    @FunctionalInterface
    public interface JsonBody {
        void writeTo(JsonGenerator json) throws IOException;
    }
}
