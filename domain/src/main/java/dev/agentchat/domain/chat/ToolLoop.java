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
            case NextAction.Complete complete -> end(new NextAction.Complete(answerSoFar + complete.answer(),
                    usage.plus(complete.usage())));
            case NextAction.EndIncomplete cut -> end(new NextAction.EndIncomplete(answerSoFar + cut.answer(), cut.reason(),
                    usage.plus(cut.usage())));
            case NextAction.Fail fail -> end(new NextAction.Fail(answerSoFar + fail.partialAnswer(), fail.failure(),
                    usage.plus(fail.usage())));
            case NextAction.Cancel cancel -> end(new NextAction.Cancel(answerSoFar + cancel.partialAnswer(), cancel.reason(),
                    usage.plus(cancel.usage())));
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

    /** The run is stopped between model calls (the client left while tools ran): what was answered is kept. */
    public NextAction cancel(RunFailure reason) {
        return new NextAction.Cancel(answerSoFar, reason, usage);
    }

    /** The run failed between model calls (a store, a bug): what was answered is kept. */
    public NextAction fail(RunFailure failure) {
        return new NextAction.Fail(answerSoFar, failure, usage);
    }

    /** The run ends with {@code outcome}, which already holds the whole answer and usage. */
    private LoopStep end(NextAction outcome) {
        String answer = switch (outcome) {
            case NextAction.Complete complete -> complete.answer();
            case NextAction.EndIncomplete cut -> cut.answer();
            case NextAction.Fail fail -> fail.partialAnswer();
            case NextAction.Cancel cancel -> cancel.partialAnswer();
            case NextAction.CallTools call -> call.answerSoFar();
            case NextAction.KeepStreaming keep -> answerSoFar;
        };
        Usage total = switch (outcome) {
            case NextAction.Complete complete -> complete.usage();
            case NextAction.EndIncomplete cut -> cut.usage();
            case NextAction.Fail fail -> fail.usage();
            case NextAction.Cancel cancel -> cancel.usage();
            case NextAction.CallTools call -> call.usage();
            case NextAction.KeepStreaming keep -> usage;
        };
        return new LoopStep(new ToolLoop(maxModelCalls, modelCalls + 1, answer, total), new LoopAction.End(outcome));
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
