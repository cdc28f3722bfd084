package dev.sluice.host.queue;

import dev.sluice.host.testing.Await;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.sluice.host.pipeline.SinkUnavailableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static dev.sluice.host.queue.DurableQueueTest.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The queue's storage faults: told once per change of state, visible as a problem, and recovered from. */
class StoreHealthTest {

    private final Logger logger = (Logger) LoggerFactory.getLogger(StoreHealth.class);
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

    @TempDir
    Path dir;

    @BeforeEach
    void attach() {
        lines.start();
        logger.addAppender(lines);
    }

    @AfterEach
    void detach() {
        logger.detachAppender(lines);
    }

    private List<String> messages() {
        synchronized (lines) { // the appender adds under this lock, from the queue's threads
            return lines.list.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
        }
    }

    @Test
    void aLongDiskFullIsOneLineThenOneSummaryAMinuteThenStoringAgain() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        Path db = Files.createFile(dir.resolve("queue.db"));
        Path lock = Files.createFile(dir.resolve("queue.db.lock"));
        StoreHealth health = new StoreHealth(db, lock, clock);
        SQLiteException full = new SQLiteException("[SQLITE_FULL] Insertion failed because database is full "
                + "(database or disk is full)", SQLiteErrorCode.SQLITE_FULL);

        // 10 minutes of clients retrying: 20 failed commits a second.
        for (int second = 0; second < 600; second++) {
            for (int i = 0; i < 20; i++) {
                health.failed(full, 4);
            }
            health.tick();
            clock.advance(Duration.ofSeconds(1));
        }
        assertThat(health.problem()).hasValueSatisfying(p -> assertThat(p)
                .isEqualTo("the queue cannot store events: the disk holding " + db + " is full ([SQLITE_FULL] "
                        + "Insertion failed because database is full (database or disk is full))"));
        // One line when it started, then one a minute: 11 lines for 48,000 refused writes.
        assertThat(lines.list).hasSize(10);
        assertThat(messages().get(0)).startsWith("ERROR The queue cannot store events: the disk holding " + db
                + " is full").contains("answered 503 and /health says 503");
        assertThat(messages().get(1)).startsWith("ERROR The queue still cannot store events (1m0s so far): "
                + "4800 writes refused in the last 1m0s; the disk holding");
        assertThat(lines.list).allSatisfy(e -> assertThat(e.getThrowableProxy()).isNull());

        health.succeeded();
        assertThat(health.problem()).isEmpty();
        assertThat(messages().get(messages().size() - 1))
                .isEqualTo("INFO The queue stores events again, after 10m0s (48000 writes refused meanwhile)");
        health.succeeded();
        health.tick();
        assertThat(lines.list).hasSize(11);
    }

    @Test
    void aRealFullDatabaseRefusesEventsWith503AndStoresAgainOnceThereIsRoom() throws Exception {
        QueueDatabase database = QueueDatabase.open(dir.resolve("data"));
        long pages;
        try (Connection c = database.connect(); Statement s = c.createStatement();
             var rs = s.executeQuery("PRAGMA page_count")) {
            rs.next();
            pages = rs.getLong(1);
        }
        database.limitPages(pages + 8);
        try (DurableQueue queue = DurableQueue.open(database, Map.of("hs", new QueueLimit(1_000_000, 1L << 30)),
                Clock.systemUTC())) {
            String big = "x".repeat(3000);
            int stored = 0;
            Exception refused = null;
            for (int i = 0; i < 200 && refused == null; i++) {
                try {
                    queue.enqueue(List.of(new dev.sluice.host.pipeline.RoutedEvent("hs", "e-" + i,
                            ("{\"pad\":\"" + big + "\"}").getBytes())));
                    stored++;
                } catch (SinkUnavailableException e) {
                    refused = e;
                }
            }
            assertThat(refused).as("the capped database fills up").isNotNull();
            assertThat(stored).isPositive();
            assertThat(queue.storeProblem()).hasValueSatisfying(p -> assertThat(p)
                    .contains("the disk holding " + database.file() + " is full").contains("SQLITE_FULL"));
            for (int i = 0; i < 50; i++) {
                assertThatThrownBy(() -> queue.enqueue(List.of(new dev.sluice.host.pipeline.RoutedEvent("hs", "more",
                        ("{\"pad\":\"" + big + big + "\"}").getBytes()))))
                        .isInstanceOf(SinkUnavailableException.class);
            }
            assertThat(lines.list).hasSize(1);

            // Delivery frees room: the next event is stored, and the queue says so.
            DestinationQueue hs = queue.destination("hs");
            List<QueuedEvent> due = new ArrayList<>(hs.due(stored));
            hs.settle(new Settlement(due, List.of(), List.of()));
            queue.enqueue(List.of(event("hs", "after")));
            assertThat(queue.storeProblem()).isEmpty();
            assertThat(messages().get(messages().size() - 1)).startsWith("INFO The queue stores events again");
        }
    }

    @Test
    void removingTheDataDirUnderAnOpenQueueRefusesNewEvents() throws Exception {
        Path data = dir.resolve("data");
        try (DurableQueue queue = DurableQueue.open(QueueDatabase.open(data), Map.of("hs", new QueueLimit(100, 1 << 20)),
                Clock.systemUTC())) {
            queue.enqueue(List.of(event("hs", "before")));
            try (var files = Files.walk(data)) {
                for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(f);
                }
            }
            // At once, before any periodic check: the commit itself looks at the files first.
            assertThatThrownBy(() -> queue.enqueue(List.of(event("hs", "right-after"))))
                    .isInstanceOf(SinkUnavailableException.class).hasMessageContaining("was removed");
            Await.until(() -> queue.storeProblem().isPresent(), "the removed data dir noticed");
            assertThat(queue.storeProblem().get()).contains("the data dir " + data + " was removed while the host ran")
                    .contains("restart the host");
            assertThatThrownBy(() -> queue.enqueue(List.of(event("hs", "after"))))
                    .isInstanceOf(SinkUnavailableException.class).hasMessageContaining("was removed");
            assertThat(messages()).first().asString().startsWith("ERROR The queue's files changed");
            assertThat(messages()).hasSizeLessThanOrEqualTo(2);
        }
    }
}
