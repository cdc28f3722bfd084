package dev.sluice.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * Issue 6 item 5, the backlog: N events posted to the s2s route of the real host (public embedding
 * API) as arrays of 1,000 events per request from one sender, while the destination is paused (a
 * benchmark-only {@code bench-gated-noop} destination whose {@code start()} waits for a gate); the
 * disk it takes per event ({@code queue.db} plus its WAL and shared-memory files); then the gate
 * opens and the rate at which the delivery worker drains the backlog into a destination that
 * acknowledges at once (batches of 100, the HubSpot plugin's size) is measured.
 */
final class BacklogDrain {

    private static final String ID = "noop";
    private static final int BATCH = 100;
    private static final int PER_REQUEST = 1000;
    /** The host's queue database file in {@code server.data_dir} (with its -wal and -shm files). */
    private static final String QUEUE_FILE = "queue.db";

    private BacklogDrain() {
    }

    static void run(Sizes sizes, Path work, Report report) throws Exception {
        int events = sizes.backlogEvents();
        String label = String.format("%,d", events);
        Drain plain = drain(work.resolve("backlog"), null, sizes);
        report.add(Figure.of("backlog.enqueue", IngestThroughput.SCALING, "ingest " + label
                + " events over the s2s route (arrays of 1,000 per request, one sender, destination paused)",
                events / plain.enqueueSeconds(), "events/s"));
        report.add(Figure.of("backlog.disk", IngestThroughput.SCALING, "disk per queued event (queue.db + WAL + "
                + "shm, " + label + " queued)", plain.bytes() / (double) events, "bytes/event"));
        report.add(Figure.of("backlog.disk.total", IngestThroughput.SCALING, "disk for the whole backlog",
                plain.bytes() / 1048576.0, "MiB"));
        report.add(Figure.of("backlog.drain.noop", IngestThroughput.SCALING, "drain of the backlog into a "
                + "no-op destination (batches of " + BATCH + ")", plain.perSecond(), "events/s"));
        // The transform runs where the delivery worker sends, so its cost shows here, not at ingest.
        Drain transformed = drain(work.resolve("backlog-transform"), IngestThroughput.SMALL_TRANSFORM, sizes);
        report.add(Figure.of("backlog.drain.noop.transform", IngestThroughput.SCALING, "drain of the same backlog "
                + "into a no-op destination with the small data_layout.transform (run by the delivery worker)",
                transformed.perSecond(), "events/s"));
        report.add(Figure.of("backlog.drain.transform.cost", IngestThroughput.SCALING, "delivery worker time per "
                + "event spent in the transform (drain time with it minus without, per event)",
                Math.max(0, 1e6 / transformed.perSecond() - 1e6 / plain.perSecond()), "us/event"));
        report.note(IngestThroughput.SCALING, String.format("backlog: %,d events of ~%d bytes, posted through "
                        + "the Events API while the destination was paused (its start() waited); drained %,d in "
                        + "%.1f s%s (with the transform `%s`: %,d in %.1f s); disk measured before draining (after "
                        + "draining the file keeps its size until vacuumed)", events,
                EventBodies.identify("backlog-0", "backlog.0@example.com").length(), plain.drained(),
                plain.drainSeconds(), plain.drained() < events ? " (stopped at the time limit)" : "",
                IngestThroughput.SMALL_TRANSFORM, transformed.drained(), transformed.drainSeconds()));
    }

    /** One paused destination, a backlog posted to it, then drained: the timings. */
    private record Drain(double enqueueSeconds, long bytes, long drained, double drainSeconds) {
        double perSecond() {
            return drained / drainSeconds;
        }
    }

    private static Drain drain(Path dir, String transform, Sizes sizes) throws Exception {
        Path dataDir = dir.resolve("data");
        int events = sizes.backlogEvents();
        CountDownLatch gate = new CountDownLatch(1);
        Path config = HostConfigFile.writeBench(dir, dataDir, BenchDestinationFactory.GATED_NOOP, List.of(ID), transform);
        try (InProcessHost host = InProcessHost.start(config, BenchDestinationFactory.gatedNoOp(gate, BATCH))) {
            try {
                long t0 = System.nanoTime();
                post(host.port(), "backlog", events, PER_REQUEST);
                double enqueueSeconds = (System.nanoTime() - t0) / 1e9;
                long depth = host.queued();
                if (depth != events) {
                    throw new IllegalStateException("posted " + events + " events but " + depth + " are queued");
                }
                long bytes = size(dataDir);
                long d0 = System.nanoTime();
                gate.countDown();
                long deadline = d0 + (long) (sizes.backlogDrainMaxSeconds() * 1e9);
                while (host.queued() > 0 && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                double drainSeconds = (System.nanoTime() - d0) / 1e9;
                long drained = host.delivered();
                if (transform != null && drained == 0) {
                    throw new IllegalStateException("the transform delivered nothing: it skipped every event");
                }
                return new Drain(enqueueSeconds, bytes, drained, drainSeconds);
            } finally {
                gate.countDown();
            }
        }
    }

    /**
     * Posts identify events {@code prefix-0 .. prefix-(events-1)} (distinct emails) to the s2s route
     * as JSON arrays of {@code perRequest} events, one request after the other on one connection.
     */
    static void post(int port, String prefix, int events, int perRequest) throws Exception {
        try (LoopbackConnection connection = new LoopbackConnection(port)) {
            for (int from = 0; from < events; from += perRequest) {
                int count = Math.min(perRequest, events - from);
                int status = connection.exchange(LoopbackConnection.post(HostConfigFile.S2S_PATH,
                        EventBodies.array(prefix, false, from, count)));
                if (status != 200) {
                    throw new IllegalStateException("ingest answered " + status + " to events " + from + ".."
                            + (from + count - 1));
                }
            }
        }
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            long bytes = files.filter(p -> p.getFileName().toString().startsWith(QUEUE_FILE))
                    .mapToLong(p -> p.toFile().length()).sum();
            if (bytes == 0) {
                throw new IllegalStateException("no " + QUEUE_FILE + " in " + dir);
            }
            return bytes;
        }
    }
}
