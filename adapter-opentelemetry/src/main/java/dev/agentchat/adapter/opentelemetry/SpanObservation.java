package dev.agentchat.adapter.opentelemetry;

import dev.agentchat.domain.chat.ModelCallOutcome;
import dev.agentchat.domain.chat.RunOutcome;
import dev.agentchat.domain.run.Run;
import dev.agentchat.domain.step.Step;
import dev.agentchat.domain.usage.Usage;
import dev.agentchat.ports.telemetry.Observation;
import dev.agentchat.ports.telemetry.Outcome;
import dev.agentchat.ports.telemetry.Work;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A piece of work traced as a span, begun by {@link WorkSpans}; its end puts on what is known only then (the
 * route, the usage, the finish reasons, the error) as the same conventions say, and ends the span.
 */
final class SpanObservation implements Traced {
    private static final System.Logger LOG = System.getLogger(SpanObservation.class.getName());

    private final Span span;
    private final Context context;
    private final Work work;
    private final boolean captureContent;
    /** When the work began, on the clock a time to first chunk is measured with. */
    private final long beganNanos;

    SpanObservation(Span span, Context parent, Work work, boolean captureContent) {
        this.span = span;
        this.context = parent.with(span);
        this.work = work;
        this.captureContent = captureContent;
        this.beganNanos = System.nanoTime();
    }

    @Override
    public Context context() {
        return context;
    }

    Span span() {
        return span;
    }

    /** Once per model call: the time to its first chunk, as the conventions' attribute and as an event on the span. */
    @Override
    public void firstChunk() {
        if (work instanceof Work.ModelCall && span.isRecording()) {
            span.setAttribute(Conventions.GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK, (System.nanoTime() - beganNanos) / 1e9);
            span.addEvent("first_chunk");
        }
    }

    @Override
    public void link(Observation other) {
        SpanContext linked = other instanceof Traced traced ? Span.fromContext(traced.context()).getSpanContext()
                : SpanContext.getInvalid();
        if (linked.isValid() && !linked.equals(span.getSpanContext())) {
            span.addLink(linked);
        }
    }

    @Override
    public void end(Outcome outcome) {
        try {
            if (span.isRecording()) {
                describe(outcome);
            }
        } catch (RuntimeException e) {
            // Watching the work must not change it: a fault here costs the span its last attributes, nothing more.
            LOG.log(System.Logger.Level.DEBUG, "Could not describe the end of a span", e);
        } finally {
            span.end();
        }
    }

    private void describe(Outcome outcome) {
        switch (outcome) {
            case Outcome.Ended ended -> ended.errorType().ifPresent(this::failed);
            case Outcome.Responded responded -> responded(responded);
            case Outcome.RunEnded ended -> runEnded(ended);
            case Outcome.ModelAnswered answered -> modelAnswered(answered);
            case Outcome.ToolEnded ended -> toolEnded(ended);
            case Outcome.StoreEnded ended -> {
                ended.errorType().ifPresent(this::failed);
                ended.requestCharge().ifPresent(charge -> span.setAttribute(Conventions.AZURE_COSMOSDB_REQUEST_CHARGE, charge));
            }
        }
    }

    /** Named {@code {method} {route}} once routed; a server error (5xx) is the span's error, a client's (4xx) is not. */
    private void responded(Outcome.Responded responded) {
        span.setAttribute(Conventions.HTTP_RESPONSE_STATUS_CODE, (long) responded.status());
        if (responded.route().isPresent() && work instanceof Work.HttpRequest request) {
            span.setAttribute(Conventions.HTTP_ROUTE, responded.route().get());
            span.updateName(methodName(request) + " " + responded.route().get());
        }
        responded.errorType().ifPresent(this::failed);
    }

    private static String methodName(Work.HttpRequest request) {
        String method = request.method().toUpperCase(Locale.ROOT);
        return WorkSpans.isKnownMethod(method) ? method : "HTTP";
    }

    /** The run's usage so far, its status, and its failure when it failed. */
    private void runEnded(Outcome.RunEnded ended) {
        Run run = ended.run();
        usage(run.usage());
        span.setAttribute(Conventions.AGENTCHAT_RUN_STATUS, run.status().name().toLowerCase(Locale.ROOT));
        ended.errorType().ifPresent(this::failed);
    }

    private void modelAnswered(Outcome.ModelAnswered answered) {
        ModelCallOutcome outcome = answered.outcome();
        answered.responseModel().ifPresent(model -> span.setAttribute(Conventions.GEN_AI_RESPONSE_MODEL, model));
        usage(outcome.usage());
        Optional<String> finishReason = finishReason(outcome);
        finishReason.ifPresent(reason -> span.setAttribute(Conventions.GEN_AI_RESPONSE_FINISH_REASONS, List.of(reason)));
        answered.errorType().ifPresent(this::failed);
        if (captureContent) {
            span.setAttribute(Conventions.GEN_AI_OUTPUT_MESSAGES, MessageContent.outputMessages(outcome, finishReason));
        }
    }

    /**
     * Why the model stopped, in the words OpenAI's API and the conventions' examples use; empty when it did not
     * stop of itself (it failed, or the run was stopped).
     */
    static Optional<String> finishReason(ModelCallOutcome outcome) {
        return switch (outcome) {
            case ModelCallOutcome.CallTools tools -> Optional.of("tool_calls");
            case RunOutcome.Complete complete -> Optional.of("stop");
            case RunOutcome.EndIncomplete incomplete ->
                    incomplete.reason().code().equals("max_output_tokens") ? Optional.of("length") : Optional.empty();
            case RunOutcome.Fail fail ->
                    fail.failure().code().equals("content_filter") ? Optional.of("content_filter") : Optional.empty();
            case RunOutcome.Cancel cancel -> Optional.empty();
        };
    }

    /** A failed call is a {@code tool_error} (the word MCP's conventions use), a stopped one {@code cancelled}. */
    private void toolEnded(Outcome.ToolEnded ended) {
        Step step = ended.step();
        ended.errorType().ifPresent(this::failed);
        if (captureContent && step.output() != null) {
            span.setAttribute(Conventions.GEN_AI_TOOL_CALL_RESULT, step.output());
        }
    }

    /** Token counts, unless none were reported (an unknown usage is no usage of zero tokens). */
    private void usage(Usage usage) {
        if (usage.totalTokens() > 0) {
            span.setAttribute(Conventions.GEN_AI_USAGE_INPUT_TOKENS, usage.promptTokens());
            span.setAttribute(Conventions.GEN_AI_USAGE_OUTPUT_TOKENS, usage.completionTokens());
        }
    }

    private void failed(String errorType) {
        span.setAttribute(Conventions.ERROR_TYPE, errorType);
        span.setStatus(StatusCode.ERROR);
    }
}
