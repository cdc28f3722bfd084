package dev.sluice.host.queue;

import dev.sluice.host.pipeline.AsyncEventSink;
import dev.sluice.host.pipeline.QueueFullException;
import dev.sluice.host.pipeline.RoutedEvent;
import dev.sluice.host.pipeline.SinkUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The durable per-destination queues, all in one {@link QueueDatabase}: what ingest writes to
 * ({@link EventSink}) and what delivery workers read from ({@link #destination}).
 *
 * <p>An enqueue is stored once its events are appended to the {@link IngestLog} (with every
 * request waiting at that moment); the single writer thread then moves them into the database
 * ({@link LogMover}). Requests of {@link #DIRECT_FROM_EVENTS} events or more, and events to be
 * dead-lettered, go to the writer directly, which commits whatever ops are waiting in one
 * transaction. Queue depths (events and bytes per destination) are counted in memory from the
 * database at open, kept up to date by the writer, and include what is appended and not moved yet;
 * they are recounted from the file when another process (the dead-letter command) changed it,
 * checked every 2 seconds. Between an append and its move the events are kept in memory too.
 */
public final class DurableQueue implements AsyncEventSink, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DurableQueue.class);

    /** How long an enqueue caller waits for its commit by default. */
    public static final Duration DEFAULT_COMMIT_WAIT = Duration.ofSeconds(10);
    static final Duration RECOUNT_EVERY = Duration.ofSeconds(2);

    private final QueueDatabase database;
    private final Map<String, QueueLimit> limits;
    private final Clock clock;
    private final Duration commitWait;
    private final Map<String, QueueDepth> depths = new ConcurrentHashMap<>();
    private final Map<String, WakeSignal> signals = new ConcurrentHashMap<>();
    private final Map<String, DestinationQueue> handles = new ConcurrentHashMap<>();
    private final GroupCommitWriter writer;
    private final LogMover mover;
    private IngestLog log;
    private DataDirLock lock;
    private WalCheckpointer checkpointer;
    private final StoreHealth health;
    private volatile boolean closed;
    /** Gives up on async enqueues not committed within {@code commitWait}, as {@link #enqueue} does. */
    private final ScheduledThreadPoolExecutor commitTimer = commitTimer();
    /**
     * Async enqueues waiting for their commit, oldest first: the commit timer looks at the head a
     * few times per commit wait (one timer task per enqueue cost more than the enqueue's own work).
     */
    private final ConcurrentLinkedQueue<Waiting> waiting = new ConcurrentLinkedQueue<>();

    private record Waiting(CompletableFuture<Void> done, long deadlineNanos) {
    }

    private DurableQueue(QueueDatabase database, Map<String, QueueLimit> limits, Clock clock,
                         Duration commitWait, Connection writeConnection, Duration recountEvery, LogMover mover)
            throws SQLException {
        this.mover = mover;
        this.database = database;
        // One map class whatever the number of destinations (Map.copyOf has one for a single entry):
        // the JIT's code for the ingest path then serves every queue in a JVM alike.
        this.limits = Collections.unmodifiableMap(new HashMap<>(limits));
        this.clock = clock;
        this.commitWait = commitWait;
        this.health = new StoreHealth(database.file(), DataDirLock.fileFor(database.file()), clock);
        long sweepMillis = Math.max(5, Math.min(100, commitWait.toMillis() / 20));
        commitTimer.scheduleWithFixedDelay(this::giveUpOnLateCommits, sweepMillis, sweepMillis, TimeUnit.MILLISECONDS);
        this.writer = new GroupCommitWriter(writeConnection, new GroupCommitWriter.Listener() {
            @Override
            public void failed(Throwable error, int writes) {
                health.failed(error, writes);
            }

            @Override
            public void tick() {
                health.tick();
            }

            @Override
            public void beforeCommit() throws SQLException {
                health.requireFiles();
            }

            @Override
            public void succeeded() {
                health.succeeded();
            }

            @Override
            public void committed(Map<String, long[]> deltas, Set<String> grown) {
                deltas.forEach((id, d) -> depths.compute(id,
                        (k, depth) -> (depth == null ? QueueDepth.EMPTY : depth).plus(d[0], d[1])));
                grown.forEach(id -> signal(id).raise());
            }

            @Override
            public void recounted(Map<String, QueueDepth> counted) {
                depths.keySet().retainAll(counted.keySet());
                depths.putAll(counted);
            }
        }, recountEvery, mover);
    }

    /** What the queue log asks of this queue. */
    private IngestLog.Owner logOwner() {
        return new IngestLog.Owner() {
            @Override
            public void admit(String destinationId, long events, long bytes, long admittedEvents, long admittedBytes)
                    throws QueueFullException {
                checkRoom(destinationId, depth(destinationId).plus(admittedEvents, admittedBytes), events, bytes);
            }

            @Override
            public void requireFiles() throws SQLException {
                health.requireFiles();
            }

            @Override
            public void failed(Throwable error, int writes) {
                health.failed(error, writes);
            }

            @Override
            public Optional<String> refusal() {
                // While the store refuses writes (told by the health, cleared by its next good
                // commit) and what was appended cannot be moved: as before the log, answer 503.
                return mover.failing() ? health.problem() : Optional.empty();
            }

            @Override
            public void refused(int writes) {
                health.refused(writes);
            }

            @Override
            public void appended(IngestLog.Logged group) {
                mover.add(group);
                writer.wake();
            }
        };
    }

    /** Refuses {@code events} more events of {@code bytes} bytes when the queue, at {@code now}, has no room. */
    private void checkRoom(String id, QueueDepth now, long events, long bytes) throws QueueFullException {
        QueueLimit limit = limits.get(id);
        if (!limit.admits(now, events, bytes)) {
            throw new QueueFullException(id, "destination " + id + " queue is full: " + now.events()
                    + " events / " + now.bytes() + " bytes queued (limit " + limit.maxEvents()
                    + " events / " + limit.maxBytes() + " bytes); try again later");
        }
    }

    private void warnAboutUnconfiguredDestinations() {
        depths.forEach((id, depth) -> {
            if (!limits.containsKey(id) && depth.events() > 0) {
                // Kept, not dropped: configuring the destination again delivers them.
                LOG.warn("the queue holds {} events ({} bytes) for destination '{}', which is not configured: "
                        + "they are kept but not delivered until a destination with that id is configured again",
                        depth.events(), depth.bytes(), id);
            }
        });
    }

    /**
     * Opens the queues. Only one open queue per data dir: a second host (or a second open in
     * this process) is refused with an {@link IllegalStateException}.
     *
     * @param database   the queue database
     * @param limits     every destination that may be enqueued to, with its limit
     * @param clock      the time stamped on queued events
     * @param commitWait how long {@link #enqueue} waits for its commit before giving up
     */
    public static DurableQueue open(QueueDatabase database, Map<String, QueueLimit> limits, Clock clock,
                                    Duration commitWait) throws SQLException {
        return open(database, limits, clock, commitWait, RECOUNT_EVERY);
    }

    public static DurableQueue open(QueueDatabase database, Map<String, QueueLimit> limits, Clock clock)
            throws SQLException {
        return open(database, limits, clock, DEFAULT_COMMIT_WAIT);
    }

    static DurableQueue open(QueueDatabase database, Map<String, QueueLimit> limits, Clock clock,
                             Duration commitWait, Duration recountEvery) throws SQLException {
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(commitWait, "commitWait");
        DataDirLock lock;
        try {
            lock = DataDirLock.acquire(database.file());
        } catch (IOException e) {
            throw new SQLException("cannot lock the queue in " + database.file().getParent() + ": " + e.getMessage(), e);
        }
        Connection c = null;
        Connection checkpoints = null;
        DurableQueue queue = null;
        Path logDir = IngestLog.dirOf(database.file());
        try {
            c = database.connect();
            long nextSegment;
            try {
                nextSegment = LogMover.recover(c, logDir);
            } catch (IOException e) {
                throw new SQLException("cannot read the queue log in " + logDir + ": " + e.getMessage(), e);
            }
            checkpoints = database.connect();
            queue = new DurableQueue(database, limits, clock, commitWait, c, recountEvery,
                    new LogMover(logDir, nextSegment));
            queue.lock = lock;
            queue.writer.start();
            try {
                queue.log = IngestLog.start(logDir, nextSegment, database.synchronous() == QueueDatabase.Synchronous.FULL,
                        queue.logOwner());
            } catch (IOException e) {
                throw new SQLException("cannot write the queue log in " + logDir + ": " + e.getMessage(), e);
            }
            queue.checkpointer = new WalCheckpointer(checkpoints, queue.writer::askForCheckpoint,
                    queue.writer::checkpointAsked);
            queue.checkpointer.start();
            queue.warnAboutUnconfiguredDestinations();
            return queue;
        } catch (SQLException | RuntimeException e) {
            if (c != null) {
                c.close();
            }
            if (checkpoints != null) {
                checkpoints.close();
            }
            if (queue != null) {
                queue.commitTimer.shutdownNow();
                try {
                    queue.writer.close(Duration.ofSeconds(5));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            try {
                lock.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /**
     * Stores every event durably (one append or commit shared with concurrent callers), or none of
     * them, and waits (within the commit wait) until they are readable in the database.
     *
     * @throws QueueFullException       a destination of these events is over its limit
     * @throws SinkUnavailableException the store is closed, failed to write, or did not commit in time
     * @throws IllegalArgumentException an event is bound to a destination this queue was not opened for
     */
    @Override
    public void enqueue(List<RoutedEvent> events) throws QueueFullException, SinkUnavailableException {
        Objects.requireNonNull(events, "events");
        if (events.isEmpty()) {
            return;
        }
        if (direct(events)) {
            await(enqueueOp(events), "enqueue");
            return;
        }
        IngestLog.Request request = logRequest(events, true);
        if (closed || !log.submit(request)) {
            throw new SinkUnavailableException("queue store is closed; cannot enqueue", null);
        }
        long deadline = System.nanoTime() + commitWait.toNanos();
        await(request.done, "enqueue");
        // Stored. A blocking caller also reads its own writes: wait (within the commit wait, and
        // while the database takes writes) until the events are in it; else they move later.
        try {
            while (!request.moved.isDone() && !mover.failing() && deadline - System.nanoTime() > 0) {
                try {
                    request.moved.get(Math.min(50_000_000L, Math.max(0, deadline - System.nanoTime())),
                            TimeUnit.NANOSECONDS);
                } catch (TimeoutException stillMoving) {
                    // look again
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            LOG.debug("stored events not moved into the queue database yet", e);
        }
    }

    /**
     * Whether these events go to the writer in a transaction of their own rather than through the
     * log: events with a dead-letter reason, and large requests, whose transaction costs little per
     * event (the log would write them twice for nothing).
     */
    private static boolean direct(List<RoutedEvent> events) {
        return events.size() >= DIRECT_FROM_EVENTS || anyDeadLetter(events);
    }

    /** The answer of an enqueue stored before it returned (a stage no caller can complete). */
    private static final CompletionStage<Void> STORED = CompletableFuture.completedStage(null);

    /** Requests of this many events or more are committed directly (see {@link #direct}). */
    static final int DIRECT_FROM_EVENTS = 64;

    private static boolean anyDeadLetter(List<RoutedEvent> events) {
        for (RoutedEvent e : events) {
            if (e.deadLetterReason().isPresent()) {
                return true;
            }
        }
        return false;
    }

    /**
     * The append of these events to the queue log, once every one is bound to a destination this
     * queue has; {@code awaitsMove} for a caller that waits until they are in the database.
     */
    private IngestLog.Request logRequest(List<RoutedEvent> events, boolean awaitsMove) throws SinkUnavailableException {
        checkStorable(events);
        return new IngestLog.Request(List.copyOf(events), clock.millis(), awaitsMove);
    }

    /** Why new events cannot be stored now (disk full, files removed, ...), if they cannot. */
    public Optional<String> storeProblem() {
        return health.problem();
    }

    /** The write of these events, once every one is bound to a destination this queue has. */
    EnqueueOp enqueueOp(List<RoutedEvent> events) throws SinkUnavailableException {
        checkStorable(events);
        return new EnqueueOp(List.copyOf(events), clock.millis());
    }

    private void checkStorable(List<RoutedEvent> events) throws SinkUnavailableException {
        Optional<String> gone = health.filesGone();
        if (gone.isPresent()) {
            throw new SinkUnavailableException("cannot store events: " + gone.get(), null);
        }
        for (RoutedEvent e : events) {
            if (!limits.containsKey(e.destinationId())) {
                throw new IllegalArgumentException("no queue for destination '" + e.destinationId() + "'");
            }
        }
    }

    /**
     * Like {@link #enqueue}, without blocking the caller: the stage completes once the events are
     * stored (appended to the log, or committed), or exceptionally with {@link QueueFullException}
     * or {@link SinkUnavailableException} (nothing stored; a write not done within the commit wait
     * is withdrawn, unless it was already being written, in which case it may still land). It
     * completes on the thread that wrote it (the caller's, the log's or the writer's) or the commit
     * timer's.
     */
    @Override
    public CompletionStage<Void> enqueueAsync(List<RoutedEvent> events) {
        return enqueueAllAsync(List.of(events)).get(0);
    }

    /**
     * {@link #enqueueAsync} for several requests at once: what goes to the log is appended in one
     * write. One stage per request, in order; each request is admitted (or refused as full) on its own.
     */
    @Override
    public List<CompletionStage<Void>> enqueueAllAsync(List<List<RoutedEvent>> requests) {
        Objects.requireNonNull(requests, "requests");
        List<CompletionStage<Void>> stages = new ArrayList<>(requests.size());
        List<IngestLog.Request> logged = new ArrayList<>(requests.size());
        for (List<RoutedEvent> events : requests) {
            try {
                if (events.isEmpty()) {
                    stages.add(STORED);
                    continue;
                }
                if (direct(events)) {
                    EnqueueOp op = enqueueOp(events);
                    stages.add(stage(closed || !writer.submit(op) ? null : op.done));
                } else {
                    IngestLog.Request request = logRequest(events, false);
                    logged.add(request);
                    stages.add(null); // filled in once the log took them
                }
            } catch (RuntimeException | SinkUnavailableException e) {
                stages.add(CompletableFuture.failedFuture(e)); // this request's failure alone
            }
        }
        if (logged.isEmpty()) {
            return stages;
        }
        boolean submitted = !closed && log.submit(logged);
        int next = 0;
        for (int i = 0; i < stages.size(); i++) {
            if (stages.get(i) == null) {
                stages.set(i, stage(submitted ? logged.get(next++).done : null));
            }
        }
        return stages;
    }

    /** What the caller of an async enqueue hears of its write; null: the store was closed. */
    private CompletionStage<Void> stage(CompletableFuture<Void> done) {
        if (done == null) {
            return CompletableFuture.failedFuture(
                    new SinkUnavailableException("queue store is closed; cannot enqueue", null));
        }
        if (done.isDone() && !done.isCompletedExceptionally()) {
            return STORED; // appended by the caller's own thread: nothing to wait for
        }
        waiting.add(new Waiting(done, System.nanoTime() + commitWait.toNanos()));
        CompletableFuture<Void> result = new CompletableFuture<>();
        done.whenComplete((ok, error) -> {
            if (error == null) {
                result.complete(null);
                return;
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof CancellationException) {
                result.completeExceptionally(new SinkUnavailableException("queue store did not commit within "
                        + commitWait + "; cannot enqueue now", null));
            } else if (cause instanceof QueueFullException || cause instanceof SinkUnavailableException) {
                result.completeExceptionally(cause);
            } else {
                result.completeExceptionally(new SinkUnavailableException("queue store failed to enqueue: "
                        + cause.getMessage(), cause));
            }
        });
        return result;
    }

    /** Withdraws the async enqueues whose commit wait ran out (the writer skips withdrawn ops). */
    private void giveUpOnLateCommits() {
        long now = System.nanoTime();
        for (Waiting w = waiting.peek(); w != null; w = waiting.peek()) {
            boolean done = w.done().isDone();
            if (!done && now - w.deadlineNanos() < 0) {
                return;
            }
            waiting.poll();
            if (!done) {
                w.done().cancel(false);
            }
        }
    }

    private static ScheduledThreadPoolExecutor commitTimer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "sluice-queue-commit-timer");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    /**
     * The queue of one destination, for its delivery worker. The same handle is returned for the
     * same id until {@link #close}.
     */
    public DestinationQueue destination(String destinationId) {
        Objects.requireNonNull(destinationId, "destinationId");
        if (closed) {
            throw new IllegalStateException("queue store is closed");
        }
        return handles.computeIfAbsent(destinationId, id -> new DestinationQueue(this, id));
    }

    /** What is queued for a destination now (in the database, or accepted and not moved there yet). */
    public QueueDepth depth(String destinationId) {
        QueueDepth stored = depths.getOrDefault(destinationId, QueueDepth.EMPTY);
        QueueDepth pending = mover.pending(destinationId);
        return stored.plus(pending.events(), pending.bytes());
    }

    /** For tests: stop moving the queue log into the database, as a host that crashes before its moves. */
    void pauseLogMoves() {
        mover.pause();
    }

    /** Transactions committed by the writer since open: fewer than enqueue calls when grouping works. */
    public long commits() {
        return writer.commits();
    }

    public QueueDatabase database() {
        return database;
    }

    boolean isClosed() {
        return closed;
    }

    GroupCommitWriter writer() {
        return writer;
    }

    IngestLog log() {
        return log;
    }

    Clock clock() {
        return clock;
    }

    WakeSignal signal(String destinationId) {
        return signals.computeIfAbsent(destinationId, id -> new WakeSignal());
    }

    /** Runs an op on the writer and waits for its commit. */
    void await(WriteOp op, String what) throws QueueFullException, SinkUnavailableException {
        if (closed || !writer.submit(op)) {
            throw new SinkUnavailableException("queue store is closed; cannot " + what, null);
        }
        await(op.done, what);
    }

    /** Waits for a submitted write (within the commit wait, then gives up on it). */
    private void await(CompletableFuture<Void> done, String what) throws QueueFullException, SinkUnavailableException {
        try {
            done.get(commitWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            if (done.cancel(false)) {
                throw new SinkUnavailableException("queue store did not commit within " + commitWait
                        + "; cannot " + what + " now", e);
            }
            // It completed just now: report how.
            rethrow(done, what);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            done.cancel(false);
            throw new SinkUnavailableException("interrupted while waiting for the queue store", e);
        } catch (ExecutionException | CancellationException e) {
            rethrow(done, what);
        }
    }

    private static void rethrow(CompletableFuture<Void> done, String what) throws QueueFullException, SinkUnavailableException {
        if (!done.isCompletedExceptionally()) {
            return;
        }
        if (done.isCancelled()) {
            throw new SinkUnavailableException("queue store gave up on this write", null);
        }
        Throwable cause = done.handle((ok, err) -> err).join();
        if (cause instanceof QueueFullException full) {
            throw new QueueFullException(full.destinationId(), full.getMessage());
        }
        throw new SinkUnavailableException("queue store failed to " + what + ": " + cause.getMessage(), cause);
    }

    /**
     * Stops taking writes, commits what is already waiting, closes every connection. Delivery
     * workers must be stopped first.
     */
    @Override
    public void close() {
        closed = true;
        if (checkpointer != null) {
            checkpointer.close();
        }
        if (log != null) {
            log.close();
        }
        try {
            writer.close(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (log != null && mover.allMoved()) {
            // Everything appended is in the database: the log starts afresh at the next open.
            IngestLog.deleteBefore(IngestLog.dirOf(database.file()), Long.MAX_VALUE);
        }
        commitTimer.shutdownNow();
        handles.values().forEach(DestinationQueue::closeReader);
        handles.clear();
        synchronized (this) {
            if (lock != null) {
                try {
                    lock.close();
                } catch (IOException e) {
                    // The lock goes with the process anyway.
                }
                lock = null;
            }
        }
    }

    final class EnqueueOp extends WriteOp {
        private final List<RoutedEvent> events;
        private final long now;

        EnqueueOp(List<RoutedEvent> events, long now) {
            this.events = events;
            this.now = now;
        }

        @Override
        void apply(Connection c, GroupCommitWriter.Transaction tx) throws Exception {
            Map<String, long[]> wanted = new LinkedHashMap<>();
            for (RoutedEvent e : events) {
                if (e.deadLetterReason().isPresent()) {
                    continue;
                }
                long[] w = wanted.computeIfAbsent(e.destinationId(), k -> new long[2]);
                w[0]++;
                w[1] += e.json().length;
            }
            for (Map.Entry<String, long[]> w : wanted.entrySet()) {
                String id = w.getKey();
                long[] inTx = tx.delta(id);
                checkRoom(id, depth(id).plus(inTx[0], inTx[1]), w.getValue()[0], w.getValue()[1]);
            }
            boolean anyDead = false;
            {
                QueueRows.Inserter rows = new QueueRows.Inserter(tx::statement);
                for (RoutedEvent e : events) {
                    if (e.deadLetterReason().isPresent()) {
                        anyDead = true;
                        continue;
                    }
                    rows.add(e, now);
                }
                rows.finish();
            }
            if (anyDead) {
                // Accepted events the host itself could not prepare (a failing transform): kept, in
                // the same commit, where an operator sees them and can replay them.
                {
                    PreparedStatement dead = tx.statement("INSERT INTO dead_letters (destination_id, "
                            + "event_id, event_json, reason, attempts, enqueued_at, first_attempt_at, last_attempt_at, "
                            + "dead_lettered_at) VALUES (?, ?, ?, ?, 0, ?, NULL, NULL, ?)");
                    dead.clearBatch();
                    for (RoutedEvent e : events) {
                        if (e.deadLetterReason().isEmpty()) {
                            continue;
                        }
                        dead.setString(1, e.destinationId());
                        dead.setString(2, e.eventId());
                        dead.setBytes(3, e.json());
                        dead.setString(4, e.deadLetterReason().get());
                        dead.setLong(5, now);
                        dead.setLong(6, now);
                        dead.addBatch();
                    }
                    dead.executeBatch();
                }
            }
            wanted.forEach((id, w) -> tx.add(id, w[0], w[1]));
        }
    }
}
