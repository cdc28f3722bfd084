package dev.sluice.host.queue;

import dev.sluice.host.pipeline.QueueFullException;
import dev.sluice.host.pipeline.RoutedEvent;
import dev.sluice.host.pipeline.SinkUnavailableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DurableQueueTest {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dataDir;

    final MutableClock clock = new MutableClock(T0);
    final List<DurableQueue> opened = new ArrayList<>();
    final ExecutorService pool = Executors.newFixedThreadPool(50);

    @AfterEach
    void tearDown() throws Exception {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        opened.forEach(DurableQueue::close);
    }

    DurableQueue open(Map<String, QueueLimit> limits) throws Exception {
        DurableQueue q = DurableQueue.open(QueueDatabase.open(dataDir), limits, clock);
        opened.add(q);
        return q;
    }

    static RoutedEvent event(String destination, String id) {
        return new RoutedEvent(destination, id, ("{\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    long rowsInFile(String table) throws Exception {
        try (Connection c = QueueDatabase.open(dataDir).connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Keeps the writer busy until released, so that ops pile up behind it. */
    static final class BlockingOp extends WriteOp {
        final CountDownLatch running = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        void apply(Connection c, GroupCommitWriter.Transaction tx) throws Exception {
            running.countDown();
            assertThat(release.await(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    /** Holds the queue log's thread (and its append lock) until released, so that requests pile up behind it. */
    static final class BlockingRequest extends IngestLog.Request {
        final CountDownLatch running = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        BlockingRequest() {
            super(List.of(), 0);
        }

        @Override
        boolean mayAppendOnCaller() {
            return false;
        }

        @Override
        void beforeAppend() {
            running.countDown();
            try {
                assertThat(release.await(10, TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Holds the queue's writer inside a transaction until the returned op is released. */
    static BlockingOp blockWriter(DurableQueue q) throws InterruptedException {
        BlockingOp blocker = new BlockingOp();
        assertThat(q.writer().submit(blocker)).isTrue();
        assertThat(blocker.running.await(10, TimeUnit.SECONDS)).isTrue();
        return blocker;
    }

    static BlockingRequest blockLog(DurableQueue q) throws InterruptedException {
        BlockingRequest blocker = new BlockingRequest();
        assertThat(q.log().submit(blocker)).isTrue();
        assertThat(blocker.running.await(10, TimeUnit.SECONDS)).isTrue();
        return blocker;
    }

    static void awaitLogPending(DurableQueue q, int n) throws InterruptedException {
        awaitAtLeast(() -> q.log().pending(), n, "requests queued for the log");
    }

    /** Submits the write of these events to the writer itself (the path events with a dead-letter reason take). */
    static WriteOp submitToWriter(DurableQueue q, RoutedEvent... events) throws Exception {
        WriteOp op = q.enqueueOp(List.of(events));
        assertThat(q.writer().submit(op)).isTrue();
        return op;
    }

    static void awaitPending(DurableQueue q, int n) throws InterruptedException {
        awaitAtLeast(() -> q.writer().pending(), n, "writes queued for the writer");
    }

    /** Waits (at most 10 s) until {@code count} reaches {@code n}. */
    static void awaitAtLeast(java.util.function.IntSupplier count, int n, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (count.getAsInt() < n) {
            assertThat(System.nanoTime()).as("%d %s in time", n, what).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    @Test
    void concurrentEnqueuesShareOneAppendAndOneMove() throws Exception {
        DurableQueue q = open(Map.of("hs", new QueueLimit(1000, 1 << 20)));
        BlockingRequest blocker = blockLog(q);
        long appendsBefore = q.log().appends();
        long commitsBefore = q.commits();

        List<Future<?>> callers = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String id = "e" + i;
            callers.add(pool.submit(() -> {
                q.enqueue(List.of(event("hs", id)));
                return null;
            }));
        }
        awaitLogPending(q, 50);
        blocker.release.countDown();
        for (Future<?> f : callers) {
            f.get(10, TimeUnit.SECONDS);
        }

        // One write to the log for all 50 callers that waited behind the blocker, one move.
        assertThat(q.log().appends() - appendsBefore).isEqualTo(1);
        assertThat(q.commits() - commitsBefore).isEqualTo(1);
        assertThat(rowsInFile("queue_items")).isEqualTo(50);
        assertThat(q.depth("hs").events()).isEqualTo(50);
    }

    @Test
    void theWritersOwnGroupCommitTakesEveryOpWaitingBehindIt() throws Exception {
        DurableQueue q = open(Map.of("hs", new QueueLimit(1000, 1 << 20)));
        BlockingOp blocker = blockWriter(q);
        long commitsBefore = q.commits();
        List<WriteOp> ops = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ops.add(submitToWriter(q, event("hs", "w" + i)));
        }
        blocker.release.countDown();
        for (WriteOp op : ops) {
            op.done.get(10, TimeUnit.SECONDS);
        }

        // The blocker's commit, then one commit for all 20 ops that waited behind it.
        assertThat(q.commits() - commitsBefore).isEqualTo(2);
        assertThat(rowsInFile("queue_items")).isEqualTo(20);
    }

    @Test
    void anOpThatFailsPartWayIsUndoneAloneAndTheRestOfItsGroupCommits() throws Exception {
        DurableQueue q = open(Map.of("hs", new QueueLimit(1000, 1 << 20)));
        BlockingOp blocker = blockWriter(q);

        WriteOp before = submitToWriter(q, event("hs", "before"));
        // Writes a row, then fails: its row must not be committed with the others.
        WriteOp halfDone = new WriteOp() {
            @Override
            void apply(Connection c, GroupCommitWriter.Transaction tx) throws Exception {
                var insert = tx.statement("INSERT INTO queue_items (destination_id, event_id, event_json, "
                        + "enqueued_at, attempts, next_attempt_at) VALUES ('hs', 'half', x'7b7d', 0, 0, 0)");
                insert.executeUpdate();
                throw new IllegalStateException("failed after its first write");
            }
        };
        assertThat(q.writer().submit(halfDone)).isTrue();
        WriteOp after = submitToWriter(q, event("hs", "after"));
        awaitPending(q, 3);
        long commitsBefore = q.commits();
        blocker.release.countDown();
        before.done.get(10, TimeUnit.SECONDS);
        after.done.get(10, TimeUnit.SECONDS);

        assertThatThrownBy(() -> halfDone.done.get(10, TimeUnit.SECONDS)).hasRootCauseMessage("failed after its first write");
        assertThat(q.commits() - commitsBefore).as("the blocker's commit and one for the group").isEqualTo(2);
        try (Connection c = q.database().connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT group_concat(event_id) FROM (SELECT event_id FROM queue_items ORDER BY id)")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("before,after");
        }
        assertThat(q.depth("hs").events()).isEqualTo(2);
    }

    @Test
    void enqueueReturnsOnlyOnceCommittedForManyConcurrentCallers() throws Exception {
        DurableQueue q = open(Map.of("hs", new QueueLimit(1000, 1 << 20)));
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Long>> callers = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String id = "e" + i;
            callers.add(pool.submit(() -> {
                go.await(10, TimeUnit.SECONDS);
                q.enqueue(List.of(event("hs", id)));
                // Visible to a separate connection the moment enqueue returned: it is committed.
                try (Connection c = q.database().connect(); Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT count(*) FROM queue_items WHERE event_id = '" + id + "'")) {
                    rs.next();
                    return rs.getLong(1);
                }
            }));
        }
        go.countDown();
        for (Future<Long> f : callers) {
            assertThat(f.get(20, TimeUnit.SECONDS)).isEqualTo(1L);
        }
        assertThat(q.commits()).isBetween(1L, 50L);
        long bytes = 0;
        for (int i = 0; i < 50; i++) {
            bytes += event("hs", "e" + i).json().length;
        }
        assertThat(q.depth("hs")).isEqualTo(new QueueDepth(50, bytes));
    }

    @Test
    void refusesARequestThatWouldOverfillAQueueAndStoresNoneOfIt() throws Exception {
        DurableQueue q = open(Map.of("hs", new QueueLimit(3, 1 << 20), "other", new QueueLimit(100, 1 << 20)));
        q.enqueue(List.of(event("hs", "a"), event("hs", "b")));

        assertThatThrownBy(() -> q.enqueue(List.of(event("other", "x"), event("hs", "c"), event("hs", "d"))))
                .isInstanceOf(QueueFullException.class)
                .hasMessage("destination hs queue is full: 2 events / 20 bytes queued (limit 3 events / 1048576 bytes);"
                        + " try again later")
                .extracting(e -> ((QueueFullException) e).destinationId()).isEqualTo("hs");

        assertThat(rowsInFile("queue_items")).isEqualTo(2);
        assertThat(q.depth("other")).isEqualTo(QueueDepth.EMPTY);
        assertThat(q.depth("hs").events()).isEqualTo(2);
        q.enqueue(List.of(event("hs", "c")));
        assertThat(q.depth("hs").events()).isEqualTo(3);
    }

    @Test
    void refusesByStoredBytesToo() throws Exception {
        DurableQueue q = open(Map.of("hs", new QueueLimit(1000, 15)));
        q.enqueue(List.of(event("hs", "a")));
        assertThatThrownBy(() -> q.enqueue(List.of(event("hs", "b"))))
                .isInstanceOf(QueueFullException.class)
                .hasMessageContaining("1 events / 10 bytes queued (limit 1000 events / 15 bytes)");
        assertThat(rowsInFile("queue_items")).isEqualTo(1);
    }

    @Test
    void countsRequestsOfTheSameCommitAgainstTheLimitTogether() throws Exception {
        DurableQueue q = open(Map.of("hs", new QueueLimit(3, 1 << 20)));
        BlockingRequest blocker = blockLog(q);
        Future<?> first = pool.submit(() -> {
            q.enqueue(List.of(event("hs", "a"), event("hs", "b")));
            return null;
        });
        awaitLogPending(q, 1);
        Future<?> second = pool.submit(() -> {
            q.enqueue(List.of(event("hs", "c"), event("hs", "d")));
            return null;
        });
        awaitLogPending(q, 2);
        blocker.release.countDown();

        first.get(10, TimeUnit.SECONDS);
        assertThatThrownBy(() -> second.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(QueueFullException.class);
        assertThat(rowsInFile("queue_items")).isEqualTo(2);
        assertThat(q.depth("hs").events()).isEqualTo(2);
    }

    @Test
    void keepsQueuedEventsAcrossCloseAndReopen() throws Exception {
        DurableQueue q = open(Map.of("hs", new QueueLimit(1000, 1 << 20)));
        q.enqueue(List.of(event("hs", "a"), event("hs", "b"), event("hs", "c")));
        q.close();

        DurableQueue reopened = open(Map.of("hs", new QueueLimit(1000, 1 << 20)));
        assertThat(reopened.depth("hs")).isEqualTo(new QueueDepth(3, 30));
        List<QueuedEvent> due = reopened.destination("hs").due(10);
        assertThat(due).extracting(QueuedEvent::eventId).containsExactly("a", "b", "c");
        assertThat(new String(due.get(1).json(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":\"b\"}");
        assertThat(due.get(0).attempts()).isZero();
        assertThat(due.get(0).enqueuedAt()).isEqualTo(T0);
    }

    @Test
    void warnsAtOpenAboutEventsQueuedForADestinationNoLongerConfiguredAndKeepsThem() throws Exception {
        DurableQueue q = open(Map.of("hs", new QueueLimit(1000, 1 << 20), "old_crm", new QueueLimit(1000, 1 << 20)));
        q.enqueue(List.of(event("old_crm", "person@example.com"), event("old_crm", "b"), event("hs", "c")));
        q.close();
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logs =
                new ch.qos.logback.core.read.ListAppender<>();
        ch.qos.logback.classic.Logger queueLog =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(DurableQueue.class);
        logs.start();
        queueLog.addAppender(logs);
        DurableQueue reopened;
        try {
            reopened = open(Map.of("hs", new QueueLimit(1000, 1 << 20)));
        } finally {
            queueLog.detachAppender(logs);
        }

        assertThat(logs.list).singleElement().satisfies(e -> {
            assertThat(e.getLevel()).isEqualTo(ch.qos.logback.classic.Level.WARN);
            assertThat(e.getFormattedMessage()).contains("'old_crm'").contains("2 events")
                    .doesNotContain("person@example.com");
        });
        assertThat(reopened.depth("old_crm").events()).as("kept, not dropped").isEqualTo(2);
        assertThat(rowsInFile("queue_items")).isEqualTo(3);
    }

    @Test
    void aBatchTakenButNeverSettledIsDueAgainAfterACrash() throws Exception {
        DurableQueue q = open(Map.of("hs", new QueueLimit(1000, 1 << 20)));
        q.enqueue(List.of(event("hs", "a"), event("hs", "b")));
        assertThat(q.destination("hs").due(10)).hasSize(2);
        q.close(); // the worker died between reading and settling

        DurableQueue reopened = open(Map.of("hs", new QueueLimit(1000, 1 << 20)));
        assertThat(reopened.destination("hs").due(10)).extracting(QueuedEvent::eventId).containsExactly("a", "b");
    }

    @Test
    void settlingDeletesReschedulesAndDeadLettersInOneGo() throws Exception {
        DurableQueue q = open(Map.of("hs", new QueueLimit(1000, 1 << 20)));
        q.enqueue(List.of(event("hs", "ok"), event("hs", "later"), event("hs", "bad")));
        DestinationQueue hs = q.destination("hs");
        List<QueuedEvent> batch = hs.due(10);
        Instant now = T0.plusSeconds(1);
        clock.set(now);

        hs.settle(new Settlement(List.of(batch.get(0)),
                List.of(new Settlement.Retry(batch.get(1), 1, now, now.plusSeconds(5), "429 rate limited")),
                List.of(new Settlement.DeadLetterMove(batch.get(2), "invalid email", 1, now, now))));

        assertThat(q.depth("hs")).isEqualTo(new QueueDepth(1, batch.get(1).json().length));
        assertThat(hs.due(10)).isEmpty();
        assertThat(hs.nextDueAt()).contains(now.plusSeconds(5));
        clock.set(now.plusSeconds(5));
        List<QueuedEvent> again = hs.due(10);
        assertThat(again).singleElement().satisfies(e -> {
            assertThat(e.eventId()).isEqualTo("later");
            assertThat(e.attempts()).isEqualTo(1);
            assertThat(e.firstAttemptAt()).contains(now);
            assertThat(e.lastError()).contains("429 rate limited");
        });

        List<DeadLetter> dead = new DeadLetters(q.database(), clock).list(Optional.empty(), 10);
        assertThat(dead).singleElement().satisfies(d -> {
            assertThat(d.destinationId()).isEqualTo("hs");
            assertThat(d.eventId()).isEqualTo("bad");
            assertThat(d.reason()).isEqualTo("invalid email");
            assertThat(d.attempts()).isEqualTo(1);
            assertThat(d.firstAttemptAt()).contains(now);
            assertThat(d.lastAttemptAt()).contains(now);
            assertThat(d.enqueuedAt()).isEqualTo(T0);
            assertThat(new String(d.json(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":\"bad\"}");
        });
    }

    @Test
    void settlesARetryWhoseNotBeforeIsBeyondWhatEpochMillisCanHold() throws Exception {
        DurableQueue q = open(Map.of("hs", new QueueLimit(1000, 1 << 20)));
        q.enqueue(List.of(event("hs", "ok"), event("hs", "never")));
        DestinationQueue hs = q.destination("hs");
        List<QueuedEvent> batch = hs.due(10);

        // A plugin's "not before the end of time": the batch's other outcomes must still commit.
        hs.settle(new Settlement(List.of(batch.get(0)),
                List.of(new Settlement.Retry(batch.get(1), 1, T0, Instant.MAX, "paused until further notice")),
                List.of()));

        assertThat(q.depth("hs").events()).isEqualTo(1);
        assertThat(hs.due(10)).isEmpty();
        assertThat(hs.nextDueAt()).contains(Instant.ofEpochMilli(Long.MAX_VALUE));
    }

    @Test
    void refusesWritesOnceClosed() throws Exception {
        DurableQueue q = open(Map.of("hs", new QueueLimit(1000, 1 << 20)));
        q.close();
        assertThatThrownBy(() -> q.enqueue(List.of(event("hs", "a"))))
                .isInstanceOf(SinkUnavailableException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void givesUpWaitingForACommitAfterTheBoundAndThenStoresNothing() throws Exception {
        DurableQueue q = DurableQueue.open(QueueDatabase.open(dataDir), Map.of("hs", new QueueLimit(1000, 1 << 20)),
                clock, Duration.ofMillis(200));
        opened.add(q);
        BlockingRequest blocker = blockLog(q);

        assertThatThrownBy(() -> q.enqueue(List.of(event("hs", "late"))))
                .isInstanceOf(SinkUnavailableException.class)
                .hasMessageContaining("did not commit within PT0.2S");

        blocker.release.countDown();
        q.enqueue(List.of(event("hs", "next")));
        assertThat(q.destination("hs").due(10)).extracting(QueuedEvent::eventId).containsExactly("next");
    }

    @Test
    void asyncEnqueueCompletesOnlyOnceCommittedWithoutBlockingTheCaller() throws Exception {
        DurableQueue q = open(Map.of("hs", new QueueLimit(1000, 1 << 20)));
        BlockingRequest blocker = blockLog(q);

        java.util.concurrent.CompletableFuture<Void> stored =
                q.enqueueAsync(List.of(event("hs", "a"), event("hs", "b"))).toCompletableFuture();

        assertThat(stored).isNotDone();
        assertThat(q.depth("hs").events()).isZero();
        blocker.release.countDown();
        stored.get(10, TimeUnit.SECONDS);
        assertThat(q.depth("hs").events()).as("counted from the append on").isEqualTo(2);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (rowsInFile("queue_items") < 2) {
            assertThat(System.nanoTime()).as("moved into queue.db in time").isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    @Test
    void asyncEnqueueFailsWithTheSameErrorsAsTheBlockingOne() throws Exception {
        DurableQueue q = open(Map.of("hs", new QueueLimit(1, 1 << 20)));

        assertThat(q.enqueueAsync(List.of(event("hs", "a"), event("hs", "b"))).toCompletableFuture())
                .failsWithin(10, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOf(QueueFullException.class);
        assertThat(q.enqueueAsync(List.of(event("nowhere", "a"))).toCompletableFuture())
                .failsWithin(10, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOf(IllegalArgumentException.class);
        q.close();
        assertThat(q.enqueueAsync(List.of(event("hs", "c"))).toCompletableFuture())
                .failsWithin(10, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOf(SinkUnavailableException.class).withMessageContaining("closed");
        assertThat(rowsInFile("queue_items")).isZero();
    }

    @Test
    void requestsEnqueuedTogetherAreAppendedInOneWriteAndAdmittedEachOnItsOwn() throws Exception {
        DurableQueue q = open(Map.of("hs", new QueueLimit(3, 1 << 20), "other", new QueueLimit(100, 1 << 20)));
        long appendsBefore = q.log().appends();
        List<RoutedEvent> many = new ArrayList<>();
        for (int i = 0; i < DurableQueue.DIRECT_FROM_EVENTS; i++) {
            many.add(event("other", "bulk" + i));
        }

        List<java.util.concurrent.CompletableFuture<Void>> stages = q.enqueueAllAsync(List.of(
                        List.of(event("hs", "a"), event("hs", "b")),
                        List.of(event("hs", "c"), event("hs", "d")), // would make 4 of 3: refused alone
                        List.of(),
                        many, // large enough to be committed directly, not through the log
                        List.of(event("hs", "e")),
                        List.of(event("nowhere", "x"))))
                .stream().map(java.util.concurrent.CompletionStage::toCompletableFuture).toList();

        assertThat(stages.get(0)).succeedsWithin(10, TimeUnit.SECONDS);
        assertThat(stages.get(1)).failsWithin(10, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOf(QueueFullException.class);
        assertThat(stages.get(2)).succeedsWithin(10, TimeUnit.SECONDS);
        assertThat(stages.get(3)).succeedsWithin(10, TimeUnit.SECONDS);
        assertThat(stages.get(4)).succeedsWithin(10, TimeUnit.SECONDS);
        assertThat(stages.get(5)).failsWithin(10, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOf(IllegalArgumentException.class);
        // The two requests that went to the log (and the refused one) shared one write.
        assertThat(q.log().appends() - appendsBefore).isEqualTo(1);
        assertThat(q.depth("hs").events()).isEqualTo(3);
        q.close();
        DurableQueue reopened = open(Map.of("hs", new QueueLimit(3, 1 << 20), "other", new QueueLimit(100, 1 << 20)));
        assertThat(reopened.destination("hs").due(10)).extracting(QueuedEvent::eventId).containsExactly("a", "b", "e");
        assertThat(reopened.depth("other").events()).isEqualTo(DurableQueue.DIRECT_FROM_EVENTS);
    }

    @Test
    void requestsEnqueuedTogetherOnAClosedQueueAllFail() throws Exception {
        DurableQueue q = open(Map.of("hs", new QueueLimit(1000, 1 << 20)));
        q.close();
        for (var stage : q.enqueueAllAsync(List.of(List.of(event("hs", "a")), List.of(event("hs", "b"))))) {
            assertThat(stage.toCompletableFuture()).failsWithin(10, TimeUnit.SECONDS)
                    .withThrowableOfType(ExecutionException.class)
                    .havingCause().isInstanceOf(SinkUnavailableException.class).withMessageContaining("closed");
        }
        assertThat(rowsInFile("queue_items")).isZero();
    }

    @Test
    void asyncEnqueueGivesUpAfterTheCommitWaitAndThenStoresNothing() throws Exception {
        DurableQueue q = DurableQueue.open(QueueDatabase.open(dataDir), Map.of("hs", new QueueLimit(1000, 1 << 20)),
                clock, Duration.ofMillis(200));
        opened.add(q);
        BlockingRequest blocker = blockLog(q);

        assertThat(q.enqueueAsync(List.of(event("hs", "late"))).toCompletableFuture())
                .failsWithin(10, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOf(SinkUnavailableException.class)
                .withMessageContaining("did not commit within PT0.2S");

        blocker.release.countDown();
        q.enqueue(List.of(event("hs", "next")));
        assertThat(q.destination("hs").due(10)).extracting(QueuedEvent::eventId).containsExactly("next");
    }

    @Test
    void refusesEventsForADestinationItWasNotOpenedFor() throws Exception {
        DurableQueue q = open(Map.of("hs", new QueueLimit(1000, 1 << 20)));
        assertThatThrownBy(() -> q.enqueue(List.of(event("nowhere", "a"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no queue for destination 'nowhere'");
        assertThat(rowsInFile("queue_items")).isZero();
    }

    @Test
    void refusesASecondOpenOfTheSameDataDir() throws Exception {
        DurableQueue q = open(Map.of("hs", new QueueLimit(1000, 1 << 20)));
        assertThatThrownBy(() -> open(Map.of("hs", new QueueLimit(1000, 1 << 20))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is already open in another Sluice host");
        q.close();
        DurableQueue again = open(Map.of("hs", new QueueLimit(1000, 1 << 20)));
        assertThat(again.depth("hs")).isEqualTo(QueueDepth.EMPTY);
    }

    @Test
    void aFailingWriteIsUndoneAloneAndTheOthersOfItsCommitStand() throws Exception {
        DurableQueue q = open(Map.of("hs", new QueueLimit(1000, 1 << 20)));
        BlockingOp blocker = blockWriter(q);
        WriteOp failing = new WriteOp() {
            @Override
            void apply(Connection c, GroupCommitWriter.Transaction tx) throws Exception {
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("INSERT INTO queue_items (destination_id, event_id, event_json, enqueued_at, "
                            + "next_attempt_at) VALUES ('hs', 'half-written', x'00', 0, 0)");
                }
                throw new java.sql.SQLException("disk I/O error");
            }
        };
        q.writer().submit(failing);
        Future<?> good = pool.submit(() -> {
            q.enqueue(List.of(event("hs", "good")));
            return null;
        });
        awaitPending(q, 2);
        long commitsBefore = q.commits();
        blocker.release.countDown();

        good.get(10, TimeUnit.SECONDS);
        assertThatThrownBy(() -> failing.done.get(10, TimeUnit.SECONDS)).hasRootCauseMessage("disk I/O error");
        assertThat(q.commits() - commitsBefore).isEqualTo(2);
        assertThat(q.destination("hs").due(10)).extracting(QueuedEvent::eventId).containsExactly("good");
        assertThat(q.depth("hs").events()).isEqualTo(1);
    }
}
