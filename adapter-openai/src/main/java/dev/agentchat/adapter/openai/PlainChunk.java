package dev.agentchat.adapter.openai;

/**
 * Nearly every chunk is plain: one choice of index 0 whose delta holds text (or nothing), maybe a
 * finish reason, maybe the usage. Such a chunk is read here with a scanner of its own, which
 * allocates little more than the text: through the SDK's object model a chunk cost over a microsecond
 * and two kilobytes, the largest allocation of a token's whole way through the service (and so the
 * main cause of its garbage collections). Anything else (tool calls, a function call, an error, other
 * choices, a prompt filter report, JSON this scanner does not expect) is left to the full path, which
 * also reports what is wrong with a chunk that is not JSON at all.
 */
final class PlainChunk {
    /** Thrown where the chunk turns out not to be plain; no stack trace, since it is expected. */
    private static final RuntimeException NOT_PLAIN = new RuntimeException("not a plain chunk", null, false, false) {
    };

    private final String json;
    private int at;
    private int keyStart;
    private int keyEnd;

    private String content;
    private String finishReason;
    private boolean choices;
    private boolean usage;
    private int promptTokens;
    private int completionTokens;

    private PlainChunk(String json) {
        this.json = json;
    }

    /** The chunk, or null when it is not plain. */
    static PlainChunk read(String json) {
        PlainChunk chunk = new PlainChunk(json);
        try {
            chunk.readRoot();
        } catch (RuntimeException e) {
            return null;   // not plain, or not well-formed: the full path decides
        }
        return chunk.choices || chunk.usage ? chunk : null;
    }

    String content() {
        return content;
    }

    String finishReason() {
        return finishReason;
    }

    boolean hasUsage() {
        return usage;
    }

    int promptTokens() {
        return promptTokens;
    }

    int completionTokens() {
        return completionTokens;
    }

    private void readRoot() {
        expect('{');
        if (!emptyObject()) {
            do {
                readKey();
                if (key("choices")) {
                    readChoices();
                } else if (key("usage")) {
                    if (!nullValue()) {
                        readUsage();
                    }
                } else if (key("error") || key("prompt_filter_results")) {
                    throw NOT_PLAIN;
                } else {
                    skipValue();
                }
            } while (more('}'));
        }
        skipWhitespace();
        if (at != json.length()) {
            throw NOT_PLAIN;
        }
    }

    private void readChoices() {
        expect('[');
        skipWhitespace();
        if (peek() == ']') {
            at++;
            return;
        }
        expect('{');
        if (!emptyObject()) {
            do {
                readKey();
                if (key("index")) {
                    if (readInt() != 0) {
                        throw NOT_PLAIN;
                    }
                } else if (key("delta")) {
                    if (!nullValue()) {
                        readDelta();
                    }
                } else if (key("finish_reason")) {
                    finishReason = nullValue() ? null : readString();
                } else {
                    skipValue();
                }
            } while (more('}'));
        }
        // One answer is asked for: a second choice is for the full path to sort out.
        if (more(']')) {
            throw NOT_PLAIN;
        }
        choices = true;
    }

    private void readDelta() {
        expect('{');
        if (emptyObject()) {
            return;
        }
        do {
            readKey();
            if (key("content")) {
                content = nullValue() ? null : readString();
            } else if (key("tool_calls") || key("function_call")) {
                if (!nullValue()) {
                    throw NOT_PLAIN;
                }
            } else {
                skipValue();
            }
        } while (more('}'));
    }

    private void readUsage() {
        expect('{');
        if (!emptyObject()) {
            do {
                readKey();
                if (key("prompt_tokens")) {
                    promptTokens = readInt();
                } else if (key("completion_tokens")) {
                    completionTokens = readInt();
                } else {
                    skipValue();
                }
            } while (more('}'));
        }
        usage = true;
    }

    // ---- the scanner

    /** Reads a member's name and the colon after it; the name is kept as a range, not copied. */
    private void readKey() {
        skipWhitespace();
        expect('"');
        keyStart = at;
        int end = json.indexOf('"', at);
        if (end < 0 || json.lastIndexOf('\\', end) >= keyStart) {
            throw NOT_PLAIN;   // the names read here hold no escapes
        }
        keyEnd = end;
        at = end + 1;
        skipWhitespace();
        expect(':');
    }

    private boolean key(String name) {
        return keyEnd - keyStart == name.length() && json.startsWith(name, keyStart);
    }

    /** After a member or an element: true when another follows (a comma), false at {@code close}. */
    private boolean more(char close) {
        skipWhitespace();
        char c = next();
        if (c == ',') {
            return true;
        }
        if (c != close) {
            throw NOT_PLAIN;
        }
        return false;
    }

    /** Right after an opening brace: true (and past it) when the object is empty. */
    private boolean emptyObject() {
        skipWhitespace();
        if (peek() == '}') {
            at++;
            return true;
        }
        return false;
    }

    private boolean nullValue() {
        skipWhitespace();
        if (json.startsWith("null", at)) {
            at += 4;
            return true;
        }
        return false;
    }

    private String readString() {
        skipWhitespace();
        expect('"');
        int start = at;
        for (int i = at; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c == '"') {
                at = i + 1;
                return json.substring(start, i);
            }
            if (c == '\\') {
                return readEscapedString(start);
            }
        }
        throw NOT_PLAIN;
    }

    private String readEscapedString(int start) {
        StringBuilder text = new StringBuilder(json.length() - start);
        at = start;
        while (true) {
            char c = next();
            if (c == '"') {
                return text.toString();
            }
            if (c != '\\') {
                text.append(c);
                continue;
            }
            char escaped = next();
            switch (escaped) {
                case '"', '\\', '/' -> text.append(escaped);
                case 'b' -> text.append('\b');
                case 'f' -> text.append('\f');
                case 'n' -> text.append('\n');
                case 'r' -> text.append('\r');
                case 't' -> text.append('\t');
                case 'u' -> {
                    if (at + 4 > json.length()) {
                        throw NOT_PLAIN;
                    }
                    text.append((char) Integer.parseInt(json, at, at + 4, 16));
                    at += 4;
                }
                default -> throw NOT_PLAIN;
            }
        }
    }

    /** A whole number; a fraction or an exponent is not what a plain chunk holds. */
    private int readInt() {
        skipWhitespace();
        int start = at;
        if (peek() == '-') {
            at++;
        }
        while (at < json.length() && Character.isDigit(json.charAt(at))) {
            at++;
        }
        if (at == start || (at < json.length() && (json.charAt(at) == '.' || json.charAt(at) == 'e'
                || json.charAt(at) == 'E'))) {
            throw NOT_PLAIN;
        }
        return Integer.parseInt(json, start, at, 10);
    }

    private void skipValue() {
        skipWhitespace();
        char c = peek();
        switch (c) {
            case '"' -> readString();
            case '{' -> {
                at++;
                if (!emptyObject()) {
                    do {
                        readKey();
                        skipValue();
                    } while (more('}'));
                }
            }
            case '[' -> {
                at++;
                skipWhitespace();
                if (peek() == ']') {
                    at++;
                } else {
                    do {
                        skipValue();
                    } while (more(']'));
                }
            }
            default -> skipScalar();
        }
    }

    /** A number, true, false or null. */
    private void skipScalar() {
        int start = at;
        while (at < json.length() && "-+.eE0123456789truefalsn".indexOf(json.charAt(at)) >= 0) {
            at++;
        }
        if (at == start) {
            throw NOT_PLAIN;
        }
    }

    private void skipWhitespace() {
        while (at < json.length() && json.charAt(at) <= ' ') {
            at++;
        }
    }

    private void expect(char c) {
        skipWhitespace();
        if (next() != c) {
            throw NOT_PLAIN;
        }
    }

    private char peek() {
        if (at >= json.length()) {
            throw NOT_PLAIN;
        }
        return json.charAt(at);
    }

    private char next() {
        char c = peek();
        at++;
        return c;
    }
}
