package dev.sluice.connect;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static dev.sluice.connect.PartitionLedger.Entry.retry;
import static dev.sluice.connect.PartitionLedger.Entry.settled;
import static org.assertj.core.api.Assertions.assertThat;

class PartitionLedgerTest {

    private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
    private final PartitionLedger ledger = new PartitionLedger(
            new PartitionLedger.Backoff(Duration.ofSeconds(1), Duration.ofSeconds(8)));

    @Test
    void commitsPastEverySettledRecord() {
        assertThat(ledger.committable()).isEmpty();
        assertThat(ledger.apply(List.of(settled(5), settled(6), settled(7)), T0)).isEmpty();
        assertThat(ledger.committable()).contains(8L);
        assertThat(ledger.waiting(T0)).isFalse();
    }

    @Test
    void aRetryRewindsToTheFirstUnsettledRecordAndNeverCommitsPastIt() {
        Optional<Long> rewind = ledger.apply(List.of(settled(10), retry(11, Optional.empty()), settled(12),
                retry(13, Optional.empty()), settled(14)), T0);

        assertThat(rewind).contains(11L);
        assertThat(ledger.committable()).contains(11L);
        assertThat(ledger.waiting(T0)).isTrue();
        assertThat(ledger.dueAt()).isEqualTo(T0.plusSeconds(1));
        assertThat(ledger.waiting(T0.plusSeconds(1))).isFalse();
    }

    @Test
    void recordsSettledAfterARetriedOneArePassedOverWhenKafkaDeliversThemAgain() {
        ledger.apply(List.of(retry(11, Optional.empty()), settled(12), settled(13)), T0);

        assertThat(ledger.alreadySettled(11)).isFalse();
        assertThat(ledger.alreadySettled(12)).isTrue();
        assertThat(ledger.alreadySettled(13)).isTrue();
        assertThat(ledger.alreadySettled(12)).as("only once").isFalse();
        assertThat(ledger.apply(List.of(settled(11), settled(12), settled(13), settled(14)), T0.plusSeconds(1)))
                .isEmpty();
        assertThat(ledger.committable()).contains(15L);
        assertThat(ledger.retrying()).isFalse();
    }

    @Test
    void waitsForTheLatestNotBeforeAndBacksOffLongerEachAttempt() {
        Instant rateLimitEnds = T0.plusSeconds(5);
        ledger.apply(List.of(retry(1, Optional.of(rateLimitEnds)), retry(2, Optional.empty())), T0);
        assertThat(ledger.dueAt()).isEqualTo(rateLimitEnds);

        Instant second = rateLimitEnds;
        ledger.apply(List.of(retry(1, Optional.empty())), second);
        assertThat(ledger.dueAt()).isEqualTo(second.plusSeconds(2));
        assertThat(ledger.attempts()).isEqualTo(2);
        assertThat(ledger.firstRetryAt()).contains(T0);
    }

    @Test
    void backoffDoublesUpToItsMaximum() {
        PartitionLedger.Backoff backoff = new PartitionLedger.Backoff(Duration.ofSeconds(1), Duration.ofSeconds(8));
        assertThat(List.of(1, 2, 3, 4, 5, 30).stream().map(backoff::delay).map(Duration::toSeconds))
                .containsExactly(1L, 2L, 4L, 8L, 8L, 8L);
    }
}
