package dev.sluice.host.queue;

import dev.sluice.host.pipeline.QueueFullException;
import dev.sluice.host.pipeline.RoutedEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Accepted events go to the queue log first and are moved into queue.db after: what a crash
 * between the two leaves, and what the next start makes of it.
 */
class QueueLogRecoveryTest {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final Map<String, QueueLimit> LIMITS = Map.of("d", new QueueLimit(1000, 10_000_000));

    @TempDir
    Path dataDir;

    final MutableClock clock = new MutableClock(T0);
    final List<DurableQueue> opened = new ArrayList<>();

    @AfterEach
    void tearDown() {
        opened.forEach(DurableQueue::close);
    }

    DurableQueue open(Map<String, QueueLimit> limits) throws Exception {
        return open(limits, QueueDatabase.Synchronous.NORMAL);
    }

    DurableQueue open(Map<String, QueueLimit> limits, QueueDatabase.Synchronous synchronous) throws Exception {
        DurableQueue q = DurableQueue.open(QueueDatabase.open(dataDir, synchronous), limits, clock);
        opened.add(q);
        return q;
    }

    /** Closes a queue whose log moves were paused: its appended events stay only in the log, as after a crash. */
    void crash(DurableQueue q) {
        q.close();
        opened.remove(q);
    }

    static RoutedEvent event(String id) {
        return new RoutedEvent("d", id, ("{\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    static void accept(DurableQueue q, RoutedEvent... events) throws Exception {
        q.enqueueAsync(List.of(events)).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Event ids in queue.db, in id order, with their enqueued_at. */
    List<String> rows() throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = QueueDatabase.open(dataDir).connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT event_id, enqueued_at, event_json FROM queue_items ORDER BY id")) {
            while (rs.next()) {
                rows.add(rs.getString(1) + "@" + rs.getLong(2) + "=" + new String(rs.getBytes(3), StandardCharsets.UTF_8));
            }
        }
        return rows;
    }

    Path logDir() {
        return dataDir.resolve(IngestLog.DIR_NAME);
    }

    @Test
    void eventsAcceptedButNotMovedBeforeACrashAreInTheQueueAfterTheNextStart() throws Exception {
        DurableQueue q = open(LIMITS);
        q.pauseLogMoves();
        accept(q, event("a"), event("b"));
        clock.advance(java.time.Duration.ofSeconds(5));
        accept(q, event("c"));

        assertThat(rows()).as("acknowledged from the log, not moved yet").isEmpty();
        assertThat(q.depth("d").events()).as("counted in the queue's depth all the same").isEqualTo(3);
        crash(q);
        assertThat(IngestLog.segments(logDir())).isNotEmpty();

        DurableQueue again = open(LIMITS);

        long t0 = T0.toEpochMilli();
        assertThat(rows()).containsExactly("a@" + t0 + "={\"id\":\"a\"}", "b@" + t0 + "={\"id\":\"b\"}",
                "c@" + (t0 + 5000) + "={\"id\":\"c\"}");
        assertThat(again.depth("d").events()).isEqualTo(3);
        assertThat(again.destination("d").due(10)).extracting(QueuedEvent::eventId).containsExactly("a", "b", "c");
    }

    @Test
    void eventsMovedBeforeACrashAreNotMovedAgain() throws Exception {
        DurableQueue q = open(LIMITS);
        q.enqueue(List.of(event("moved-1"), event("moved-2")));
        assertThat(rows()).hasSize(2);
        q.pauseLogMoves();
        accept(q, event("logged-only"));
        // Both appends are in the same log file; the database knows how far it moved it.
        crash(q);

        open(LIMITS);

        assertThat(rows()).extracting(r -> r.substring(0, r.indexOf('@')))
                .containsExactly("moved-1", "moved-2", "logged-only");
    }

    @Test
    void theLogStartsAfreshAfterACleanCloseAndNothingIsMovedTwice() throws Exception {
        DurableQueue q = open(LIMITS);
        accept(q, event("1"));
        q.enqueue(List.of(event("2")));
        q.close();
        opened.remove(q);
        assertThat(IngestLog.segments(logDir())).as("everything moved: no log file kept").isEmpty();

        DurableQueue again = open(LIMITS);
        accept(again, event("3"));
        again.close();
        opened.remove(again);
        open(LIMITS);

        assertThat(rows()).extracting(r -> r.substring(0, r.indexOf('@'))).containsExactly("1", "2", "3");
    }

    @Test
    void aTornAppendAtTheEndOfTheLogIsLeftOutAndTheRestRecovered() throws Exception {
        DurableQueue q = open(LIMITS);
        q.pauseLogMoves();
        accept(q, event("x"), event("y"));
        crash(q);
        List<Long> files = IngestLog.segments(logDir());
        Path last = IngestLog.segmentFile(logDir(), files.get(files.size() - 1));
        Files.write(last, new byte[] {0, 0, 1, 0, 7, 7}, StandardOpenOption.APPEND);

        open(LIMITS);

        assertThat(rows()).extracting(r -> r.substring(0, r.indexOf('@'))).containsExactly("x", "y");
    }

    @Test
    void aFullQueueCountsWhatIsAcceptedButNotMovedYet() throws Exception {
        DurableQueue q = open(Map.of("d", new QueueLimit(3, 10_000_000)));
        q.pauseLogMoves();
        accept(q, event("1"), event("2"));
        accept(q, event("3"));

        assertThatThrownBy(() -> accept(q, event("4")))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(QueueFullException.class)
                .hasMessageContaining("destination d queue is full: 3 events");
    }

    @Test
    void withFullDurabilityEachAppendIsForcedAndTheEventsArriveAsWell() throws Exception {
        DurableQueue q = open(LIMITS, QueueDatabase.Synchronous.FULL);
        accept(q, event("f1"));
        q.enqueue(List.of(event("f2")));

        assertThat(q.destination("d").due(10)).extracting(QueuedEvent::eventId).containsExactly("f1", "f2");
    }

    @Test
    void aLargeRequestIsCommittedStraightIntoTheDatabase() throws Exception {
        DurableQueue q = open(LIMITS);
        q.pauseLogMoves();
        RoutedEvent[] small = new RoutedEvent[DurableQueue.DIRECT_FROM_EVENTS - 1];
        RoutedEvent[] large = new RoutedEvent[DurableQueue.DIRECT_FROM_EVENTS];
        for (int i = 0; i < large.length; i++) {
            large[i] = event("large-" + i);
            if (i < small.length) {
                small[i] = event("small-" + i);
            }
        }
        accept(q, small);
        assertThat(rows()).as("a small request waits in the log (moves paused)").isEmpty();

        accept(q, large);

        assertThat(rows()).as("a large one is in queue.db when answered").hasSize(large.length)
                .allSatisfy(r -> assertThat(r).startsWith("large-"));
        assertThat(q.depth("d").events()).isEqualTo(small.length + large.length);
    }
}
