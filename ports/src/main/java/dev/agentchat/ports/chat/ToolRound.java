package dev.agentchat.ports.chat;

import dev.agentchat.domain.chat.ChatEvent;
import dev.agentchat.domain.chat.ModelStreamItem;
import dev.agentchat.domain.lifecycle.Transition;
import dev.agentchat.domain.run.Run;
import dev.agentchat.domain.step.Step;
import dev.agentchat.ports.tool.ToolInvocation;
import dev.agentchat.ports.tool.ToolOutcome;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The tool calls one model call asked for: each becomes a step, they run together (each on a
 * virtual thread of its own, stopped at the timeout), and their results become messages for the
 * model. A tool that fails, times out or does not exist is reported to the model as an error
 * result: it is the model's to handle, not a crash of the run.
 */
final class ToolRound {
    private static final System.Logger LOG = System.getLogger(ToolRound.class.getName());

    private final TurnContext context;
    private final Run run;
    private final Set<String> allowedTools;
    private final Consumer<List<ChatEvent>> emit;

    ToolRound(TurnContext context, Run run, Set<String> allowedTools, Consumer<List<ChatEvent>> emit) {
        this.context = context;
        this.run = run;
        this.allowedTools = allowedTools;
        this.emit = emit;
    }

    /** Runs the calls and returns the messages that carry their results, in the order of the calls. */
    List<ModelMessage> run(int round, List<ModelStreamItem.ToolCallRequest> calls) {
        List<Step> begun = new ArrayList<>(calls.size());
        for (ModelStreamItem.ToolCallRequest call : calls) {
            Transition<Step> start = Step.begin(context.ids().newStepId(), run.id(), run.threadId(), round,
                    call.callId(), call.toolName(), call.arguments(), context.clock().now());
            context.steps().create(start.state());
            begun.add(start.state());
            emit.accept(start.events());
        }
        List<ToolOutcome> outcomes = execute(begun);
        List<ModelMessage> results = new ArrayList<>(calls.size());
        for (int i = 0; i < begun.size(); i++) {
            results.add(finish(begun.get(i), outcomes.get(i)));
        }
        return results;
    }

    /** Every call at once, each given the whole timeout; the executor's close waits for the stopped ones. */
    private List<ToolOutcome> execute(List<Step> begun) {
        List<ToolOutcome> outcomes = new ArrayList<>(begun.size());
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<ToolOutcome>> running = new ArrayList<>(begun.size());
            for (Step step : begun) {
                running.add(pool.submit(() -> call(step)));
            }
            long deadline = System.nanoTime() + context.settings().toolTimeout().toNanos();
            for (Future<ToolOutcome> future : running) {
                outcomes.add(await(future, deadline));
            }
        }
        return outcomes;
    }

    private ToolOutcome call(Step step) {
        if (!allowedTools.contains(step.toolName())) {
            return new ToolOutcome.Failed("There is no tool named '" + step.toolName() + "' for this agent.");
        }
        return context.tools().execute(new ToolInvocation(step.toolName(), step.arguments()),
                progress -> emit.accept(step.report(progress, context.clock().now()).events()));
    }

    private ToolOutcome await(Future<ToolOutcome> future, long deadline) {
        try {
            return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            return new ToolOutcome.Failed("The tool did not finish within " + context.settings().toolTimeout().toSeconds()
                    + " seconds and was stopped.");
        } catch (ExecutionException e) {
            LOG.log(Level.WARNING, "A tool of run " + run.id() + " threw", e.getCause());
            return new ToolOutcome.Failed("The tool failed unexpectedly.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            return new ToolOutcome.Failed("The tool was interrupted.");
        }
    }

    private ModelMessage finish(Step step, ToolOutcome outcome) {
        Transition<Step> end = switch (outcome) {
            case ToolOutcome.Succeeded done -> step.complete(truncated(done.output()), context.clock().now());
            case ToolOutcome.Failed failed -> step.fail(truncated(failed.error().isBlank()
                    ? "The tool failed without saying why." : failed.error(), 4_000), context.clock().now());
        };
        context.steps().update(end.state());
        emit.accept(end.events());
        String forModel = switch (outcome) {
            case ToolOutcome.Succeeded done -> end.state().output();
            case ToolOutcome.Failed failed -> "Error: " + end.state().error();
        };
        return new ModelMessage.ToolResult(step.callId(), forModel);
    }

    private static String truncated(String text) {
        return truncated(text, Step.MAX_PAYLOAD_LENGTH);
    }

    /** Tool output is bounded like every record; the model is told where it was cut. */
    private static String truncated(String text, int max) {
        String note = "\n[cut at " + max + " characters]";
        return text.length() <= max ? text : text.substring(0, max - note.length()) + note;
    }
}
