package dev.agentchat.domain.chat;

import dev.agentchat.domain.message.Message;
import dev.agentchat.domain.run.RunFailure;
import dev.agentchat.domain.usage.Price;
import dev.agentchat.domain.usage.Usage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One model call of a chat turn, as a pure state machine. It is fed the model's stream items one by
 * one and then the end of the stream; each input returns the next state, the events to emit and what
 * comes next: keep streaming, or how the model call ended. It reads no clock and does no I/O: time comes in with each input.
 *
 * <p>The decision waits for the end of the stream rather than the finish item, because model
 * services send the usage report after the finish reason. Every token is well-formed text that can
 * be encoded on its own: a first half of a surrogate pair at the end of a delta is held back until
 * its other half arrives, and a half that never finds its partner becomes U+FFFD.
 */
public final class ChatTurn {
    /** The longest answer a turn keeps: what one message may hold. */
    public static final int MAX_ANSWER_LENGTH = Message.MAX_CONTENT_LENGTH;
    private static final String REPLACEMENT = "\uFFFD";

    private final AnswerText answer;
    /** A high surrogate waiting for its low half, or empty. */
    private final String heldBack;
    private final List<ModelStreamItem.ToolCallRequest> toolCalls;
    private final Usage usage;
    private final FinishReason finishReason;
    /** The model's price, or null when it has none: then costs are unknown. */
    private final Price price;

    private ChatTurn(AnswerText answer, String heldBack, List<ModelStreamItem.ToolCallRequest> toolCalls, Usage usage,
                     FinishReason finishReason, Price price) {
        this.answer = answer;
        this.heldBack = heldBack;
        this.toolCalls = toolCalls;
        this.usage = usage;
        this.finishReason = finishReason;
        this.price = price;
    }

    /** A turn that has received nothing yet, of a model without a known price. */
    public static ChatTurn begin() {
        return new ChatTurn(AnswerText.EMPTY, "", List.of(), Usage.NONE, null, null);
    }

    /** A turn that has received nothing yet, of a model at this price (or null for none known). */
    public static ChatTurn begin(Price price) {
        return new ChatTurn(AnswerText.EMPTY, "", List.of(), Usage.NONE, null, price);
    }

    /** Feeds one stream item. */
    public TurnStep accept(ModelStreamItem item, Instant now) {
        Objects.requireNonNull(item, "item");
        Objects.requireNonNull(now, "now");
        return switch (item) {
            case ModelStreamItem.TextDelta delta -> acceptText(delta.text(), now);
            case ModelStreamItem.ToolCallRequest call -> keepStreaming(
                    new ChatTurn(answer, heldBack, appended(toolCalls, call), usage, finishReason, price), List.of());
            // A service reports usage once per call; should one send it twice, the later, fuller figure wins.
            case ModelStreamItem.UsageReport report -> keepStreaming(
                    new ChatTurn(answer, heldBack, toolCalls, priced(report.usage()), finishReason, price), List.of());
            case ModelStreamItem.Finish finish -> keepStreaming(
                    new ChatTurn(answer, heldBack, toolCalls, usage, finish.reason(), price), List.of());
        };
    }

    private Usage priced(Usage reported) {
        return price == null ? reported : reported.withCost(price.costOf(reported));
    }

    private TurnStep acceptText(String delta, Instant now) {
        String text = wellFormed(heldBack.isEmpty() ? delta : heldBack + delta);
        if (answer.length() + text.length() > MAX_ANSWER_LENGTH) {
            return cutAtTheLimit(text, now);
        }
        String hold = "";
        if (!text.isEmpty() && Character.isHighSurrogate(text.charAt(text.length() - 1))) {
            hold = text.substring(text.length() - 1);
            text = text.substring(0, text.length() - 1);
        }
        if (text.isEmpty()) {
            return keepStreaming(hold.equals(heldBack) ? this
                    : new ChatTurn(answer, hold, toolCalls, usage, finishReason, price), List.of());
        }
        return keepStreaming(new ChatTurn(answer.append(text), hold, toolCalls, usage, finishReason, price),
                List.of(new ChatEvent.Token(text, now)));
    }

    /** Keeps what fits of the text and ends the answer there: no record may grow without bound. */
    private TurnStep cutAtTheLimit(String text, Instant now) {
        int room = MAX_ANSWER_LENGTH - answer.length();
        if (room > 0 && Character.isHighSurrogate(text.charAt(room - 1))) {
            room--;
        }
        String fits = text.substring(0, Math.max(room, 0));
        ChatTurn cut = new ChatTurn(answer.append(fits), "", toolCalls, usage, finishReason, price);
        List<ChatEvent> events = fits.isEmpty() ? List.of() : List.of(new ChatEvent.Token(fits, now));
        return new TurnStep(cut, events, new RunOutcome.EndIncomplete(cut.answer.toString(), new RunFailure(
                "answer_too_long", "The answer reached " + MAX_ANSWER_LENGTH + " characters and was cut there."), usage));
    }

    /** The turn is stopped from outside, ending as {@code interruption} says: keep what was answered. */
    public RunOutcome interrupt(Interruption interruption) {
        return interruption.outcome(answerSoFar(), usage);
    }

    /** The turn failed from outside the model's answer (the model service, a store, a bug): keep what was answered. */
    public RunOutcome.Fail fail(RunFailure failure) {
        return new RunOutcome.Fail(answerSoFar(), failure, usage);
    }

    /** Feeds the end of the model's stream and decides how the call ended. */
    public TurnEnd endOfStream(Instant now) {
        Objects.requireNonNull(now, "now");
        // A half pair held back to the end has no other half coming: it becomes the replacement character.
        List<ChatEvent> events = heldBack.isEmpty() ? List.of() : List.of(new ChatEvent.Token(REPLACEMENT, now));
        ChatTurn ended = heldBack.isEmpty() ? this
                : new ChatTurn(answer.append(REPLACEMENT), "", toolCalls, usage, finishReason, price);
        String text = ended.answer.toString();
        ModelCallOutcome outcome;
        if (finishReason == null) {
            outcome = new RunOutcome.Fail(text, new RunFailure("model_stream_cut",
                    "The model's answer stopped before it was finished."), usage);
        } else {
            outcome = switch (finishReason) {
                case STOP -> toolCalls.isEmpty() ? new RunOutcome.Complete(text, usage)
                        : new ModelCallOutcome.CallTools(text, toolCalls, usage);
                case TOOL_CALLS -> toolCalls.isEmpty()
                        ? new RunOutcome.Fail(text, new RunFailure("model_protocol_error",
                                "The model said it wanted tools but named none."), usage)
                        : new ModelCallOutcome.CallTools(text, toolCalls, usage);
                case LENGTH -> new RunOutcome.EndIncomplete(text, new RunFailure("max_output_tokens",
                        "The answer reached the output token limit and was cut short."), usage);
                case CONTENT_FILTER -> new RunOutcome.Fail(text, new RunFailure("content_filter",
                        "The model service's content filter withheld the rest of the answer."), usage);
            };
        }
        return new TurnEnd(ended, events, outcome);
    }

    /** The answer text received so far (a half pair still held back counts as a replacement character). */
    public String answerSoFar() {
        return heldBack.isEmpty() ? answer.toString() : answer + REPLACEMENT;
    }

    /**
     * The text with every surrogate that has no partner replaced by U+FFFD, except a high surrogate
     * at the very end, whose partner may come with the next delta. Text without surrogates, nearly
     * all of it, is returned as it is after one scan.
     */
    private static String wellFormed(String text) {
        StringBuilder repaired = null;
        int last = text.length() - 1;
        for (int i = 0; i <= last; i++) {
            char c = text.charAt(i);
            if (!Character.isSurrogate(c)) {
                continue;
            }
            boolean paired = Character.isHighSurrogate(c) && i < last && Character.isLowSurrogate(text.charAt(i + 1));
            if (paired) {
                i++;
            } else if (!(Character.isHighSurrogate(c) && i == last)) {
                if (repaired == null) {
                    repaired = new StringBuilder(text);
                }
                repaired.setCharAt(i, '\uFFFD');
            }
        }
        return repaired == null ? text : repaired.toString();
    }

    /** The usage reported so far. */
    public Usage usage() {
        return usage;
    }

    private static TurnStep keepStreaming(ChatTurn next, List<ChatEvent> events) {
        return new TurnStep(next, events, StreamStep.KeepStreaming.INSTANCE);
    }

    private static <T> List<T> appended(List<T> list, T item) {
        List<T> copy = new ArrayList<>(list.size() + 1);
        copy.addAll(list);
        copy.add(item);
        return List.copyOf(copy);
    }
}
