package dev.sluice.bench;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CI's smoke run of every benchmark with tiny sizes: each must still produce its figures. No
 * figure is judged for speed here (benchmarks are not timed tests); only counts that follow from
 * the behaviour (one legacy call per event, every email becoming a contact, the backlog drained)
 * are checked.
 */
class BenchmarkSmokeTest {

    @Test
    void everyBenchmarkProducesItsFigures() throws Exception {
        Sizes sizes = Sizes.smokeSizes();
        Report report = BenchmarkSuite.run(sizes, new LinkedHashSet<>(BenchmarkSuite.SECTIONS));
        System.out.println(report.markdown());
        assertThat(report.notes().values()).as("no benchmark failed").noneMatch(note -> note.contains("FAILED"));

        List<String> expected = new java.util.ArrayList<>();
        for (int level : sizes.ingestLevels()) {
            for (String f : List.of("ceiling", "durable", "ceiling.p50", "ceiling.p99", "durable.p50",
                    "durable.p99", "ratio")) {
                expected.add("ingest.c" + level + "." + f);
            }
        }
        expected.addAll(List.of("scaling.ingest.d1", "scaling.ingest.d2",
                "scaling.ingest.d4", "profile.samples", "profile.stage0"));
        for (DeliveryThroughput.Scenario s : DeliveryThroughput.scenarios(sizes)) {
            expected.addAll(List.of(s.key() + ".rate", s.key() + ".share", s.key() + ".429"));
        }
        expected.addAll(List.of(DeliveryThroughput.LATENCY_KEY + ".p50", DeliveryThroughput.LATENCY_KEY + ".p99"));
        expected.addAll(List.of("economy.modern", "economy.legacy", "economy.ratio", "footprint.start",
                "footprint.rss.idle", "footprint.heap.idle", "footprint.rss.load", "footprint.heap.load",
                "backlog.enqueue", "backlog.disk", "backlog.drain.noop"));
        for (String key : expected) {
            assertThat(report.figure(key)).as(key).isPresent();
            assertThat(report.figure(key).orElseThrow().value()).as(key).isFinite().isGreaterThanOrEqualTo(0);
        }
        for (String key : List.of("ingest.c1.durable", "ingest.c1.ceiling", "footprint.rss.idle", "footprint.heap.load",
                "backlog.disk", "profile.samples")) {
            assertThat(report.figure(key).orElseThrow().value()).as(key).isPositive();
        }
        assertThat(report.figure("economy.legacy.upserts").orElseThrow().value()).as("one legacy call per event")
                .isEqualTo(1000.0);
        assertThat(report.figure("economy.modern.contacts").orElseThrow().value()).isEqualTo(sizes.economyEmails());
        assertThat(report.figure("economy.modern.upserts").orElseThrow().value())
                .as("batched upserts write fewer times than events").isLessThan(1000.0);
        assertThat(report.markdown()).startsWith("| section | figure | value |").contains("| 2 delivery |");
    }
}
