package dev.sluice.host.queue.bench;

import dev.sluice.host.pipeline.RoutedEvent;
import dev.sluice.host.queue.DurableQueue;
import dev.sluice.host.queue.QueueDatabase;
import dev.sluice.host.queue.QueueLimit;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

/**
 * Enqueue throughput of {@link DurableQueue} with 1, 8 and 64 concurrent callers, one ~600-byte
 * event per call (what one HTTP request with one event does), on a fresh database each run.
 * Prints events/s and commits/s: with group commit, commits/s stays near the disk's fsync rate
 * while events/s grows with the callers.
 *
 * <pre>
 * mvn -B -ntp -q -pl host-runner test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=dev.sluice.host.queue.bench.EnqueueBenchmark [-Dexec.args="NORMAL 5"]
 * </pre>
 * Arguments: synchronous mode ({@code NORMAL} or {@code FULL}, default NORMAL), seconds measured
 * per concurrency level (default 5, after 2 seconds of warm-up), and optionally the concurrency
 * levels (default {@code 1,8,64}).
 */
public final class EnqueueBenchmark {

    public static void main(String[] args) throws Exception {
        QueueDatabase.Synchronous mode = args.length > 0 ? QueueDatabase.Synchronous.valueOf(args[0]) : QueueDatabase.Synchronous.NORMAL;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        List<Integer> levels = new ArrayList<>();
        for (String level : (args.length > 2 ? args[2] : "1,8,64").split(",")) {
            levels.add(Integer.parseInt(level.trim()));
        }
        byte[] sample = event(UUID.randomUUID().toString());
        System.out.printf("synchronous=%s, event size %d bytes, %ds per level after 2s warm-up, %d cores%n",
                mode, sample.length, seconds, Runtime.getRuntime().availableProcessors());
        System.out.printf("%8s %12s %12s %16s%n", "callers", "events/s", "commits/s", "events/commit");
        for (int callers : levels) {
            run(mode, callers, seconds);
        }
    }

    private static void run(QueueDatabase.Synchronous mode, int callers, int seconds) throws Exception {
        Path dir = Files.createTempDirectory("sluice-enqueue-bench");
        try (DurableQueue queue = DurableQueue.open(QueueDatabase.open(dir, mode),
                Map.of("hs", new QueueLimit(Long.MAX_VALUE, Long.MAX_VALUE)), Clock.systemUTC(), Duration.ofSeconds(30))) {
            AtomicBoolean measuring = new AtomicBoolean();
            AtomicBoolean stop = new AtomicBoolean();
            LongAdder events = new LongAdder();
            CountDownLatch done = new CountDownLatch(callers);
            for (int i = 0; i < callers; i++) {
                Thread t = new Thread(() -> {
                    try {
                        while (!stop.get()) {
                            String id = UUID.randomUUID().toString();
                            queue.enqueue(List.of(new RoutedEvent("hs", id, event(id))));
                            if (measuring.get()) {
                                events.increment();
                            }
                        }
                    } catch (Exception e) {
                        e.printStackTrace();
                    } finally {
                        done.countDown();
                    }
                });
                t.setDaemon(true);
                t.start();
            }
            Thread.sleep(2000);
            long commits0 = queue.commits();
            long t0 = System.nanoTime();
            measuring.set(true);
            Thread.sleep(seconds * 1000L);
            measuring.set(false);
            long elapsed = System.nanoTime() - t0;
            long commits = queue.commits() - commits0;
            stop.set(true);
            if (!done.await(30, TimeUnit.SECONDS)) {
                System.err.println("callers did not stop within 30s");
            }
            double secs = elapsed / 1e9;
            System.out.printf("%8d %12.0f %12.0f %16.1f%n", callers, events.sum() / secs, commits / secs,
                    commits == 0 ? 0.0 : (double) events.sum() / commits);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** A realistic enriched s2s identify event of about 600 bytes. */
    static byte[] event(String id) {
        String json = "{\"event_type\":\"user_identify\",\"eventn_ctx_event_id\":\"" + id + "\","
                + "\"user\":{\"email\":\"jane.doe+" + id.substring(0, 8) + "@example.com\",\"anonymous_id\":\"" + id
                + "\",\"firstname\":\"Jane\",\"lastname\":\"Doe\",\"company\":\"Example Industries\","
                + "\"hashed_anonymous_id\":\"5f4dcc3b5aa765d61d8327deb882cf99\"},"
                + "\"utc_time\":\"2026-01-01T12:00:00.000Z\",\"local_tz_offset\":-60,"
                + "\"url\":\"https://www.example.com/pricing?utm_source=newsletter\",\"page_title\":\"Pricing\","
                + "\"src\":\"api\",\"api_key\":\"s2s.example\",\"source_ip\":\"203.0.113.7\","
                + "\"user_agent\":\"Mozilla/5.0 (X11; Linux x86_64)\",\"_timestamp\":\"2026-01-01T12:00:00.123Z\"}";
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
