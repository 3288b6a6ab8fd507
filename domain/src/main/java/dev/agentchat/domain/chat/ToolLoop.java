package dev.agentchat.domain.chat;

import dev.agentchat.domain.run.RunFailure;
import dev.agentchat.domain.usage.Usage;
import java.util.List;
import java.util.Objects;

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

    /**
     * The loop of a run resumed after a pause for approval: {@code modelCalls} were made (the last one
     * asked for the calls that waited), answering {@code answerSoFar} and using {@code usage}. The limit
     * may have been lowered below {@code modelCalls} while the run waited: its next model call is then its
     * last, as for any run that reached the limit.
     */
    public static ToolLoop resume(int maxModelCalls, int modelCalls, String answerSoFar, Usage usage) {
        if (maxModelCalls < 1) {
            throw new IllegalArgumentException("a run needs at least one model call, was " + maxModelCalls);
        }
        if (modelCalls < 1) {
            throw new IllegalArgumentException("a paused run made at least one model call, was " + modelCalls);
        }
        return new ToolLoop(maxModelCalls, modelCalls, Objects.requireNonNull(answerSoFar, "answerSoFar"),
                Objects.requireNonNull(usage, "usage"));
    }

    /** Which model call comes next, from 1. */
    public int nextRound() {
        return modelCalls + 1;
    }

    /** What the run does after a model call ended with {@code outcome}. */
    public LoopStep afterModelCall(ModelCallOutcome outcome) {
        Objects.requireNonNull(outcome, "outcome");
        ToolLoop next = new ToolLoop(maxModelCalls, modelCalls + 1, answerSoFar + outcome.answer(),
                usage.plus(outcome.usage()));
        return switch (outcome) {
            case ModelCallOutcome.CallTools call -> next.modelCalls < maxModelCalls
                    ? new LoopStep(next, new LoopAction.RunTools(next.modelCalls, call.answer(), call.calls()))
                    : new LoopStep(next, new LoopAction.End(new RunOutcome.EndIncomplete(next.answerSoFar,
                            new RunFailure("max_model_calls", "The model kept asking for tools; the run stopped after "
                                    + maxModelCalls + " model calls."), next.usage)));
            case RunOutcome end -> new LoopStep(next, new LoopAction.End(end.after(answerSoFar, usage)));
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
    public RunOutcome interrupt(Interruption interruption) {
        return interruption.outcome(answerSoFar, usage);
    }

    /** The run failed between model calls (a store, a bug): what was answered is kept. */
    public RunOutcome.Fail fail(RunFailure failure) {
        return new RunOutcome.Fail(answerSoFar, failure, usage);
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
        record End(RunOutcome outcome) implements LoopAction {
            public End {
                Objects.requireNonNull(outcome, "outcome");
            }
        }
    }
}
