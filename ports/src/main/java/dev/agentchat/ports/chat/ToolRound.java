package dev.agentchat.ports.chat;

import dev.agentchat.domain.agent.Agent;
import dev.agentchat.domain.approval.ApprovalDecision;
import dev.agentchat.domain.chat.ChatEvent;
import dev.agentchat.domain.chat.ModelStreamItem;
import dev.agentchat.domain.chat.ToolRoundPlan;
import dev.agentchat.domain.lifecycle.Transition;
import dev.agentchat.domain.run.Run;
import dev.agentchat.domain.step.Step;
import dev.agentchat.domain.step.StepId;
import dev.agentchat.domain.step.StepStatus;
import dev.agentchat.domain.tool.ToolAccess;
import dev.agentchat.domain.tool.ToolDefinition;
import dev.agentchat.ports.tool.ToolInvocation;
import dev.agentchat.ports.time.Signal;
import dev.agentchat.ports.tool.ToolOutcome;
import dev.agentchat.ports.telemetry.Observation;
import dev.agentchat.ports.telemetry.Outcome;
import dev.agentchat.ports.telemetry.Work;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * The tool calls one model call asked for: each becomes a step, they run together (each on a
 * virtual thread of its own), and their results become messages for the model, in the order asked.
 *
 * <p>Each call's step ends as soon as the call does, so its latency and {@code trace_end} are its
 * own. A call still running at the timeout is interrupted and reported as failed without waiting for
 * it: a tool that ignores interrupts is abandoned, not waited for. A tool that fails, throws, does
 * not exist or is not the agent's is an error result for the model, never a crash of the run; and
 * every step begun here has ended when {@link #run} returns, whatever happened.
 */
final class ToolRound {
    private static final System.Logger LOG = System.getLogger(ToolRound.class.getName());

    private final TurnContext context;
    private final Run run;
    private final Agent agent;
    private final List<ToolDefinition> offered;
    private final Consumer<List<ChatEvent>> emit;
    /** The calls of the round, once begun; read by {@link #stop()} from another thread. */
    private volatile List<Call> calls = List.of();
    /** Set from another thread when the run is stopped: why, and calls not yet ended are cancelled. */
    private volatile String stopped;
    /** Signalled as each call finishes or is stopped: the round waits on it, up to the clock's timeout. */
    private final Signal settled;
    /** The run, as watched: each call is watched within it. */
    private final Observation watchedRun;

    /** @param emit passes events on; it must not throw (a client that left is noticed by the caller) */
    /**
     * @param offered the agent's tools the turn offered its model: a call runs only as one of them, whatever the
     *                runtime lists by now (a tool server that came back mid-turn, whose tools the turn's plan did
     *                not know, and so did not hold for approval)
     */
    ToolRound(TurnContext context, Run run, Agent agent, List<ToolDefinition> offered, Consumer<List<ChatEvent>> emit,
              Observation watchedRun) {
        this.context = context;
        this.watchedRun = watchedRun;
        this.run = run;
        this.agent = agent;
        this.offered = List.copyOf(offered);
        this.emit = emit;
        this.settled = context.clock().newSignal();
    }

    /**
     * Runs some of a model call's calls, each keeping its place among all of them; the messages that
     * carry their results, in the order given.
     */
    List<ModelMessage> run(int round, List<ToolRoundPlan.PlannedCall> planned) {
        return runEach(planned.size(), index -> begin(round, planned.get(index)));
    }

    /**
     * Runs the waiting calls a person approved, as {@code decisions} say: each step goes on from where
     * it waited, with the person's arguments if they gave any. The results, in the order given.
     */
    List<ModelMessage> runApproved(List<Step> approved, Map<StepId, ApprovalDecision> decisions) {
        return runEach(approved.size(), index -> beginApproved(approved.get(index), decisions.get(approved.get(index).id())));
    }

    private List<ModelMessage> runEach(int count, IntFunction<Call> begin) {
        List<Call> begun = new ArrayList<>(count);
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        try {
            for (int index = 0; index < count; index++) {
                begun.add(begin.apply(index));
            }
            this.calls = List.copyOf(begun);
            // The timeout counts from when the tools are handed their threads, not from the writes of their steps
            // (a store slowed by throttling must not use up a tool's time); it is set before any tool starts, so
            // whoever sees a tool invoked knows its deadline is set.
            long deadline = context.clock().nanoTime() + context.settings().toolTimeout().toNanos();
            for (Call call : begun) {
                if (call.step.get() != null) {
                    FutureTask<Void> task = new FutureTask<>(call::performWatched) {
                        @Override
                        protected void done() {   // once done, however: run, failed or cancelled (even before it began)
                            settled.signal();
                        }
                    };
                    call.future = task;
                    pool.execute(task);
                    if (stopped != null) {
                        call.future.cancel(true);
                    }
                }
            }
            awaitAll(begun, deadline);
        } finally {
            // Not close(): that would wait for a tool that ignores its interrupt.
            pool.shutdownNow();
            for (Call call : begun) {
                call.end(new ToolOutcome.Failed("The run ended before the tool finished."));
            }
        }
        List<ModelMessage> results = new ArrayList<>(begun.size());
        for (Call call : begun) {
            results.add(new ModelMessage.ToolResult(call.request.callId(), call.resultForModel()));
        }
        return results;
    }

    /** Stops the calls still running (the run is being stopped, {@code why}): their steps end at once. */
    void stop(String why) {
        stopped = why;
        for (Call call : calls) {
            Future<?> future = call.future;
            if (future != null) {
                future.cancel(true);
            }
        }
    }

    private Call begin(int round, ToolRoundPlan.PlannedCall planned) {
        ModelStreamItem.ToolCallRequest request = planned.request();
        Call call = new Call(request);
        try {
            Transition<Step> start = Step.begin(context.ids().newStepId(), run.id(), run.threadId(), round,
                    planned.position(), request.callId(), request.toolName(), request.arguments(), context.clock().now());
            context.steps().create(start.state());
            call.step.set(start.state());
            call.watch();
            emit.accept(start.events());
        } catch (IllegalArgumentException e) {
            // A call the model wrote wrongly (no name, no id, arguments past every bound): the model hears why.
            call.invalid = "The tool call is not valid: " + e.getMessage() + ".";
        }
        return call;
    }

    /** A waiting call, approved: its step goes on (updated, not created) and the tool gets the arguments in force. */
    private Call beginApproved(Step waiting, ApprovalDecision decision) {
        Transition<Step> start = waiting.approve(decision, context.clock().now());
        Call call = new Call(new ModelStreamItem.ToolCallRequest(waiting.callId(), waiting.toolName(),
                start.state().effectiveArguments()));
        context.steps().update(start.state());
        call.step.set(start.state());
        call.watch();
        emit.accept(start.events());
        return call;
    }

    /** Waits for the calls up to the timeout; a late call is reported as such first, then interrupted. */
    private void awaitAll(List<Call> calls, long deadline) {
        String late = "The tool did not finish within " + context.settings().toolTimeout().toSeconds()
                + " seconds and was stopped.";
        try {
            settled.awaitUntil(() -> allDone(calls), deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        for (Call call : calls) {
            Future<?> future = call.future;
            if (future == null) {
                continue;
            }
            switch (future.state()) {
                case RUNNING -> {
                    call.end(new ToolOutcome.Failed(late));
                    future.cancel(true);
                }
                case FAILED, CANCELLED -> call.end(new ToolOutcome.Failed("The tool was stopped."));
                case SUCCESS -> {
                }
            }
        }
    }

    private static boolean allDone(List<Call> calls) {
        for (Call call : calls) {
            Future<?> future = call.future;
            if (future != null && !future.isDone()) {
                return false;
            }
        }
        return true;
    }

    /** One call: its step, ended exactly once by whichever comes first, the tool or the timeout. */
    private final class Call {
        final ModelStreamItem.ToolCallRequest request;
        final AtomicReference<Step> step = new AtomicReference<>();
        volatile String invalid;
        volatile Future<?> future;
        /** The call as watched, from when its step began. */
        volatile Observation watched = Observation.NONE;

        Call(ModelStreamItem.ToolCallRequest request) {
            this.request = request;
        }

        void watch() {
            boolean known = offered.stream().anyMatch(tool -> tool.name().equals(request.toolName()));
            watched = context.telemetry().begin(new Work.ToolCall(request.toolName(), request.callId(), request.arguments(),
                    known), watchedRun);
        }

        /** Performs the call on its own thread, within its observation: what the tool does is watched as part of it. */
        Void performWatched() {
            try (Observation.Scope inCall = watched.makeCurrent()) {
                return end(perform());
            }
        }

        ToolOutcome perform() {
            // By the name the model knows the tool by (a tool server's is listed by the agent under another), among
            // the tools the turn offered and planned with.
            return switch (agent.accessTo(request.toolName(), offered)) {
                case ToolAccess.Refused refused -> new ToolOutcome.Failed(refused.reason());
                case ToolAccess.Allowed allowed -> execute();
            };
        }

        private ToolOutcome execute() {
            try {
                return context.tools().execute(new ToolInvocation(request.toolName(), request.arguments()), progress -> {
                    Step current = step.get();
                    // An abandoned tool may still report: not after its step has ended.
                    if (current.status() == StepStatus.IN_PROGRESS) {
                        emit.accept(current.report(progress, context.clock().now()).events());
                    }
                });
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Tool " + request.toolName() + " of run " + run.id() + " threw", e);
                return new ToolOutcome.Failed("The tool failed unexpectedly.");
            }
        }

        /** Ends the step with the outcome, unless it has ended already. */
        Void end(ToolOutcome outcome) {
            Step begun = step.get();
            if (begun == null || begun.status() != StepStatus.IN_PROGRESS) {
                return null;
            }
            String why = stopped;
            Transition<Step> end = why != null ? begun.cancel(why, context.clock().now())
                    : switch (outcome) {
                case ToolOutcome.Succeeded done -> begun.toolReturned(done.output(), context.clock().now());
                case ToolOutcome.Failed failed -> begun.toolFailed(failed.error(), context.clock().now());
            };
            if (!step.compareAndSet(begun, end.state())) {
                return null;
            }
            try {
                context.steps().update(end.state());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Could not record the end of step " + begun.id() + " of run " + run.id(), e);
            } finally {
                // After the step's write, which is part of the call (on the tool's thread, within it).
                watched.end(new Outcome.ToolEnded(end.state()));
            }
            emit.accept(end.events());
            return null;
        }

        String resultForModel() {
            Step ended = step.get();
            return ended == null ? "Error: " + invalid : ended.resultForModel();
        }
    }
}
