package dev.sluice.hubspot.delivery;

import dev.sluice.api.Outcome;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class BatchBisectorTest {

    private static List<Integer> inputs(int n) {
        return IntStream.range(0, n).boxed().toList();
    }

    /** Refuses any batch holding a bad input, as HubSpot's 400 does; records the batch sizes. */
    private static BatchBisector.BatchCall<Integer> refusing(Set<Integer> bad, List<Integer> sizes) {
        return batch -> {
            sizes.add(batch.size());
            return batch.stream().anyMatch(bad::contains)
                    ? BatchAnswer.invalid(batch, "bad input in batch") : BatchAnswer.allDelivered(batch);
        };
    }

    @Test
    void findsEveryBadInputAndDeliversTheRest() throws Exception {
        List<Integer> sizes = new ArrayList<>();
        Map<Integer, Outcome> outcomes = new BatchBisector<>(refusing(Set.of(3, 64, 65), sizes)).resolve(inputs(100));

        assertThat(outcomes).hasSize(100);
        assertThat(outcomes.entrySet()).allSatisfy(e -> assertThat(e.getValue()).isEqualTo(
                Set.of(3, 64, 65).contains(e.getKey()) ? Outcome.rejected("bad input in batch") : Outcome.delivered()));
        assertThat(sizes.size()).isLessThan(40);
    }

    @Test
    void aCleanBatchCostsOneCall() throws Exception {
        List<Integer> sizes = new ArrayList<>();
        assertThat(new BatchBisector<>(refusing(Set.of(), sizes)).resolve(inputs(100)).values())
                .containsOnly(Outcome.delivered());
        assertThat(sizes).containsExactly(100);
    }

    @Test
    void sendsSmallGroupsOneByOne() throws Exception {
        List<Integer> sizes = new ArrayList<>();
        new BatchBisector<>(refusing(Set.of(2), sizes)).resolve(inputs(4));
        assertThat(sizes).containsExactly(4, 1, 1, 1, 1);
    }

    @Test
    void aRetryStopsTheSearchAndAppliesToEverythingNotYetSent() throws Exception {
        Outcome limited = Outcome.retry("rate limited", Instant.parse("2026-03-01T10:00:10Z"));
        List<Integer> sizes = new ArrayList<>();
        BatchBisector<Integer> bisector = new BatchBisector<>(batch -> {
            sizes.add(batch.size());
            return sizes.size() == 1 ? BatchAnswer.invalid(batch, "bad") : BatchAnswer.failed(limited);
        });

        Map<Integer, Outcome> first = bisector.resolve(inputs(10));
        Map<Integer, Outcome> next = bisector.resolve(List.of(100, 101));

        assertThat(first.values()).containsOnly(limited);
        assertThat(next.values()).containsOnly(limited);
        assertThat(sizes).containsExactly(10, 5);
        assertThat(bisector.stoppedWith()).contains(limited);
    }

    @Test
    void resendsFixedInputsAsAGroupButNotForever() throws Exception {
        List<Integer> sizes = new ArrayList<>();
        BatchBisector<Integer> bisector = new BatchBisector<>(batch -> {
            sizes.add(batch.size());
            return BatchAnswer.resendAll(batch);
        });

        Map<Integer, Outcome> outcomes = bisector.resolve(inputs(3));

        assertThat(sizes).hasSize(BatchBisector.MAX_RESENDS + 1).containsOnly(3);
        assertThat(outcomes.values()).allSatisfy(o -> assertThat(o).isInstanceOf(Outcome.Retry.class));
    }
}
