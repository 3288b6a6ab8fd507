package dev.agentchat.adapter.cosmos;

import com.azure.cosmos.models.CosmosItemResponse;
import com.azure.cosmos.models.FeedResponse;
import com.azure.cosmos.util.CosmosPagedIterable;
import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

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

    /**
     * A query's items, page after page in the order the service sent them, each page's charge counted as it is read.
     * Not the SDK's own item stream: that one merges the pages with {@code flatMap}, so a page that arrives while the
     * reader is still taking the items of the one before can come out in the middle of them, which breaks ORDER BY
     * over more than one page.
     */
    <T> Stream<T> query(String operation, CosmosPagedIterable<T> query) {
        return items(operation, query.streamByPage());
    }

    /** As {@link #query(String, CosmosPagedIterable)}, asking for pages of at most {@code pageSize} items. */
    <T> Stream<T> query(String operation, CosmosPagedIterable<T> query, int pageSize) {
        return items(operation, query.streamByPage(pageSize));
    }

    private <T> Stream<T> items(String operation, Stream<FeedResponse<T>> pages) {
        return pages.flatMap(page -> {
            add(operation, page.getRequestCharge());
            return page.getResults().stream();
        });
    }

    private void add(String operation, double charge) {
        units.add(charge);
        LOG.log(Level.DEBUG, "Cosmos DB {0}: {1} RU", operation, charge);
    }
}
