package dev.agentchat.adapter.prometheus;

import dev.agentchat.ports.telemetry.Outcome;
import dev.agentchat.ports.telemetry.Work;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

/**
 * The store's operations, as OpenTelemetry's database conventions name them: {@code db.client.operation.duration},
 * and the Cosmos DB conventions' {@code azure.cosmosdb.client.operation.request_charge} when the store says
 * what an operation cost.
 */
final class StoreMeters {
    static final String OPERATION_DURATION = "db.client.operation.duration";
    static final String REQUEST_CHARGE = "azure.cosmosdb.client.operation.request_charge";

    /** The database conventions' buckets, in seconds. */
    private static final double[] SECONDS_BUCKETS = {0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10};
    /** The Cosmos DB conventions' buckets, in request units. */
    private static final double[] CHARGE_BUCKETS = {1, 5, 10, 25, 50, 100, 250, 500, 1000};

    private final MeterRegistry registry;
    private final Labels labels;

    StoreMeters(MeterRegistry registry, Labels labels) {
        this.registry = registry;
        this.labels = labels;
    }

    void ended(Work.StoreCall call, Outcome outcome, Measured.Took took) {
        Tags tags = labels.of(Labels.DB_SYSTEM, call.system(), Labels.DB_COLLECTION, call.collection(),
                Labels.DB_OPERATION, call.operation(), Labels.ERROR_TYPE, ErrorType.of(outcome));
        Timer.builder(OPERATION_DURATION).description("Duration of database client operations.").tags(tags)
                .serviceLevelObjectives(Durations.ofSeconds(SECONDS_BUCKETS)).register(registry)
                .record(took.total());
        if (outcome instanceof Outcome.StoreEnded ended) {
            ended.requestCharge().ifPresent(charge -> DistributionSummary.builder(REQUEST_CHARGE)
                    .description("Request units consumed by the operation.").tags(tags)
                    .serviceLevelObjectives(CHARGE_BUCKETS).register(registry).record(charge));
        }
    }
}
