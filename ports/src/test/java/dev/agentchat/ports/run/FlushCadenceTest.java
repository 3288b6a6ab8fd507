package dev.agentchat.ports.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.Test;

/**
 * When a follower reads the log relative to the writer's flushes, on a time that moves only as the test
 * says: a writer flushes every interval at a phase of its own, each batch visible some time after its
 * flush is due, and the follower reads when its cadence says.
 */
class FlushCadenceTest {
    private static final Duration INTERVAL = Duration.ofMillis(250);
    private static final long MS = 1_000_000;

    @Test
    void a_follower_reads_each_batch_within_a_step_of_its_write_once_it_saw_one_appear() {
        Follow follow = new Follow(new FlushCadence(INTERVAL));

        follow.run(flushesAt(137 * MS, tick -> true, 0), 60_000 * MS);

        // The phase is found within the first flushes; from the second second on, every batch waits a step at most.
        assertThat(follow.waitsAfter(1_000 * MS)).isNotEmpty().allSatisfy(wait -> assertThat(wait)
                .isLessThanOrEqualTo(follow.cadence.step()));
        assertThat(follow.readsPerFlush(1_000 * MS)).isLessThan(1.3);
    }

    @Test
    void batches_visible_a_little_late_at_random_are_still_read_within_a_step_or_two() {
        Random random = new Random(20);
        Follow follow = new Follow(new FlushCadence(INTERVAL));

        follow.run(flushesAt(61 * MS, tick -> true, 15 * MS, random), 60_000 * MS);

        List<Long> waits = follow.waitsAfter(2_000 * MS);
        assertThat(percentile(waits, 0.95)).isLessThanOrEqualTo(follow.cadence.step() + 15 * MS);
        assertThat(follow.readsPerFlush(2_000 * MS)).isLessThan(1.6);
    }

    @Test
    void the_first_batch_after_a_quiet_spell_is_read_within_a_step() {
        // The writer writes nothing for two seconds in every four (a tool call, a slow model), on its cadence still.
        Follow follow = new Follow(new FlushCadence(INTERVAL));

        follow.run(flushesAt(200 * MS, tick -> (tick / 8) % 2 == 0, 0), 60_000 * MS);

        assertThat(follow.waitsAfter(1_000 * MS)).isNotEmpty().allSatisfy(wait -> assertThat(wait)
                .isLessThanOrEqualTo(follow.cadence.step()));
        // A quiet flush costs the read at its time and one a step later, the first of a quiet spell a few more.
        long quietSpells = 59_000 / 2_000;
        assertThat(follow.reads(1_000 * MS)).isLessThanOrEqualTo(2 * (59_000 / 250) + 3 * quietSpells + 2);
    }

    @Test
    void a_write_slower_than_the_others_is_read_soon_after_it_appears_and_the_cadence_stays() {
        // Every tenth batch appears 70 ms after its flush was due, the others at once.
        Follow follow = new Follow(new FlushCadence(INTERVAL));
        List<Long> visible = new ArrayList<>();
        for (long tick = 0; tick < 240; tick++) {
            visible.add(90 * MS + tick * INTERVAL.toNanos() + (tick % 10 == 5 ? 70 * MS : 0));
        }

        follow.run(new Writer(visible), 60_000 * MS);

        List<long[]> late = follow.seen.stream().filter(batch -> batch[0] >= 1_000 * MS && (batch[0] - 90 * MS)
                % INTERVAL.toNanos() != 0).toList();
        List<long[]> onTime = follow.seen.stream().filter(batch -> batch[0] >= 1_000 * MS && (batch[0] - 90 * MS)
                % INTERVAL.toNanos() == 0).toList();
        assertThat(late).isNotEmpty().allSatisfy(batch -> assertThat(batch[1] - batch[0])
                .isLessThanOrEqualTo(2 * follow.cadence.step()));
        assertThat(onTime).isNotEmpty().allSatisfy(batch -> assertThat(batch[1] - batch[0])
                .isLessThanOrEqualTo(follow.cadence.step()));
    }

    @Test
    void reads_slower_than_a_step_give_looking_for_the_phase_up_rather_than_read_back_to_back() {
        // Each read takes 50 ms (a store far away, or throttled): no batch is ever seen to appear within a step.
        Writer writer = flushesAt(37 * MS, tick -> true, 0);
        Follow follow = new Follow(new FlushCadence(INTERVAL));

        follow.run(at -> writer.visibleBetween(-1, at), 60_000 * MS, 50 * MS);

        assertThat(follow.readsPerFlush(5_000 * MS)).as("reads a flush, once it gave up").isLessThanOrEqualTo(1.1);
        assertThat(follow.waitsAfter(5_000 * MS)).as("every batch is still read").hasSizeGreaterThan(200)
                .allSatisfy(wait -> assertThat(wait).isLessThanOrEqualTo(INTERVAL.toNanos() + 50 * MS));
    }

    @Test
    void a_writer_whose_cadence_moved_is_followed_closely_again_within_seconds() {
        // Another instance took the run on: the same interval, another phase, 180 ms later.
        Follow follow = new Follow(new FlushCadence(INTERVAL));
        Writer first = flushesAt(20 * MS, tick -> true, 0);
        Writer second = flushesAt(200 * MS, tick -> true, 0);

        follow.run(at -> merge(first.visibleBetween(-1, Math.min(at, 10_000 * MS)), second.visibleBetween(10_000 * MS, at)),
                40_000 * MS);

        assertThat(follow.waitsAfter(25_000 * MS)).isNotEmpty().allSatisfy(wait -> assertThat(wait)
                .isLessThanOrEqualTo(follow.cadence.step()));
    }

    private static List<Long> merge(List<Long> a, List<Long> b) {
        List<Long> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static long percentile(List<Long> values, double share) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get((int) Math.ceil(share * sorted.size()) - 1);
    }

    private static Writer flushesAt(long phase, LongPredicate writesAtTick, long maxDelay) {
        return flushesAt(phase, writesAtTick, maxDelay, new Random(1));
    }

    /**
     * A writer whose flushes are due at {@code phase} plus whole intervals, writing a batch at the ticks
     * {@code writesAtTick} says, each visible up to {@code maxDelay} after its flush was due.
     */
    private static Writer flushesAt(long phase, LongPredicate writesAtTick, long maxDelay, Random random) {
        List<Long> visible = new ArrayList<>();
        for (long tick = 0; tick < 400; tick++) {
            if (writesAtTick.test(tick)) {
                visible.add(phase + tick * INTERVAL.toNanos() + (maxDelay == 0 ? 0 : random.nextLong(maxDelay)));
            }
        }
        return new Writer(List.copyOf(visible));
    }

    /** The times at which a writer's batches became visible in the log. */
    private record Writer(List<Long> visible) {
        /** The batches that became visible after {@code from} and at or before {@code to}. */
        List<Long> visibleBetween(long from, long to) {
            return visible.stream().filter(at -> at > from && at <= to).toList();
        }
    }

    /** Which batches are in the log at a time, in the order written. */
    private interface Log {
        List<Long> visibleBy(long at);
    }

    /** A follower reading as its cadence says, and what it saw. */
    private static final class Follow {
        final FlushCadence cadence;
        /** For each batch: when it became visible and when a read first saw it. */
        final List<long[]> seen = new ArrayList<>();
        final List<Long> readTimes = new ArrayList<>();

        Follow(FlushCadence cadence) {
            this.cadence = cadence;
        }

        void run(Writer writer, long until) {
            run(at -> writer.visibleBetween(-1, at), until);
        }

        void run(Log log, long until) {
            run(log, until, 0);
        }

        /** As {@link #run(Log, long)}, each read taking {@code took}: the next cannot start before it ended. */
        void run(Log log, long until, long took) {
            int known = 0;
            long read = 10 * MS;
            while (read < until) {
                readTimes.add(read);
                List<Long> visible = log.visibleBy(read);
                for (long written : visible.subList(known, visible.size())) {
                    seen.add(new long[] {written, read});
                }
                boolean found = visible.size() > known;
                known = visible.size();
                long next = cadence.nextRead(read, found);
                assertThat(next).as("the next read comes after this one").isGreaterThan(read);
                read = Math.max(next, read + took);
            }
        }

        List<Long> waitsAfter(long from) {
            return seen.stream().filter(batch -> batch[0] >= from).map(batch -> batch[1] - batch[0]).toList();
        }

        double readsPerFlush(long from) {
            long flushes = seen.stream().filter(batch -> batch[0] >= from).count();
            return (double) reads(from) / flushes;
        }

        long reads(long from) {
            return readTimes.stream().filter(at -> at >= from).count();
        }
    }
}
