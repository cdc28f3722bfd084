package dev.sluice.host.queue;

import dev.sluice.host.pipeline.QueueFullException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The single thread that writes the queue database. Whatever ops are waiting when it wakes are
 * applied in ONE transaction and committed together (group commit); each op's future completes
 * once that commit is on disk. All writes of this process go through here, so the in-memory
 * queue depths it maintains always match what is committed.
 */
final class GroupCommitWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);
    private static final int MAX_OPS_PER_COMMIT = 1024;
    /**
     * The writer leaves checkpoints to the {@link WalCheckpointer} but runs one itself after this
     * many commits, or when the checkpointer finds the log long: copying what is left right after
     * a commit lets the next one restart the log from its beginning, which a checkpoint racing a
     * writer that never pauses cannot.
     */
    static final int CHECKPOINT_EVERY_COMMITS = 1000;
    private static final WriteOp STOP = new WriteOp() {
        @Override
        void apply(Connection c, Transaction tx) {
        }
    };

    /**
     * Changes made by the ops of one transaction, applied to the depths after it committed, and
     * the writer's prepared statements for the ops to write with.
     */
    static final class Transaction {
        private final Map<String, long[]> deltas = new HashMap<>();
        private final Set<String> grown = new HashSet<>();
        private final Statements statements;

        Transaction(Statements statements) {
            this.statements = statements;
        }

        /**
         * The writer's prepared statement for {@code sql}, compiled once per connection and kept:
         * use it and leave it open (compiling a statement costs more than running it).
         */
        PreparedStatement statement(String sql) throws SQLException {
            return statements.get(sql);
        }

        /** The depth change recorded so far in this transaction for a destination. */
        long[] delta(String destinationId) {
            return deltas.getOrDefault(destinationId, new long[2]);
        }

        void add(String destinationId, long events, long bytes) {
            long[] d = deltas.computeIfAbsent(destinationId, k -> new long[2]);
            d[0] += events;
            d[1] += bytes;
            if (events > 0) {
                grown.add(destinationId);
            }
        }
    }

    /**
     * Writes that ride along in every transaction: the queue log's appended events, moved into
     * the database ({@link LogMover}). The writer calls it on its own thread only.
     */
    interface Mover {
        Mover NONE = new Mover() {
            @Override
            public boolean hasPending() {
                return false;
            }

            @Override
            public int apply(Transaction tx) {
                return 0;
            }

            @Override
            public void committed(int applied) {
            }

            @Override
            public long pendingEvents() {
                return 0;
            }
        };

        /** Whether anything waits to be written (the writer commits for it even with no op). */
        boolean hasPending();

        /** How much waits: below {@link #MOVE_AT_ONCE} a move alone waits a moment for more. */
        long pendingEvents();

        /** Writes what waits in the open transaction; returns a count for {@link #committed}. */
        int apply(Transaction tx) throws SQLException;

        /** The transaction in which {@link #apply} returned {@code applied} committed. */
        void committed(int applied);

        /** The transaction failed: what {@link #apply} wrote stays waiting. */
        default void failed() {
        }

        /** Whether the last try failed and writes still wait (then they get a transaction of their own). */
        default boolean failing() {
            return false;
        }
    }

    /** How soon a move that failed is tried again when no op comes first. */
    private static final long RETRY_MOVE_MILLIS = 50;
    /**
     * A transaction for moves alone (no op waiting) first lets this long's appends gather, unless
     * {@link #MOVE_AT_ONCE} events already wait: one commit per 5 ms instead of one per append,
     * which the log made unnecessary for acknowledging. Each commit rewrites the pages every
     * insert touches (the table's and index's last pages, the AUTOINCREMENT sequence) into the
     * WAL, and the checkpoint copies them again: under load, fewer and larger moves cost a
     * fifth less of the writer's time per event than moves every millisecond (measured at 8
     * senders). A move still lands within a few milliseconds, far under a delivery's latency.
     */
    private static final long MOVE_GATHER_MICROS = 5000;
    static final long MOVE_AT_ONCE = 2048;

    /** Asks the writer to move what the log appended; a no-op in its transaction. */
    private static final class Wake extends WriteOp {
        @Override
        void apply(Connection c, Transaction tx) {
        }
    }

    private final AtomicBoolean wakeQueued = new AtomicBoolean();

    /** What the writer tells its owner after every commit or resync. */
    interface Listener {
        void committed(Map<String, long[]> deltas, Set<String> grown);

        /**
         * Writes failed in the store: a whole transaction of {@code writes} ops, or single ops
         * whose statements SQLite refused (not a full queue: that is the op's own answer).
         */
        default void failed(Throwable error, int writes) {
        }

        /** A transaction committed with no op refused by the store. */
        default void succeeded() {
        }

        /** Just before COMMIT: throws to fail the whole transaction (e.g. its files were removed). */
        default void beforeCommit() throws SQLException {
        }

        /** Called on every turn of the writer's loop (at least every {@code recountEvery}). */
        default void tick() {
        }

        /** The true depths, recounted from the database. */
        void recounted(Map<String, QueueDepth> depths);
    }

    /** Prepared statements of the writer's connection, by SQL text; used by the writer thread only. */
    static final class Statements implements AutoCloseable {
        private final Connection connection;
        private final Map<String, PreparedStatement> bySql = new HashMap<>();

        Statements(Connection connection) {
            this.connection = connection;
        }

        PreparedStatement get(String sql) throws SQLException {
            PreparedStatement statement = bySql.get(sql);
            if (statement == null) {
                statement = connection.prepareStatement(sql);
                bySql.put(sql, statement);
            }
            return statement;
        }

        /** Runs a statement without parameters or results (BEGIN, COMMIT, SAVEPOINT ...). */
        void run(String sql) throws SQLException {
            get(sql).execute();
        }

        /**
         * Forgets every statement. After a failed statement the driver may have finalized it
         * while it still looks open (sqlite-jdbc does so for most errors): later uses would fail
         * with "statement is not executing", so after any failure they are compiled afresh.
         */
        void reset() {
            close();
        }

        @Override
        public void close() {
            for (PreparedStatement statement : bySql.values()) {
                try {
                    statement.close();
                } catch (SQLException ignored) {
                    // The connection is closed next anyway.
                }
            }
            bySql.clear();
        }
    }

    private final Connection connection;
    private final Mover mover;
    private final Statements statements;
    private final Listener listener;
    private final Duration recountEvery;
    private final LinkedBlockingQueue<WriteOp> ops = new LinkedBlockingQueue<>();
    private final Object submitLock = new Object();
    private final AtomicLong commits = new AtomicLong();
    private final Thread thread;
    private boolean closed;
    private long lastRecount = System.nanoTime();
    private long lastDataVersion;
    private int commitsSinceCheckpoint;
    private volatile boolean checkpointAsked;
    private int commitsBeforeRetry;

    GroupCommitWriter(Connection connection, Listener listener, Duration recountEvery) {
        this(connection, listener, recountEvery, Mover.NONE);
    }

    GroupCommitWriter(Connection connection, Listener listener, Duration recountEvery, Mover mover) {
        this.mover = Objects.requireNonNull(mover, "mover");
        this.connection = Objects.requireNonNull(connection, "connection");
        this.statements = new Statements(connection);
        this.listener = Objects.requireNonNull(listener, "listener");
        this.recountEvery = Objects.requireNonNull(recountEvery, "recountEvery");
        this.thread = new Thread(this::run, "sluice-queue-writer");
        this.thread.setDaemon(true);
    }

    /**
     * Counts the queues and starts writing. The data version is read before the count, so a
     * commit by another process in between is seen as a change and recounted, never missed.
     */
    void start() throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("PRAGMA wal_autocheckpoint = 0");
        }
        lastDataVersion = dataVersion();
        listener.recounted(QueueCounts.read(connection));
        thread.start();
    }

    /** Queues an op; false when the writer is closed (the op is not queued). */
    boolean submit(WriteOp op) {
        synchronized (submitLock) {
            if (closed) {
                return false;
            }
            ops.add(op);
            return true;
        }
    }

    /** Makes the writer commit soon (the mover has something), unless an op will make it anyway. */
    void wake() {
        if (wakeQueued.compareAndSet(false, true)) {
            submit(new Wake());
        }
    }

    /** Ops waiting for the writer. */
    int pending() {
        return ops.size();
    }

    /** Transactions committed so far. */
    long commits() {
        return commits.get();
    }

    private void run() {
        List<WriteOp> group = new ArrayList<>();
        boolean stopping = false;
        boolean lastFailed = false;
        while (!stopping) {
            WriteOp first;
            try {
                // More to move: at once after a good commit, a moment later after a failed one.
                long wait = !mover.hasPending() ? recountEvery.toMillis() : lastFailed ? RETRY_MOVE_MILLIS : 0;
                first = ops.poll(wait, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            group.clear();
            if (first != null) {
                group.add(first);
                ops.drainTo(group, MAX_OPS_PER_COMMIT - 1);
                if (group.remove(STOP)) {
                    stopping = true;
                }
            }
            if (first != null || mover.hasPending()) {
                if (!stopping && !lastFailed && onlyWakes(group) && mover.pendingEvents() < MOVE_AT_ONCE) {
                    try {
                        WriteOp next = ops.poll(MOVE_GATHER_MICROS, TimeUnit.MICROSECONDS);
                        if (next != null) {
                            group.add(next);
                            ops.drainTo(group, MAX_OPS_PER_COMMIT - group.size());
                            stopping = group.remove(STOP);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
                // Appends after this point wake the writer again.
                wakeQueued.set(false);
                if (mover.failing() && !onlyWakes(group)) {
                    // The ops alone first: a move the store refuses (a full disk) must not also fail
                    // the writes that would make room (settling delivered events deletes them).
                    boolean opsCommitted = commitGroup(group, false);
                    lastFailed = !commitGroup(new ArrayList<>(), true) || !opsCommitted;
                } else {
                    lastFailed = !commitGroup(group, true);
                }
                if (++commitsSinceCheckpoint >= CHECKPOINT_EVERY_COMMITS
                        || checkpointAsked && commitsSinceCheckpoint >= commitsBeforeRetry) {
                    // Not everything copied (the other checkpoint was running, or a reader needs
                    // old pages): try again a few commits later, not after every commit.
                    boolean copiedAll = checkpoint();
                    checkpointAsked = checkpointAsked && !copiedAll;
                    commitsBeforeRetry = copiedAll ? 0 : 4;
                    commitsSinceCheckpoint = 0;
                }
            }
            if (System.nanoTime() - lastRecount >= recountEvery.toNanos()) {
                recount();
            }
            listener.tick();
        }
        // Nothing can be submitted after STOP; anything left was queued before it.
        List<WriteOp> rest = new ArrayList<>();
        ops.drainTo(rest);
        rest.remove(STOP);
        boolean committed = commitGroup(rest, !mover.failing());
        // Move what is left of the log (more than one transaction's worth, or a move that failed
        // before: tried once more); what cannot be moved stays in the log for the next start.
        committed = committed || rest.isEmpty();
        while (committed && mover.hasPending()) {
            committed = commitGroup(new ArrayList<>(), true);
        }
    }

    private static boolean onlyWakes(List<WriteOp> group) {
        for (WriteOp op : group) {
            if (!(op instanceof Wake)) {
                return false;
            }
        }
        return true;
    }

    /** Applies and commits the group (and, with {@code withMoves}, the mover's writes); false when it failed. */
    private boolean commitGroup(List<WriteOp> group, boolean withMoves) {
        Mover mover = withMoves ? this.mover : Mover.NONE;
        List<WriteOp> live = new ArrayList<>(group.size());
        for (WriteOp op : group) {
            if (!op.abandoned()) {
                live.add(op);
            }
        }
        if (onlyWakes(live) && !mover.hasPending()) {
            // Nothing to write (what woke the writer was moved already).
            live.forEach(op -> op.done.complete(null));
            return true;
        }
        Transaction tx = new Transaction(statements);
        int moved;
        List<WriteOp> applied = new ArrayList<>(live.size());
        Map<WriteOp, QueueFullException> full = new LinkedHashMap<>();
        Exception storeError = null;
        int refusedByStore = 0;
        try {
            statements.run("BEGIN IMMEDIATE");
            moved = mover.apply(tx);
            Exception partWay = applyEach(live, tx, applied, full);
            if (partWay != null) {
                // An op failed part-way: undo the group and apply each op under its own savepoint,
                // so that op is undone alone and the others still commit.
                statements.reset();
                try {
                    statements.run("ROLLBACK");
                } catch (SQLException gone) {
                    // SQLite already rolled the whole transaction back (e.g. SQLITE_FULL): the
                    // group fails, with the cause that did it rather than "no transaction is active".
                    partWay.addSuppressed(gone);
                    throw partWay;
                }
                statements.run("BEGIN IMMEDIATE");
                tx = new Transaction(statements);
                moved = mover.apply(tx);
                applied.clear();
                full.clear();
                for (WriteOp op : live) {
                    statements.run("SAVEPOINT op");
                    try {
                        op.apply(connection, tx);
                        statements.run("RELEASE op");
                        applied.add(op);
                    } catch (Exception e) {
                        statements.reset();
                        try {
                            statements.run("ROLLBACK TO op");
                            statements.run("RELEASE op");
                        } catch (SQLException gone) {
                            // SQLite already rolled the whole transaction back (e.g. SQLITE_FULL):
                            // the group fails, with the cause that did it rather than "no such savepoint".
                            e.addSuppressed(gone);
                            throw e;
                        }
                        if (e instanceof SQLException) {
                            storeError = e;
                            refusedByStore++;
                        }
                        op.done.completeExceptionally(e);
                    }
                }
            }
            listener.beforeCommit();
            statements.run("COMMIT");
        } catch (Throwable e) {
            // Whatever went wrong, the writer thread must live on: later writes may succeed. The
            // listener tells the operator once per change of state, not once per transaction.
            LOG.debug("queue store transaction failed; {} writes refused", live.size(), e);
            listener.failed(e, live.size());
            mover.failed();
            statements.reset();
            rollbackQuietly();
            full.forEach((op, refused) -> op.done.completeExceptionally(refused));
            for (WriteOp op : live) {
                op.done.completeExceptionally(e);
            }
            return false;
        }
        full.forEach((op, refused) -> op.done.completeExceptionally(refused));
        commits.incrementAndGet();
        listener.committed(tx.deltas, tx.grown);
        mover.committed(moved);
        if (storeError != null) {
            LOG.debug("queue store refused {} writes", refusedByStore, storeError);
            listener.failed(storeError, refusedByStore);
        } else {
            listener.succeeded();
        }
        for (WriteOp op : applied) {
            op.done.complete(null);
        }
        return true;
    }

    /**
     * Applies every op in the open transaction without savepoints (two statements per op fewer):
     * an op refused as full wrote nothing ({@link QueueFullException} comes before any write) and
     * is failed alone once the others commit. Returns the failure of an op that failed in any
     * other way, which may have left part of its writes (the caller undoes the group), else null.
     */
    private static Exception applyEach(List<WriteOp> live, Transaction tx, List<WriteOp> applied,
                                       Map<WriteOp, QueueFullException> full) {
        for (WriteOp op : live) {
            try {
                op.apply(tx.statements.connection, tx);
                applied.add(op);
            } catch (QueueFullException e) {
                full.put(op, e);
            } catch (Exception e) {
                return e;
            }
        }
        return null;
    }

    /**
     * Recounts the depths when another connection (the dead-letter command) changed the file:
     * {@code PRAGMA data_version} moves only for commits made through other connections, so this
     * costs one pragma when nothing happened, and never a full scan.
     */
    private void recount() {
        lastRecount = System.nanoTime();
        try {
            long version = dataVersion();
            if (version == lastDataVersion) {
                return;
            }
            lastDataVersion = version;
            listener.recounted(QueueCounts.read(connection));
        } catch (SQLException e) {
            LOG.warn("could not recount queue depths", e);
        }
    }

    /** Asks for a checkpoint right after the next commit (the log has grown long). */
    void askForCheckpoint() {
        checkpointAsked = true;
    }

    /** Whether a checkpoint was asked for and has not copied the whole log yet. */
    boolean checkpointAsked() {
        return checkpointAsked;
    }

    /** A passive checkpoint; true when it copied the whole log (so the next commit starts it over). */
    private boolean checkpoint() {
        try {
            return WalCheckpointer.checkpoint(connection).copiedAll();
        } catch (SQLException e) {
            LOG.debug("checkpoint of the queue log failed; the next one tries again", e);
            return false;
        }
    }

    private long dataVersion() throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("PRAGMA data_version")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void rollbackQuietly() {
        try {
            statements.run("ROLLBACK");
        } catch (SQLException ignored) {
            statements.reset();
            // No transaction open any more: nothing to undo.
        }
    }

    /**
     * Stops taking ops, commits those already queued, and closes the connection, waiting at most
     * {@code wait} for the thread.
     */
    void close(Duration wait) throws InterruptedException {
        synchronized (submitLock) {
            if (closed) {
                return;
            }
            closed = true;
            ops.add(STOP);
        }
        thread.join(Math.max(1, wait.toMillis()));
        if (thread.isAlive()) {
            LOG.warn("queue writer did not finish within {}; closing its connection anyway", wait);
            thread.interrupt();
            thread.join(1000);
        }
        try {
            if (!thread.isAlive()) {
                statements.close();
            }
            connection.close();
        } catch (SQLException e) {
            LOG.warn("could not close the queue writer connection", e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        close(Duration.ofSeconds(30));
    }
}
