package dev.sluice.host.queue;

import dev.sluice.host.pipeline.RoutedEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Moves what the {@link IngestLog} appended into {@code queue.db}: in the writer's transactions,
 * every group waiting (up to {@link #MAX_EVENTS_PER_MOVE} events) with the log position it
 * reaches, so a crash between the append and the move loses nothing ({@link #recover}) and a
 * crash after the move moves nothing twice. Events stay counted as pending (in their queue's
 * depth and limit) until the transaction that moved them committed; a failed move is tried again
 * with the next transaction, in log order.
 *
 * <p>Only the thread appending to the log (holding its append lock) adds; only the writer thread
 * applies and removes.
 */
final class LogMover implements GroupCommitWriter.Mover {

    private static final Logger LOG = LoggerFactory.getLogger(LogMover.class);

    static final int MAX_EVENTS_PER_MOVE = 8192;

    private final Path dir;
    private final ConcurrentLinkedQueue<IngestLog.Logged> waiting = new ConcurrentLinkedQueue<>();
    /** Appended, not yet moved, per destination: added to under the append lock, taken from by the writer. */
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicLong pendingEvents = new AtomicLong();
    private long lowestSegment;
    /** The last transaction failed while groups waited: the database refuses writes now. */
    private volatile boolean failing;
    /** For tests: a host that stops moving, as one that crashed before its moves. */
    private volatile boolean paused;

    LogMover(Path dir, long firstSegment) {
        this.dir = dir;
        this.lowestSegment = firstSegment;
    }

    private static final class Pending {
        final AtomicLong events = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
    }

    /** A group was appended (under the log's append lock); it counts as pending until moved. */
    void add(IngestLog.Logged logged) {
        logged.counts().<RuntimeException>forEach((id, events, bytes) -> {
            Pending p = pending.computeIfAbsent(id, k -> new Pending());
            p.events.addAndGet(events);
            p.bytes.addAndGet(bytes);
        });
        pendingEvents.addAndGet(logged.events());
        waiting.add(logged);
    }

    @Override
    public long pendingEvents() {
        return pendingEvents.get();
    }

    /** Events of a destination appended but not yet moved. */
    QueueDepth pending(String destinationId) {
        Pending p = pending.get(destinationId);
        if (p == null) {
            return QueueDepth.EMPTY;
        }
        return new QueueDepth(Math.max(0, p.events.get()), Math.max(0, p.bytes.get()));
    }

    /** Whether every appended group was moved (then the log files can all go). */
    boolean allMoved() {
        return waiting.isEmpty();
    }

    void pause() {
        paused = true;
    }

    @Override
    public void failed() {
        failing = true;
    }

    @Override
    public boolean failing() {
        return failing && !waiting.isEmpty();
    }

    @Override
    public boolean hasPending() {
        return !paused && !waiting.isEmpty();
    }

    @Override
    public int apply(GroupCommitWriter.Transaction tx) throws SQLException {
        if (paused || waiting.isEmpty()) {
            return 0;
        }
        QueueRows.Inserter rows = new QueueRows.Inserter(tx::statement);
        Tally moved = new Tally();
        IngestLog.Position end = null;
        int groups = 0;
        int events = 0;
        for (IngestLog.Logged logged : waiting) {
            if (groups > 0 && events + logged.events() > MAX_EVENTS_PER_MOVE) {
                break;
            }
            for (IngestLog.Request r : logged.requests()) {
                for (RoutedEvent e : r.events) {
                    rows.add(e, r.enqueuedAt);
                }
            }
            moved.addAll(logged.counts());
            events += logged.events();
            end = logged.end();
            groups++;
        }
        rows.finish();
        QueueRows.setLogPosition(tx.statement(QueueRows.LOG_POSITION), end);
        // Counted in the depths only once everything above is written.
        moved.<RuntimeException>forEach(tx::add);
        return groups;
    }

    @Override
    public void committed(int groups) {
        failing = false;
        IngestLog.Logged[] done = new IngestLog.Logged[groups];
        Tally moved = new Tally();
        long events = 0;
        for (int i = 0; i < groups; i++) {
            done[i] = waiting.poll();
            moved.addAll(done[i].counts());
            events += done[i].events();
        }
        // No longer pending (they are in the depths now) before anyone waiting for the move hears of it.
        moved.<RuntimeException>forEach((id, movedEvents, movedBytes) -> {
            Pending p = pending.get(id);
            p.events.addAndGet(-movedEvents);
            p.bytes.addAndGet(-movedBytes);
        });
        pendingEvents.addAndGet(-events);
        IngestLog.Position end = null;
        for (IngestLog.Logged logged : done) {
            for (IngestLog.Request r : logged.requests()) {
                r.moved();
            }
            end = logged.end();
        }
        if (end != null && end.segment() > lowestSegment) {
            IngestLog.deleteBefore(dir, end.segment());
            lowestSegment = end.segment();
        }
    }

    /**
     * Before the queue opens: moves every record of the log that the database does not hold yet
     * into it (the host stopped before moving them), one transaction per log file, each with the
     * position it reaches; then deletes the log files.
     *
     * @return the number of the first log file to write next (after every file there was)
     */
    static long recover(Connection c, Path dir) throws SQLException, IOException {
        IngestLog.Position moved = position(c);
        long last = moved == null ? 0 : moved.segment();
        long recovered = 0;
        for (long segment : IngestLog.segments(dir)) {
            last = Math.max(last, segment);
            if (moved != null && segment < moved.segment()) {
                continue;
            }
            long from = moved != null && segment == moved.segment() ? moved.offset() : 0;
            Path file = IngestLog.segmentFile(dir, segment);
            IngestLog.Read read = IngestLog.read(file, from);
            if (!read.complete()) {
                // Only an append that failed or was cut short by a crash of the machine leaves
                // this; such an append was never acknowledged.
                LOG.warn("The queue log {} ends with an incomplete record at byte {}; it was never acknowledged "
                        + "and is left out", file, read.end());
            }
            if (read.entries().isEmpty()) {
                continue;
            }
            move(c, read.entries(), new IngestLog.Position(segment, read.end()));
            recovered += read.entries().size();
        }
        if (recovered > 0) {
            LOG.info("Moved {} accepted events from the queue log into {} (the host had stopped before moving them)",
                    recovered, dir.resolveSibling(QueueDatabase.FILE_NAME));
        }
        IngestLog.deleteBefore(dir, Long.MAX_VALUE);
        return last + 1;
    }

    private static void move(Connection c, List<IngestLog.Entry> entries, IngestLog.Position end) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("BEGIN IMMEDIATE");
            try (GroupCommitWriter.Statements statements = new GroupCommitWriter.Statements(c)) {
                QueueRows.Inserter rows = new QueueRows.Inserter(statements::get);
                for (IngestLog.Entry entry : entries) {
                    rows.add(entry.event(), entry.enqueuedAt());
                }
                rows.finish();
                QueueRows.setLogPosition(statements.get(QueueRows.LOG_POSITION), end);
                s.execute("COMMIT");
            } catch (SQLException | RuntimeException e) {
                try {
                    s.execute("ROLLBACK");
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        }
    }

    /** How far the log was moved, or null when the database has never moved any. */
    static IngestLog.Position position(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT segment, end_offset FROM queue_log_position WHERE id = 1")) {
            return rs.next() ? new IngestLog.Position(rs.getLong(1), rs.getLong(2)) : null;
        }
    }
}
