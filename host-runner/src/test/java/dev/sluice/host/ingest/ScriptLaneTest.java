package dev.sluice.host.ingest;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ScriptLaneTest {

    @Test
    void takesAtMostMaxPendingRequestsUntilOneIsReleased() {
        try (ScriptLane lane = new ScriptLane(1)) {
            for (int i = 0; i < ScriptLane.MAX_PENDING; i++) {
                assertThat(lane.tryReserve()).as("place %d", i).isTrue();
            }
            assertThat(lane.tryReserve()).as("one more than MAX_PENDING").isFalse();
            lane.release();
            assertThat(lane.tryReserve()).isTrue();
        }
    }
}
