package dev.agentchat.adapter.openai;

import com.azure.json.JsonProviders;
import com.azure.json.JsonReader;
import com.azure.json.JsonToken;
import java.io.IOException;

/**
 * The reader the SDK's model reads a chunk through: it refuses to read a value as a string, number or
 * boolean where the chunk holds an array or an object, and to read on past the end of the chunk.
 *
 * <p>Why: the SDK's generated {@code fromJson} reads each member it knows with {@code getString()} (or
 * {@code getInt()}, ...). On an array or an object the azure-json reader's {@code getString()} answers
 * null without moving past it, so the rest of the chunk is read one level off: the loop that should end at
 * the chunk's closing brace then asks for tokens past the end of the chunk for ever (one CPU spinning, the
 * stream's reader stuck, on {@code "content":[]}), or ends early and silently drops the rest of the chunk
 * (on {@code "id":{}}). Checking here, where the SDK reads, covers every member its model reads at every
 * depth (including the tool calls it buffers and reads again), where a check of the chunk's shape beside
 * it would have to list them all, and follow the SDK.
 */
final class StrictJsonReader extends JsonReader {
    private final JsonReader json;

    private StrictJsonReader(JsonReader json) {
        this.json = json;
    }

    /** A reader of one chunk's JSON. */
    static JsonReader of(String chunk) throws IOException {
        return new StrictJsonReader(JsonProviders.createReader(chunk));
    }

    @Override
    public JsonToken currentToken() {
        return json.currentToken();
    }

    /**
     * The SDK's model stops at the closing brace of the object it reads: a read that reaches the end of the
     * chunk has lost its place. This bounds any such read, whatever put it off, by the chunk's length.
     */
    @Override
    public JsonToken nextToken() throws IOException {
        JsonToken token = json.nextToken();
        if (token == JsonToken.END_DOCUMENT) {
            throw new IOException("The chunk ended before the object the SDK's model was reading.");
        }
        return token;
    }

    @Override
    public String getString() throws IOException {
        return scalar("a string").getString();
    }

    @Override
    public boolean getBoolean() throws IOException {
        return scalar("a boolean").getBoolean();
    }

    @Override
    public int getInt() throws IOException {
        return scalar("a number").getInt();
    }

    @Override
    public long getLong() throws IOException {
        return scalar("a number").getLong();
    }

    @Override
    public float getFloat() throws IOException {
        return scalar("a number").getFloat();
    }

    @Override
    public double getDouble() throws IOException {
        return scalar("a number").getDouble();
    }

    @Override
    public byte[] getBinary() throws IOException {
        return scalar("a string").getBinary();
    }

    /**
     * The reader, when it stands on a string, number, boolean or null: the SDK's own reader reads these as
     * it always did (a number read as a string is still its text). Anything else is refused.
     */
    private JsonReader scalar(String wanted) throws IOException {
        JsonToken token = json.currentToken();
        if (token != JsonToken.STRING && token != JsonToken.NUMBER && token != JsonToken.BOOLEAN && token != JsonToken.NULL) {
            throw new IOException("The SDK's model reads " + wanted + " at \"" + json.getFieldName() + "\", where the chunk holds "
                    + token + ".");
        }
        return json;
    }

    @Override
    public String getFieldName() throws IOException {
        return json.getFieldName();
    }

    @Override
    public void skipChildren() throws IOException {
        json.skipChildren();
    }

    /** The SDK buffers a tool call to read its type first: that copy is read as strictly. */
    @Override
    public JsonReader bufferObject() throws IOException {
        return new StrictJsonReader(json.bufferObject());
    }

    @Override
    public boolean isResetSupported() {
        return json.isResetSupported();
    }

    @Override
    public JsonReader reset() throws IOException {
        return new StrictJsonReader(json.reset());
    }

    @Override
    public void close() throws IOException {
        json.close();
    }
}
