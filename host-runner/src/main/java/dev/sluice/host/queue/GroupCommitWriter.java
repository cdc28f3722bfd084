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
        while (!stopping) {
            WriteOp first;
            try {
                first = ops.poll(recountEvery.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (first != null) {
                group.clear();
                group.add(first);
                ops.drainTo(group, MAX_OPS_PER_COMMIT - 1);
                if (group.remove(STOP)) {
                    stopping = true;
                }
                commitGroup(group);
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
        commitGroup(rest);
    }

    private void commitGroup(List<WriteOp> group) {
        List<WriteOp> live = new ArrayList<>(group.size());
        for (WriteOp op : group) {
            if (!op.abandoned()) {
                live.add(op);
            }
        }
        if (live.isEmpty()) {
            return;
        }
        Transaction tx = new Transaction(statements);
        List<WriteOp> applied = new ArrayList<>(live.size());
        Map<WriteOp, QueueFullException> full = new LinkedHashMap<>();
        Exception storeError = null;
        int refusedByStore = 0;
        try {
            statements.run("BEGIN IMMEDIATE");
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
            statements.reset();
            rollbackQuietly();
            full.forEach((op, refused) -> op.done.completeExceptionally(refused));
            for (WriteOp op : live) {
                op.done.completeExceptionally(e);
            }
            return;
        }
        full.forEach((op, refused) -> op.done.completeExceptionally(refused));
        commits.incrementAndGet();
        listener.committed(tx.deltas, tx.grown);
        if (storeError != null) {
            LOG.debug("queue store refused {} writes", refusedByStore, storeError);
            listener.failed(storeError, refusedByStore);
        } else {
            listener.succeeded();
        }
        for (WriteOp op : applied) {
            op.done.complete(null);
        }
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
