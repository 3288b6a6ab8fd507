package dev.agentchat.domain.chat;

import static dev.agentchat.domain.Times.millisAfterT0;

import dev.agentchat.domain.usage.Usage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A scripted model stream for chat turn tests. {@link #playedThrough()} feeds its items to a new turn,
 * the i-th at {@code T0 + i ms}, then the end of the stream, and collects what came out.
 */
final class ModelStream {
    private final List<ModelStreamItem> items = new ArrayList<>();

    private ModelStream() {
    }

    static ModelStream aModelStream() {
        return new ModelStream();
    }

    ModelStream text(String... pieces) {
        for (String piece : pieces) {
            items.add(new ModelStreamItem.TextDelta(piece));
        }
        return this;
    }

    ModelStream toolCall(String callId, String toolName, String arguments) {
        items.add(new ModelStreamItem.ToolCallRequest(callId, toolName, arguments));
        return this;
    }

    ModelStream usage(long promptTokens, long completionTokens) {
        items.add(new ModelStreamItem.UsageReport(Usage.reported(promptTokens, completionTokens)));
        return this;
    }

    ModelStream finish(FinishReason reason) {
        items.add(new ModelStreamItem.Finish(reason));
        return this;
    }

    /** The instant at which the i-th item (or, for i == size, the end of the stream) is fed. */
    static Instant instantOf(int i) {
        return millisAfterT0(i);
    }

    Played playedThrough() {
        ChatTurn turn = ChatTurn.begin();
        List<ChatEvent> events = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            TurnStep step = turn.accept(items.get(i), instantOf(i));
            if (!(step.action() instanceof StreamStep.KeepStreaming)) {
                throw new AssertionError("item " + i + " did not keep the stream going: " + step.action());
            }
            events.addAll(step.events());
            turn = step.turn();
        }
        TurnEnd end = turn.endOfStream(instantOf(items.size()));
        events.addAll(end.events());
        return new Played(end.turn(), List.copyOf(events), end.outcome());
    }

    /** What a whole stream did to a turn: its last state, every event in order, and the decision at the end. */
    record Played(ChatTurn turn, List<ChatEvent> events, ModelCallOutcome action) {
    }
}
