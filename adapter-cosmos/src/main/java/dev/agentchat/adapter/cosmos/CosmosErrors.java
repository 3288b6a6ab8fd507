package dev.agentchat.adapter.cosmos;

import com.azure.cosmos.CosmosException;
import dev.agentchat.ports.store.RecordConflict;
import dev.agentchat.ports.store.StoreFailure;
import java.util.function.Supplier;

/** Where Cosmos DB's exceptions become the ports' errors: this adapter's edge, and the only place that knows status codes. */
final class CosmosErrors {
    static final int NOT_FOUND = 404;
    static final int CONFLICT = 409;
    static final int PRECONDITION_FAILED = 412;

    private CosmosErrors() {
    }

    /** Runs a Cosmos call; a refusal the caller did not handle becomes a {@link StoreFailure} naming what was tried. */
    static <T> T call(String what, Supplier<T> operation) {
        try {
            return operation.get();
        } catch (CosmosException e) {
            throw failure(what, e);
        }
    }

    static RuntimeException failure(String what, CosmosException e) {
        return switch (e.getStatusCode()) {
            // Clients may read a conflict's message (409 conflict), so it names what was tried, not what
            // Cosmos DB said: its words carry activity ids and the service's internals.
            case CONFLICT -> new RecordConflict(what + ": a record with that id exists already");
            case PRECONDITION_FAILED -> new RecordConflict(what + ": the record changed meanwhile");
            // 429 arrives here only once the SDK's own retries ran out (see CosmosStores).
            default -> new StoreFailure(what + " failed (HTTP " + e.getStatusCode() + ")", e);
        };
    }
}
