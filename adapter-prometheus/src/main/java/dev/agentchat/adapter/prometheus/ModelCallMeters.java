package dev.agentchat.adapter.prometheus;

import dev.agentchat.domain.usage.Usage;
import dev.agentchat.ports.telemetry.Outcome;
import dev.agentchat.ports.telemetry.Work;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.Optional;

/**
 * The model calls, as OpenTelemetry's semantic conventions for generative AI client metrics name them:
 * {@code gen_ai.client.token.usage}, {@code gen_ai.client.operation.duration} and
 * {@code gen_ai.client.operation.time_to_first_chunk}, each with the buckets the conventions advise.
 */
final class ModelCallMeters {
    static final String TOKEN_USAGE = "gen_ai.client.token.usage";
    static final String OPERATION_DURATION = "gen_ai.client.operation.duration";
    static final String TIME_TO_FIRST_CHUNK = "gen_ai.client.operation.time_to_first_chunk";

    /** The conventions' buckets for token counts: powers of 4 from 1 to 4^13. */
    private static final double[] TOKEN_BUCKETS = {1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576,
            4194304, 16777216, 67108864};
    /** The conventions' buckets for the duration and the time to the first chunk, in seconds: doubling from 10 ms. */
    private static final double[] SECONDS_BUCKETS = {0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24,
            20.48, 40.96, 81.92};
    /** Every model call of a run is a chat completion. */
    private static final String CHAT = "chat";

    private final MeterRegistry registry;
    private final Labels labels;

    ModelCallMeters(MeterRegistry registry, Labels labels) {
        this.registry = registry;
        this.labels = labels;
    }

    /**
     * Records {@code call}, ended as {@code outcome} after {@code took}: its duration always, its time to first
     * chunk when a token came, its tokens when the service reported them (or they were counted).
     */
    void ended(Work.ModelCall call, Outcome outcome, Measured.Took took) {
        Optional<String> responseModel = outcome instanceof Outcome.ModelAnswered answered
                ? answered.responseModel() : Optional.empty();
        String[] attributes = {Labels.OPERATION, CHAT, Labels.PROVIDER, call.provider(),
                Labels.REQUEST_MODEL, call.model(), Labels.RESPONSE_MODEL, responseModel.orElse(CappedLabel.ABSENT)};
        Tags tags = labels.of(attributes);
        Timer.builder(OPERATION_DURATION).description("GenAI operation duration.")
                .tags(tags).tags(labels.of(Labels.ERROR_TYPE, ErrorType.of(outcome)))
                .serviceLevelObjectives(Durations.ofSeconds(SECONDS_BUCKETS)).register(registry)
                .record(took.total());
        took.firstChunk().ifPresent(firstChunk -> Timer.builder(TIME_TO_FIRST_CHUNK)
                .description("Time to receive the first chunk, from the request to the first chunk of the response stream.")
                .tags(tags).serviceLevelObjectives(Durations.ofSeconds(SECONDS_BUCKETS)).register(registry)
                .record(firstChunk));
        if (outcome instanceof Outcome.ModelAnswered answered && !answered.outcome().usage().equals(Usage.NONE)) {
            Usage usage = answered.outcome().usage();
            tokens(tags, "input").record(usage.promptTokens());
            tokens(tags, "output").record(usage.completionTokens());
        }
    }

    private DistributionSummary tokens(Tags tags, String type) {
        // No base unit: the conventions' unit is {token}, an annotation, which OpenTelemetry's own Prometheus
        // names leave out too (gen_ai_client_token_usage, not ..._tokens).
        return DistributionSummary.builder(TOKEN_USAGE).description("Number of input and output tokens used.")
                .tags(tags).tags(labels.of(Labels.TOKEN_TYPE, type))
                .serviceLevelObjectives(TOKEN_BUCKETS).register(registry);
    }
}
