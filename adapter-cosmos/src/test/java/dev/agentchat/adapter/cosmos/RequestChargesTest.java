package dev.agentchat.adapter.cosmos;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.cosmos.models.FeedResponse;
import com.azure.cosmos.models.ModelBridgeInternal;
import com.azure.cosmos.util.CosmosPagedIterable;
import com.azure.cosmos.util.UtilBridgeInternal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Sinks;

/**
 * How the stores read a query's pages. The pages come from a flux the test feeds, as the SDK's query pipeline hands
 * them over (on its own threads, the next page fetched as soon as one arrives), so when a page arrives is the test's.
 */
class RequestChargesTest {
    private static final int PAGE = 100;
    private static final Sinks.EmitFailureHandler RETRY = Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(5));

    private final RequestCharges charges = new RequestCharges();

    @Test
    void pages_that_arrive_while_the_reader_is_still_taking_items_come_out_whole_and_in_order() throws InterruptedException {
        // The SDK's own item stream lost the order in about one query of five here: a page that arrived while
        // the reader asked for its next item could come out in the middle of the one before.
        int pagesPerQuery = 20;
        for (int query = 0; query < 200; query++) {
            Sinks.Many<FeedResponse<Integer>> pages = Sinks.many().unicast().onBackpressureBuffer();
            Thread service = Thread.ofPlatform().start(() -> {
                for (int page = 0; page < pagesPerQuery; page++) {
                    pages.emitNext(page(page * PAGE, 1.0), RETRY);
                    for (int spin = 0; spin < 2_000; spin++) {
                        Thread.onSpinWait();
                    }
                }
                pages.emitComplete(RETRY);
            });

            List<Integer> read;
            try (Stream<Integer> items = charges.query("turns", "list", query(pages))) {
                read = items.toList();
            }
            service.join();

            assertThat(read).as("query %d", query).containsExactlyElementsOf(IntStream.range(0, pagesPerQuery * PAGE).boxed().toList());
        }
    }

    @Test
    void every_page_read_adds_its_charge_once() {
        Sinks.Many<FeedResponse<Integer>> pages = Sinks.many().unicast().onBackpressureBuffer();
        pages.emitNext(page(0, 2.5), RETRY);
        pages.emitNext(page(PAGE, 3.25), RETRY);
        pages.emitComplete(RETRY);

        try (Stream<Integer> items = charges.query("turns", "list", query(pages))) {
            assertThat(items.toList()).hasSize(2 * PAGE);
        }

        assertThat(charges.total()).isEqualTo(5.75);
    }

    private static CosmosPagedIterable<Integer> query(Sinks.Many<FeedResponse<Integer>> pages) {
        return UtilBridgeInternal.createCosmosPagedIterable(UtilBridgeInternal.createCosmosPagedFlux(options -> pages.asFlux()));
    }

    private static FeedResponse<Integer> page(int first, double requestCharge) {
        return ModelBridgeInternal.createFeedResponse(IntStream.range(first, first + PAGE).boxed().toList(),
                Map.of("x-ms-request-charge", Double.toString(requestCharge)));
    }
}
