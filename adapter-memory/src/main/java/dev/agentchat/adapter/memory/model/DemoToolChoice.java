package dev.agentchat.adapter.memory.model;

import dev.agentchat.domain.chat.ModelStreamItem;
import dev.agentchat.domain.tool.ToolDefinition;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the offline demo model picks a tool, so that the embedded default shows tool traces: by plain
 * keyword rules over the user's message, and only among the tools the request offers. A tool it has no
 * rule for (one of a client's own, say) it calls, with no arguments, when the message names it.
 */
final class DemoToolChoice {
    private static final Pattern ARITHMETIC = Pattern.compile("[-+*/^%().\\d\\s]*\\d[-+*/^%().\\d\\s]*[-+*/^%][-+*/^%().\\d\\s]*\\d[-+*/^%().\\d\\s]*");
    private static final Pattern TIME = Pattern.compile("\\b(time|date|today|clock|day is it)\\b");
    private static final Pattern QUESTION = Pattern.compile("\\b(how|why|help|error|cannot|can't|won't|doesn't|fails?|broken|down|search)\\b");

    /** The tools the rules below know how to call. */
    private static final Set<String> RULED = Set.of("calculator", "current_time", "search_knowledge_base");

    private DemoToolChoice() {
    }

    static Optional<ModelStreamItem.ToolCallRequest> choose(String userMessage, List<ToolDefinition> offered, int callNumber) {
        String text = userMessage.toLowerCase(Locale.ROOT);
        String callId = "call_demo_" + callNumber;
        Optional<ToolDefinition> named = offered.stream()
                .filter(tool -> !RULED.contains(tool.name()) && names(userMessage, tool.name())).findFirst();
        if (named.isPresent()) {
            // Named outright, it is what the user asked for; the demo cannot know its arguments, so it sends none.
            return Optional.of(new ModelStreamItem.ToolCallRequest(callId, named.get().name(), "{}"));
        }
        if (offers(offered, "calculator")) {
            Matcher expression = ARITHMETIC.matcher(userMessage);
            while (expression.find()) {
                String found = expression.group().strip();
                if (found.length() >= 3) {
                    return Optional.of(new ModelStreamItem.ToolCallRequest(callId, "calculator",
                            "{\"expression\":" + jsonString(found) + "}"));
                }
            }
        }
        if (offers(offered, "current_time") && TIME.matcher(text).find()) {
            return Optional.of(new ModelStreamItem.ToolCallRequest(callId, "current_time", "{}"));
        }
        if (offers(offered, "search_knowledge_base") && QUESTION.matcher(text).find()) {
            return Optional.of(new ModelStreamItem.ToolCallRequest(callId, "search_knowledge_base",
                    "{\"query\":" + jsonString(userMessage.strip()) + ",\"limit\":2}"));
        }
        return Optional.empty();
    }

    /** Whether {@code message} names {@code tool} as a word of its own, not as part of a longer name. */
    private static boolean names(String message, String tool) {
        return Pattern.compile("(?<![A-Za-z0-9_-])" + Pattern.quote(tool) + "(?![A-Za-z0-9_-])").matcher(message).find();
    }

    private static boolean offers(List<ToolDefinition> offered, String name) {
        return offered.stream().anyMatch(tool -> tool.name().equals(name));
    }

    /** A JSON string literal; the demo has no JSON library and needs only this. */
    static String jsonString(String text) {
        StringBuilder json = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append('"').toString();
    }
}
