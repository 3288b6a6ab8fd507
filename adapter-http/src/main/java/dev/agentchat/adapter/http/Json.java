package dev.agentchat.adapter.http;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;

/**
 * Reads request bodies and writes documents. Bodies are records whose components name their members in
 * snake_case; a hot path that measured faster by hand writes through a generator instead.
 */
public final class Json {
    // Characters outside the basic plane go out as four UTF-8 bytes rather than as two escaped surrogates.
    // Reading is strict: a body a proxy could read one way and this service another (a duplicate key,
    // data after the document) is refused rather than read as its first or last part. Binding is strict
    // too: a member of the wrong type is refused, not coerced ("5" is no number, 1.5 no whole number,
    // 7 no string). Members this version does not know are ignored, so that newer clients keep working.
    //
    // Jackson's default buffer pool is one per thread: every request and every run is a new virtual thread,
    // so each parse and write allocated fresh buffers (about a sixth of a short turn's allocation). A shared
    // pool lends them out instead.
    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .recyclerPool(JsonRecyclerPools.newConcurrentDequePool()).build())
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .withCoercionConfig(LogicalType.Textual, strings -> strings
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .addModule(new SimpleModule().addSerializer(Instant.class, new TimestampSerializer()))
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

    /** Writes {@code body}, a record or a collection of them, as one JSON document. */
    public static String encode(Object body) {
        try {
            return MAPPER.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a response body could not be written", e);
        }
    }

    /**
     * Reads a parsed body as a record of {@code type}: absent and null members are null components.
     *
     * @throws MalformedBody naming the member, when one has the wrong type
     */
    public static <T> T bind(JsonNode body, Class<T> type) {
        try {
            return MAPPER.treeToValue(body, type);
        } catch (MismatchedInputException e) {
            throw new MalformedBody("'" + member(e) + "' must be " + expected(e.getTargetType()) + ".");
        } catch (JsonMappingException e) {
            throw new MalformedBody("'" + member(e) + "' is not valid: " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw new MalformedBody("The body is not valid: " + e.getOriginalMessage());
        }
    }

    /** Where in the body a binding failed, as {@code model.temperature} or {@code tools[2]}. */
    private static String member(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference step : e.getPath()) {
            if (step.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(step.getFieldName());
            } else if (step.getIndex() >= 0) {
                path.append('[').append(step.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "of another type";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "a number";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return "an object";
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

    /** Timestamps in the API's one format, rather than Jackson's own. */
    private static final class TimestampSerializer extends StdSerializer<Instant> {
        TimestampSerializer() {
            super(Instant.class);
        }

        @Override
        public void serialize(Instant value, JsonGenerator json, SerializerProvider provider) throws IOException {
            json.writeString(Timestamps.format(value));
        }
    }

    /** Writes one document's content through a generator. */
    @FunctionalInterface
    public interface JsonBody {
        void writeTo(JsonGenerator json) throws IOException;
    }
}
