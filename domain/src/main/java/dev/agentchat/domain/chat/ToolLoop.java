package dev.agentchat.domain.chat;

import dev.agentchat.domain.run.RunFailure;
import dev.agentchat.domain.usage.Usage;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * A run's model calls and the tool calls between them, as a pure state machine. Each model call is
 * a {@link ChatTurn}; its decision comes here, and the loop decides what the run does next: call the
 * tools and ask the model again, or end, with the answer and usage of all its model calls together.
 * It stops the run {@code incomplete} when the model keeps asking for tools past the limit.
 */
public final class ToolLoop {
    private final int maxModelCalls;
    private final int modelCalls;
    private final String answerSoFar;
    private final Usage usage;

    private ToolLoop(int maxModelCalls, int modelCalls, String answerSoFar, Usage usage) {
        this.maxModelCalls = maxModelCalls;
        this.modelCalls = modelCalls;
        this.answerSoFar = answerSoFar;
        this.usage = usage;
    }

    /** A run that may call the model at most {@code maxModelCalls} times. */
    public static ToolLoop start(int maxModelCalls) {
        if (maxModelCalls < 1) {
            throw new IllegalArgumentException("a run needs at least one model call, was " + maxModelCalls);
        }
        return new ToolLoop(maxModelCalls, 0, "", Usage.ZERO);
    }

    /** Which model call comes next, from 1. */
    public int nextRound() {
        return modelCalls + 1;
    }

    /** What the run does after a model call ended with {@code action}. */
    public LoopStep afterModelCall(NextAction action) {
        Objects.requireNonNull(action, "action");
        return switch (action) {
            case NextAction.CallTools call -> {
                ToolLoop next = new ToolLoop(maxModelCalls, modelCalls + 1, answerSoFar + call.answerSoFar(),
                        usage.plus(call.usage()));
                yield next.modelCalls < maxModelCalls
                        ? new LoopStep(next, new LoopAction.RunTools(next.modelCalls, call.answerSoFar(), call.calls()))
                        : new LoopStep(next, new LoopAction.End(new NextAction.EndIncomplete(next.answerSoFar,
                                new RunFailure("max_model_calls", "The model kept asking for tools; the run stopped after "
                                        + maxModelCalls + " model calls."), next.usage)));
            }
            case NextAction.Complete complete -> end(complete.answer(), complete.usage(), NextAction.Complete::new);
            case NextAction.EndIncomplete cut -> end(cut.answer(), cut.usage(),
                    (answer, total) -> new NextAction.EndIncomplete(answer, cut.reason(), total));
            case NextAction.Fail fail -> end(fail.partialAnswer(), fail.usage(),
                    (answer, total) -> new NextAction.Fail(answer, fail.failure(), total));
            case NextAction.Cancel cancel -> end(cancel.partialAnswer(), cancel.usage(),
                    (answer, total) -> new NextAction.Cancel(answer, cancel.reason(), total));
            case NextAction.KeepStreaming keep -> throw new IllegalArgumentException("a model call has not ended yet");
        };
    }

    /** The answer text of every model call so far. */
    public String answerSoFar() {
        return answerSoFar;
    }

    /** The usage of every model call so far. */
    public Usage usage() {
        return usage;
    }

    /** The run is stopped between model calls, ending as {@code interruption} says: what was answered is kept. */
    public NextAction interrupt(Interruption interruption) {
        return interruption.action(answerSoFar, usage);
    }

    /** The run failed between model calls (a store, a bug): what was answered is kept. */
    public NextAction fail(RunFailure failure) {
        return new NextAction.Fail(answerSoFar, failure, usage);
    }

    /** The run ends: the last call's answer and usage join those before it, and {@code outcome} is built from the totals. */
    private LoopStep end(String lastAnswer, Usage lastUsage, BiFunction<String, Usage, NextAction> outcome) {
        ToolLoop ended = new ToolLoop(maxModelCalls, modelCalls + 1, answerSoFar + lastAnswer, usage.plus(lastUsage));
        return new LoopStep(ended, new LoopAction.End(outcome.apply(ended.answerSoFar, ended.usage)));
    }

    /** The loop's next state and what to do. */
    public record LoopStep(ToolLoop loop, LoopAction action) {
        public LoopStep {
            Objects.requireNonNull(loop, "loop");
            Objects.requireNonNull(action, "action");
        }
    }

    /** What the run does next. */
    public sealed interface LoopAction {

        /** Call these tools (together), give the model their results, and call it again. */
        record RunTools(int round, String text, List<ModelStreamItem.ToolCallRequest> calls) implements LoopAction {
            public RunTools {
                Objects.requireNonNull(text, "text");
                calls = List.copyOf(calls);
            }
        }

        /** The run ends so: complete, incomplete, failed or cancelled, with the whole answer and usage. */
        record End(NextAction outcome) implements LoopAction {
            public End {
                Objects.requireNonNull(outcome, "outcome");
            }
        }
    }
}
