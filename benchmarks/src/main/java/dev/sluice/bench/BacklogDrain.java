package dev.sluice.bench;

import dev.sluice.host.config.DeliverySettings;
import dev.sluice.host.delivery.DeliveryWorkers;
import dev.sluice.host.pipeline.RoutedEvent;
import dev.sluice.host.queue.DurableQueue;
import dev.sluice.host.queue.QueueDatabase;
import dev.sluice.host.queue.QueueLimit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Issue 6 item 5, the backlog: N events put straight into a destination's durable queue through
 * the queue API ({@link DurableQueue#enqueue}, 1,000 per transaction, not over HTTP), the disk it
 * takes per event ({@code queue.db} plus its WAL and shared-memory files), then the rate at which
 * a delivery worker drains it into a destination that acknowledges at once (batches of 100, the
 * HubSpot plugin's size).
 */
final class BacklogDrain {

    private static final String ID = "noop";
    private static final int BATCH = 100;

    private BacklogDrain() {
    }

    static void run(Sizes sizes, Path work, Report report) throws Exception {
        Path dir = work.resolve("backlog");
        Files.createDirectories(dir);
        int events = sizes.backlogEvents();
        try (DurableQueue queue = DurableQueue.open(QueueDatabase.open(dir),
                Map.of(ID, new QueueLimit(Long.MAX_VALUE, Long.MAX_VALUE)), Clock.systemUTC())) {
            long t0 = System.nanoTime();
            List<RoutedEvent> batch = new ArrayList<>(1000);
            for (int i = 0; i < events; i++) {
                String id = "backlog-" + i;
                batch.add(new RoutedEvent(ID, id, EventBodies.identify(id, "backlog" + i + "@example.com")
                        .getBytes(StandardCharsets.UTF_8)));
                if (batch.size() == 1000 || i == events - 1) {
                    queue.enqueue(batch);
                    batch = new ArrayList<>(1000);
                }
            }
            double enqueueSeconds = (System.nanoTime() - t0) / 1e9;
            long depth = queue.depth(ID).events();
            long bytes = size(dir);
            String label = String.format("%,d", events);
            report.add(Figure.of("backlog.enqueue", IngestThroughput.SCALING, "enqueue " + label
                    + " events via the queue API (1,000 per transaction)", events / enqueueSeconds, "events/s"));
            report.add(Figure.of("backlog.disk", IngestThroughput.SCALING, "disk per queued event (queue.db + WAL + shm, "
                    + label + " queued)", bytes / (double) depth, "bytes/event"));
            report.add(Figure.of("backlog.disk.total", IngestThroughput.SCALING, "disk for the whole backlog",
                    bytes / 1048576.0, "MiB"));

            DeliveryWorkers workers = new DeliveryWorkers(queue,
                    (id, cause) -> System.err.println("[bench] " + id + ": " + cause.getMessage()));
            long d0 = System.nanoTime();
            workers.start(ID, new NoOpDestination(BATCH), DeliverySettings.defaults());
            long deadline = d0 + (long) (sizes.backlogDrainMaxSeconds() * 1e9);
            while (queue.depth(ID).events() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            double drainSeconds = (System.nanoTime() - d0) / 1e9;
            long drained = workers.stats().get(0).delivered();
            workers.stopAll(java.time.Duration.ofSeconds(10));
            report.add(Figure.of("backlog.drain.noop", IngestThroughput.SCALING, "drain of the backlog into a no-op "
                    + "destination (batches of " + BATCH + ")", drained / drainSeconds, "events/s"));
            report.note(IngestThroughput.SCALING, String.format("backlog: %,d events of ~%d bytes; drained %,d in %.1f s%s; "
                            + "disk measured before draining (after draining the file keeps its size until vacuumed)",
                    events, EventBodies.identify("backlog-0", "backlog0@example.com").length(), drained, drainSeconds,
                    drained < events ? " (stopped at the time limit)" : ""));
        }
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith(QueueDatabase.FILE_NAME))
                    .mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
