package dev.agentchat.adapter.cosmos;

import com.azure.cosmos.CosmosContainer;
import com.azure.cosmos.CosmosException;
import com.azure.cosmos.models.CosmosItemResponse;
import com.azure.cosmos.models.FeedResponse;
import com.azure.cosmos.util.CosmosPagedIterable;
import dev.agentchat.ports.telemetry.Observation;
import dev.agentchat.ports.telemetry.Outcome;
import dev.agentchat.ports.telemetry.Telemetry;
import dev.agentchat.ports.telemetry.Work;
import java.lang.System.Logger.Level;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Every operation of the stores on Cosmos DB passes here: the request units each cost, as Cosmos DB reports
 * them, are logged (at DEBUG) and added up, and each operation is watched through the {@link Telemetry}, with
 * its container, its operation as Cosmos DB names it, its charge and, when it failed, its status code.
 */
public final class RequestCharges {
    private static final System.Logger LOG = System.getLogger(RequestCharges.class.getName());
    /** The database, as OpenTelemetry's conventions name it. */
    static final String SYSTEM = "azure.cosmosdb";

    private final DoubleAdder units = new DoubleAdder();
    private final LongAdder writes = new LongAdder();
    private volatile Telemetry telemetry = Telemetry.OFF;

    /** Request units spent so far by these stores. */
    public double total() {
        return units.sum();
    }

    /** Item writes (creates, replaces, deletes) so far. */
    public long writes() {
        return writes.sum();
    }

    /** Watches every operation from now on through {@code watching}. */
    void watchedBy(Telemetry watching) {
        this.telemetry = Objects.requireNonNull(watching, "watching");
    }

    <T> CosmosItemResponse<T> create(CosmosContainer container, String what, Supplier<CosmosItemResponse<T>> call) {
        return item(container, "create_item", what, true, call);
    }

    <T> CosmosItemResponse<T> replace(CosmosContainer container, String what, Supplier<CosmosItemResponse<T>> call) {
        return item(container, "replace_item", what, true, call);
    }

    <T> CosmosItemResponse<T> delete(CosmosContainer container, String what, Supplier<CosmosItemResponse<T>> call) {
        return item(container, "delete_item", what, true, call);
    }

    <T> CosmosItemResponse<T> read(CosmosContainer container, String what, Supplier<CosmosItemResponse<T>> call) {
        return item(container, "read_item", what, false, call);
    }

    private <T> CosmosItemResponse<T> item(CosmosContainer container, String operation, String what, boolean write,
                                          Supplier<CosmosItemResponse<T>> call) {
        Observation watched = telemetry.begin(new Work.StoreCall(SYSTEM, container.getId(), operation));
        CosmosItemResponse<T> response;
        try {
            response = call.get();
        } catch (CosmosException e) {
            add(what, e.getRequestCharge());
            watched.end(new Outcome.StoreEnded(Optional.of(Integer.toString(e.getStatusCode())), Optional.of(e.getRequestCharge())));
            throw e;
        } catch (RuntimeException e) {
            watched.end(new Outcome.StoreEnded(Optional.of(e.getClass().getName()), Optional.empty()));
            throw e;
        }
        if (write) {
            writes.increment();
        }
        add(what, response.getRequestCharge());
        watched.end(new Outcome.StoreEnded(Optional.empty(), Optional.of(response.getRequestCharge())));
        return response;
    }

    /**
     * A query's items, page after page in the order the service sent them, each page's charge counted as it is read.
     * Not the SDK's own item stream: that one merges the pages with {@code flatMap}, so a page that arrives while the
     * reader is still taking the items of the one before can come out in the middle of them, which breaks ORDER BY
     * over more than one page. The query is watched until its last page is read, it fails, or the stream is closed.
     */
    <T> Stream<T> query(CosmosContainer container, String what, CosmosPagedIterable<T> query) {
        return query(container.getId(), what, query);
    }

    /** As {@link #query(CosmosContainer, String, CosmosPagedIterable)}, asking for pages of at most {@code pageSize} items. */
    <T> Stream<T> query(CosmosContainer container, String what, CosmosPagedIterable<T> query, int pageSize) {
        return items(container.getId(), what, () -> query.streamByPage(pageSize));
    }

    /** A query's items, all read and the query closed, whatever happens: its reading is watched to its end. */
    <T> List<T> list(CosmosContainer container, String what, CosmosPagedIterable<T> query) {
        return list(container, what, query, Function.identity());
    }

    /** A query's items, each made into what {@code read} makes of it; the query is closed even when that fails. */
    <T, R> List<R> list(CosmosContainer container, String what, CosmosPagedIterable<T> query, Function<T, R> read) {
        try (Stream<T> items = query(container, what, query)) {
            return items.map(read).toList();
        }
    }

    /** The first item of a query (a count, say), the query closed after it: its reading is watched to its end. */
    <T> Optional<T> first(CosmosContainer container, String what, CosmosPagedIterable<T> query) {
        try (Stream<T> items = query(container, what, query)) {
            return items.findFirst();
        }
    }

    /**
     * A query of the container named {@code collection}; whoever reads it closes it (its observation ends when
     * its last page is read, a page fails, or it is closed): {@link #list} and {@link #first} do.
     */
    <T> Stream<T> query(String collection, String what, CosmosPagedIterable<T> query) {
        return items(collection, what, query::streamByPage);
    }

    private <T> Stream<T> items(String collection, String what, Supplier<Stream<FeedResponse<T>>> pagesOfQuery) {
        WatchedQuery watched = new WatchedQuery(telemetry.begin(new Work.StoreCall(SYSTEM, collection, "query_items")));
        Stream<FeedResponse<T>> pages;
        try {
            pages = pagesOfQuery.get();
        } catch (RuntimeException e) {
            watched.failed(e);
            throw e;
        }
        Iterator<FeedResponse<T>> read = pages.iterator();
        Iterator<FeedResponse<T>> counted = new Iterator<>() {
            @Override
            public boolean hasNext() {
                try {
                    boolean more = read.hasNext();
                    if (!more) {
                        watched.ended();
                    }
                    return more;
                } catch (RuntimeException e) {
                    watched.failed(e);
                    throw e;
                }
            }

            @Override
            public FeedResponse<T> next() {
                try {
                    FeedResponse<T> page = read.next();
                    add(what, page.getRequestCharge());
                    watched.charged(page.getRequestCharge());
                    return page;
                } catch (RuntimeException e) {
                    watched.failed(e);
                    throw e;
                }
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(counted, Spliterator.ORDERED), false)
                .onClose(() -> {
                    watched.ended();
                    pages.close();
                })
                .flatMap(page -> page.getResults().stream());
    }

    private void add(String operation, double charge) {
        units.add(charge);
        LOG.log(Level.DEBUG, "Cosmos DB {0}: {1} RU", operation, charge);
    }

    /** A query being watched: its pages' charges summed, ended once, however it ends. */
    private static final class WatchedQuery {
        private final Observation observation;
        private final DoubleAdder charge = new DoubleAdder();
        private final AtomicBoolean ended = new AtomicBoolean();

        WatchedQuery(Observation observation) {
            this.observation = observation;
        }

        void charged(double units) {
            charge.add(units);
        }

        void ended() {
            if (ended.compareAndSet(false, true)) {
                observation.end(new Outcome.StoreEnded(Optional.empty(), Optional.of(charge.sum())));
            }
        }

        void failed(RuntimeException e) {
            if (ended.compareAndSet(false, true)) {
                String type = e instanceof CosmosException cosmos ? Integer.toString(cosmos.getStatusCode()) : e.getClass().getName();
                observation.end(new Outcome.StoreEnded(Optional.of(type), Optional.of(charge.sum())));
            }
        }
    }
}
