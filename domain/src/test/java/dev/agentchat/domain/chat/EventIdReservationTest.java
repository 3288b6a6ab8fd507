package dev.agentchat.domain.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EventIdReservationTest {
    private static final long BLOCK = EventIdReservation.BLOCK;

    @Test
    void every_run_may_send_its_first_block_of_ids_before_it_records_anything() {
        assertThat(EventIdReservation.INITIAL.allows(BLOCK)).isTrue();
        assertThat(EventIdReservation.INITIAL.allows(BLOCK + 1)).isFalse();
    }

    @Test
    void a_batch_records_a_block_more_only_once_fewer_than_half_a_block_are_left() {
        EventIdReservation initial = EventIdReservation.INITIAL;

        assertThat(initial.toRecordWith(10)).as("plenty left: nothing more").isEqualTo(BLOCK);
        assertThat(initial.toRecordWith(BLOCK / 2)).isEqualTo(BLOCK);
        assertThat(initial.toRecordWith(BLOCK / 2 + 1)).isEqualTo(BLOCK / 2 + 1 + BLOCK);
        assertThat(initial.toRecordWith(BLOCK + 7)).as("past it: the batch reserves its own events and a block")
                .isEqualTo(2 * BLOCK + 7);
    }

    @Test
    void a_kept_reservation_only_grows() {
        EventIdReservation grown = EventIdReservation.INITIAL.kept(3 * BLOCK);

        assertThat(grown.reservedThrough()).isEqualTo(3 * BLOCK);
        assertThat(grown.kept(2 * BLOCK)).isSameAs(grown);
    }

    @Test
    void the_ids_after_a_crash_begin_past_the_block_the_log_and_any_recorded_reservation() {
        assertThat(EventIdReservation.fromLog(0, 0).firstUnused()).isEqualTo(BLOCK + 1);
        assertThat(EventIdReservation.fromLog(9, 9).firstUnused()).isEqualTo(BLOCK + 1);
        assertThat(EventIdReservation.fromLog(5_000, 5_000).firstUnused()).isEqualTo(5_001);
        assertThat(EventIdReservation.fromLog(5_000, 9_000).firstUnused()).isEqualTo(9_001);
    }

    @Test
    void no_run_has_fewer_ids_reserved_than_the_first_block() {
        assertThatThrownBy(() -> new EventIdReservation(BLOCK - 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
