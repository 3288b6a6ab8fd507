package dev.agentchat.ports.contract.model;

/** Builds the JSON of streamed chunks exactly as Azure OpenAI sends them. */
public final class Chunks {
    /**
     * The model the service says answered: a dated version of the one the deployment names, as Azure
     * and OpenAI answer, so that a test tells the two apart.
     */
    public static final String RESPONSE_MODEL = "gpt-4o-mini-2024-07-18";

    private Chunks() {
    }

    /** Azure's first chunk: no choices, only the prompt's content filter results. */
    public static String promptFilterResults() {
        return "{\"choices\":[],\"created\":0,\"id\":\"\",\"model\":\"\",\"object\":\"\",\"prompt_filter_results\":[{\"prompt_index\":0,"
                + "\"content_filter_results\":{\"hate\":{\"filtered\":false,\"severity\":\"safe\"}}}]}";
    }

    public static String role() {
        return choice("{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null}", null);
    }

    public static String text(String content) {
        return choice("{\"content\":" + quoted(content) + "}", null);
    }

    /** The first delta of a tool call: its index, id, type and name, and maybe a first arguments fragment. */
    public static String toolCallStart(int index, String id, String name, String arguments) {
        return choice("{\"tool_calls\":[{\"index\":" + index + ",\"id\":" + quoted(id) + ",\"type\":\"function\","
                + "\"function\":{\"name\":" + quoted(name) + ",\"arguments\":" + quoted(arguments) + "}}]}", null);
    }

    /** A later delta of a tool call: only its index and an arguments fragment, as the service sends it. */
    public static String toolCallArguments(int index, String fragment) {
        return choice("{\"tool_calls\":[{\"index\":" + index + ",\"function\":{\"arguments\":" + quoted(fragment) + "}}]}", null);
    }

    public static String finish(String reason) {
        return choice("{}", reason);
    }

    /** The last chunk, sent when stream_options.include_usage is set: no choices, the usage. */
    public static String usage(int prompt, int completion) {
        return "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1732500000,\"model\":\"" + RESPONSE_MODEL + "\","
                + "\"choices\":[],\"usage\":{\"prompt_tokens\":" + prompt + ",\"completion_tokens\":" + completion
                + ",\"total_tokens\":" + (prompt + completion) + "}}";
    }

    private static String choice(String delta, String finishReason) {
        return "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1732500000,\"model\":\"" + RESPONSE_MODEL + "\","
                + "\"system_fingerprint\":\"fp_1\",\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"logprobs\":null,"
                + "\"finish_reason\":" + (finishReason == null ? "null" : quoted(finishReason)) + "}]}";
    }

    /** {@code chunk} without its {@code model} member, as some OpenAI-compatible servers send chunks. */
    public static String withoutModel(String chunk) {
        String without = chunk.replaceFirst("\"model\":\"[^\"]*\",", "");
        if (without.equals(chunk)) {
            throw new IllegalArgumentException("no model member to take out of " + chunk);
        }
        return without;
    }

    public static String quoted(String text) {
        StringBuilder json = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                default -> json.append(c);
            }
        }
        return json.append('"').toString();
    }
}
