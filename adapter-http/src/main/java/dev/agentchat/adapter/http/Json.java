package dev.agentchat.adapter.http;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Reads request bodies and writes documents. Writing goes through a generator: no reflection, snake_case by hand. */
public final class Json {
    // Characters outside the basic plane go out as four UTF-8 bytes rather than as two escaped surrogates.
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
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

    /** Parses a request body; throws {@link com.fasterxml.jackson.core.JsonProcessingException} when malformed. */
    public static JsonNode read(byte[] body) throws IOException {
        return MAPPER.readTree(body);
    }

    /** Writes one document's content through a generator. */
    @FunctionalInterface
    public interface JsonBody {
        void writeTo(JsonGenerator json) throws IOException;
    }
}
