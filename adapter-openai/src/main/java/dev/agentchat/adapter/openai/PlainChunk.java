package dev.agentchat.adapter.openai;

/**
 * Nearly every chunk is plain: one choice of index 0 whose delta holds text (or nothing), maybe a
 * finish reason, maybe the usage. Such a chunk is read here with a scanner of its own, which
 * allocates little more than the text: through the SDK's object model a chunk cost over a microsecond
 * and two kilobytes, the largest allocation of a token's whole way through the service (and so the
 * main cause of its garbage collections). Anything else (tool calls, a function call, an error, other
 * choices, a prompt filter report, JSON this scanner does not expect) is left to the full path, which
 * also reports what is wrong with a chunk that is not JSON at all.
 *
 * <p>The two must never read a chunk differently: {@code PlainChunkDifferentialTest} holds this scanner
 * against the SDK's parse. So a member the SDK's model knows is read here with the type the SDK reads
 * it as, and once (a reader keeps the last of two); a member it does not know is skipped, but checked to
 * be well-formed JSON, as the SDK's reader checks it. Anything else is the full path's.
 */
final class PlainChunk {
    /** Thrown where the chunk turns out not to be plain; no stack trace, since it is expected. */
    private static final RuntimeException NOT_PLAIN = new RuntimeException("not a plain chunk", null, false, false) {
    };

    /** Deeper than any chunk a service sends, far below where the SDK's reader (or the stack) gives up. */
    private static final int MAX_DEPTH = 32;
    /** Far below the SDK's reader's limit on a number's length (1,000 characters). */
    private static final int MAX_NUMBER_LENGTH = 100;

    private final String json;
    private int at;
    private int keyStart;
    private int keyEnd;

    private String model;
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

    /** The model the service says answered; null when the chunk has none. */
    String model() {
        return model;
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
            int seen = 0;
            do {
                readKey();
                if (key("choices")) {
                    seen = once(seen, 1);
                    readChoices();
                } else if (key("usage")) {
                    seen = once(seen, 2);
                    if (!nullValue()) {
                        readUsage();
                    }
                } else if (key("model")) {
                    seen = once(seen, 8);
                    model = readString();
                } else if (key("id") || key("service_tier")) {
                    seen = once(seen, key("id") ? 4 : 16);
                    readString();
                } else if (key("system_fingerprint")) {
                    seen = once(seen, 32);
                    stringOrNull();
                } else if (key("created")) {
                    seen = once(seen, 64);
                    readLong();
                } else if (key("error") || key("prompt_filter_results")) {
                    throw NOT_PLAIN;
                } else {
                    skipValue(0);
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
            int seen = 0;
            do {
                readKey();
                if (key("index")) {
                    seen = once(seen, 1);
                    if (readInt() != 0) {
                        throw NOT_PLAIN;
                    }
                } else if (key("delta")) {
                    seen = once(seen, 2);
                    if (!nullValue()) {
                        readDelta();
                    }
                } else if (key("finish_reason")) {
                    seen = once(seen, 4);
                    finishReason = stringOrNull();
                } else if (key("content_filter_results")) {
                    seen = once(seen, 8);
                    if (!nullValue()) {
                        readContentFilterResults();
                    }
                } else if (key("logprobs")) {
                    seen = once(seen, 16);
                    requireNull();
                } else if (key("message") || key("enhancements")) {
                    throw NOT_PLAIN;
                } else {
                    skipValue(0);
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
        int seen = 0;
        do {
            readKey();
            if (key("content")) {
                seen = once(seen, 1);
                content = stringOrNull();
            } else if (key("role")) {
                seen = once(seen, 2);
                readString();
            } else if (key("refusal")) {
                seen = once(seen, 4);
                stringOrNull();
            } else if (key("tool_calls") || key("function_call") || key("audio") || key("context")) {
                seen = once(seen, key("tool_calls") ? 8 : key("function_call") ? 16 : key("audio") ? 32 : 64);
                requireNull();
            } else {
                skipValue(0);
            }
        } while (more('}'));
    }

    /**
     * Azure's verdicts on the answer so far, in nearly every chunk it sends. Not read, but checked as the
     * SDK reads them (the usual categories only), so that the full path would not reject the chunk.
     */
    private void readContentFilterResults() {
        expect('{');
        if (emptyObject()) {
            return;
        }
        int seen = 0;
        do {
            readKey();
            if (key("hate") || key("self_harm") || key("sexual") || key("violence")) {
                seen = once(seen, key("hate") ? 1 : key("self_harm") ? 2 : key("sexual") ? 4 : 8);
                readVerdict("severity");
            } else if (key("profanity") || key("protected_material_text")) {
                seen = once(seen, key("profanity") ? 16 : 32);
                readVerdict("detected");
            } else if (key("error") || key("custom_blocklists") || key("protected_material_code")
                    || key("ungrounded_material")) {
                throw NOT_PLAIN;
            } else {
                skipValue(0);
            }
        } while (more('}'));
    }

    /** {@code {"filtered": true|false, "severity": "..."}} or with {@code "detected": true|false}. */
    private void readVerdict(String second) {
        expect('{');
        if (emptyObject()) {
            return;
        }
        int seen = 0;
        do {
            readKey();
            if (key("filtered")) {
                seen = once(seen, 1);
                readBoolean();
            } else if (key(second)) {
                seen = once(seen, 2);
                if (second.equals("severity")) {
                    readString();
                } else {
                    readBoolean();
                }
            } else {
                skipValue(0);
            }
        } while (more('}'));
    }

    private void readUsage() {
        expect('{');
        if (!emptyObject()) {
            int seen = 0;
            do {
                readKey();
                if (key("prompt_tokens")) {
                    seen = once(seen, 1);
                    promptTokens = readInt();
                } else if (key("completion_tokens")) {
                    seen = once(seen, 2);
                    completionTokens = readInt();
                } else if (key("total_tokens")) {
                    seen = once(seen, 4);
                    readInt();
                } else if (key("prompt_tokens_details") || key("completion_tokens_details")) {
                    seen = once(seen, key("prompt_tokens_details") ? 8 : 16);
                    if (!nullValue()) {
                        readCounts();
                    }
                } else {
                    skipValue(0);
                }
            } while (more('}'));
        }
        usage = true;
    }

    /** The usage's details: counts, each a whole number, as the SDK reads every one it knows. */
    private void readCounts() {
        expect('{');
        if (emptyObject()) {
            return;
        }
        do {
            readKey();
            readInt();
        } while (more('}'));
    }

    // ---- the scanner

    /**
     * Marks a member of the SDK's model as seen. A reader keeps the last of two members of one name, so a
     * second one would make this reading differ from the SDK's: such a chunk is the full path's.
     */
    private static int once(int seen, int member) {
        if ((seen & member) != 0) {
            throw NOT_PLAIN;
        }
        return seen | member;
    }

    /** Reads a member's name and the colon after it; the name is kept as a range, not copied. */
    private void readKey() {
        skipWhitespace();
        expect('"');
        keyStart = at;
        int end = json.indexOf('"', at);
        if (end < 0) {
            throw NOT_PLAIN;
        }
        for (int i = keyStart; i < end; i++) {
            char c = json.charAt(i);
            if (c == '\\' || c < ' ') {
                throw NOT_PLAIN;   // the names read here hold no escapes, and no JSON holds raw control characters
            }
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

    /** A member the SDK would read into more than a plain chunk holds: only its absence, null, is plain. */
    private void requireNull() {
        if (!nullValue()) {
            throw NOT_PLAIN;
        }
    }

    private String stringOrNull() {
        return nullValue() ? null : readString();
    }

    private void readBoolean() {
        skipWhitespace();
        if (json.startsWith("true", at)) {
            at += 4;
        } else if (json.startsWith("false", at)) {
            at += 5;
        } else {
            throw NOT_PLAIN;
        }
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
            if (c < ' ') {
                throw NOT_PLAIN;   // JSON has raw control characters nowhere in a string; the SDK's reader refuses them
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
            if (c < ' ') {
                throw NOT_PLAIN;
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
                case 'u' -> text.append(readHexChar());
                default -> throw NOT_PLAIN;
            }
        }
    }

    /**
     * The four hex digits of a u escape: ASCII ones only, where {@code Integer.parseInt} would also take a
     * sign and {@code Character.digit} other scripts' digits.
     */
    private char readHexChar() {
        int value = 0;
        for (int i = 0; i < 4; i++) {
            char c = next();
            int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (digit < 0) {
                throw NOT_PLAIN;
            }
            value = value * 16 + digit;
        }
        return (char) value;
    }

    /** A whole number that fits an int; a fraction or an exponent is not what a plain chunk holds. */
    private int readInt() {
        long value = readLong();
        if (value != (int) value) {
            throw NOT_PLAIN;
        }
        return (int) value;
    }

    /** A whole number in JSON's grammar (no leading zero, no plus sign, ASCII digits) that fits a long. */
    private long readLong() {
        skipWhitespace();
        int start = at;
        if (peek() == '-') {
            at++;
        }
        int digits = at;
        while (at < json.length() && json.charAt(at) >= '0' && json.charAt(at) <= '9') {
            at++;
        }
        if (at == digits || (json.charAt(digits) == '0' && at - digits > 1) || at - digits > 18) {
            throw NOT_PLAIN;
        }
        if (at < json.length() && (json.charAt(at) == '.' || json.charAt(at) == 'e' || json.charAt(at) == 'E')) {
            throw NOT_PLAIN;
        }
        return Long.parseLong(json, start, at, 10);
    }

    /**
     * Past a value the SDK does not read (and so skips): any JSON, but well-formed, as the SDK's reader
     * checks it. Nesting deeper than any chunk's is left to the full path rather than to the stack.
     */
    private void skipValue(int depth) {
        if (depth > MAX_DEPTH) {
            throw NOT_PLAIN;
        }
        skipWhitespace();
        char c = peek();
        switch (c) {
            case '"' -> readString();
            case '{' -> {
                at++;
                if (!emptyObject()) {
                    do {
                        readKey();
                        skipValue(depth + 1);
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
                        skipValue(depth + 1);
                    } while (more(']'));
                }
            }
            case 't', 'f' -> readBoolean();
            case 'n' -> requireNull();
            default -> skipNumber();
        }
    }

    /** A number in JSON's grammar: {@code -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?}. */
    private void skipNumber() {
        int start = at;
        if (peek() == '-') {
            at++;
        }
        if (peek() == '0') {
            at++;
        } else if (digits() == 0) {
            throw NOT_PLAIN;
        }
        if (at < json.length() && json.charAt(at) == '.') {
            at++;
            if (digits() == 0) {
                throw NOT_PLAIN;
            }
        }
        if (at < json.length() && (json.charAt(at) == 'e' || json.charAt(at) == 'E')) {
            at++;
            if (at < json.length() && (json.charAt(at) == '+' || json.charAt(at) == '-')) {
                at++;
            }
            if (digits() == 0) {
                throw NOT_PLAIN;
            }
        }
        if (at - start > MAX_NUMBER_LENGTH) {
            throw NOT_PLAIN;
        }
    }

    private int digits() {
        int start = at;
        while (at < json.length() && json.charAt(at) >= '0' && json.charAt(at) <= '9') {
            at++;
        }
        return at - start;
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
