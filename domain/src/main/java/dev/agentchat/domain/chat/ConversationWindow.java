package dev.agentchat.domain.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.ToIntFunction;

/**
 * Which part of a conversation fits a token budget. The conversation comes as groups that must stay
 * together (a tool call with its results); the newest groups are kept, the oldest dropped first.
 * The newest group is always kept, even alone over the budget: the model must see what it answers.
 * The instructions are not part of the window: they always go with the request.
 */
public final class ConversationWindow {
    private ConversationWindow() {
    }

    public static <T> List<T> newestWithin(List<List<T>> groups, ToIntFunction<T> tokens, int budget) {
        Objects.requireNonNull(groups, "groups");
        int used = 0;
        int first = groups.size();
        for (int i = groups.size() - 1; i >= 0; i--) {
            int cost = 0;
            for (T item : groups.get(i)) {
                cost += tokens.applyAsInt(item);
            }
            if (first < groups.size() && used + cost > budget) {
                break;
            }
            used += cost;
            first = i;
        }
        List<T> kept = new ArrayList<>();
        for (List<T> group : groups.subList(first, groups.size())) {
            kept.addAll(group);
        }
        return List.copyOf(kept);
    }

    /** A rough count for text, about four characters a token: for budgets, not for billing. */
    public static int estimateTokens(String text) {
        return (text.length() + 3) / 4 + 4;
    }
}
