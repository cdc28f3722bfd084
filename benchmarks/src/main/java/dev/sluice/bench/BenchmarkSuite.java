package dev.sluice.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Runs every Sluice benchmark (issue 6) and prints one markdown table.
 *
 * <pre>
 * bash bench/run.sh [--smoke] [--only ingest,delivery,economy,footprint,backlog] [--out FILE]
 * </pre>
 * Full mode takes about a quarter of an hour and is for the published table
 * (docs/performance.md); {@code --smoke} runs everything with tiny sizes in under a minute and only
 * proves each benchmark still produces its figures. Nothing here judges a timing: the goals column
 * compares figures measured side by side in the same run.
 */
public final class BenchmarkSuite {

    /** The benchmarks, in the order they run. */
    public static final List<String> SECTIONS = List.of("ingest", "delivery", "economy", "footprint", "backlog");

    private BenchmarkSuite() {
    }

    public static void main(String[] args) throws Exception {
        boolean smoke = false;
        Set<String> only = new LinkedHashSet<>(SECTIONS);
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--smoke" -> smoke = true;
                case "--only" -> only = new LinkedHashSet<>(List.of(args[++i].split(",")));
                case "--out" -> out = Paths.get(args[++i]);
                default -> {
                    System.err.println("usage: bench/run.sh [--smoke] [--only " + String.join(",", SECTIONS)
                            + "] [--out FILE]");
                    System.exit(2);
                }
            }
        }
        if (!SECTIONS.containsAll(only)) {
            System.err.println("unknown section in " + only + "; known: " + SECTIONS);
            System.exit(2);
        }
        String started = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        Report report = run(smoke ? Sizes.smokeSizes() : Sizes.fullSizes(), only);
        String text = "Sluice benchmarks, " + (smoke ? "SMOKE mode (tiny sizes, figures mean nothing)" : "full mode")
                + ", started " + started + "\n" + Machine.describe() + "\n\n" + report.markdown();
        System.out.println(text);
        if (out != null) {
            Files.writeString(out, text);
        }
    }

    /** Runs the named benchmarks with these sizes in a temporary folder, deleted afterwards. */
    public static Report run(Sizes sizes, Set<String> sections) throws Exception {
        Report report = new Report();
        Path work = Files.createTempDirectory("sluice-bench");
        try {
            for (String section : SECTIONS) {
                if (!sections.contains(section)) {
                    continue;
                }
                long t0 = System.nanoTime();
                System.err.printf("[bench] %s ...%n", section);
                try {
                    switch (section) {
                        case "ingest" -> IngestThroughput.run(sizes, work, report);
                        case "delivery" -> DeliveryThroughput.run(sizes, work, report);
                        case "economy" -> ApiEconomy.run(sizes, work, report);
                        case "footprint" -> Footprint.run(sizes, work, report);
                        case "backlog" -> BacklogDrain.run(sizes, work, report);
                        default -> throw new IllegalArgumentException(section);
                    }
                } catch (Exception e) {
                    // One broken benchmark must not cost the figures of the others; its figures are missing.
                    e.printStackTrace();
                    report.note(section, "FAILED: " + e);
                }
                System.err.printf("[bench] %s done in %.0f s%n", section, (System.nanoTime() - t0) / 1e9);
            }
        } finally {
            delete(work);
        }
        return report;
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
