package dev.agentchat.adapter.cosmos;

import com.azure.cosmos.models.CosmosItemResponse;
import com.azure.cosmos.models.FeedResponse;
import com.azure.cosmos.util.CosmosPagedIterable;
import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * The request units each operation cost, as Cosmos DB reports them: logged per operation (at DEBUG),
 * and added up so that they can be read as a metric.
 */
public final class RequestCharges {
    private static final System.Logger LOG = System.getLogger(RequestCharges.class.getName());

    private final DoubleAdder units = new DoubleAdder();
    private final LongAdder writes = new LongAdder();

    /** Request units spent so far by these stores. */
    public double total() {
        return units.sum();
    }

    /** Item writes (creates, replaces, deletes) so far. */
    public long writes() {
        return writes.sum();
    }

    <T> CosmosItemResponse<T> write(String operation, CosmosItemResponse<T> response) {
        writes.increment();
        return read(operation, response);
    }

    <T> CosmosItemResponse<T> read(String operation, CosmosItemResponse<T> response) {
        add(operation, response.getRequestCharge());
        return response;
    }

    <T> CosmosPagedIterable<T> query(String operation, CosmosPagedIterable<T> pages) {
        return pages.handle((FeedResponse<T> page) -> add(operation, page.getRequestCharge()));
    }

    private void add(String operation, double charge) {
        units.add(charge);
        LOG.log(Level.DEBUG, "Cosmos DB {0}: {1} RU", operation, charge);
    }
}
