package dev.sluice.host.queue;

import dev.sluice.host.pipeline.QueueFullException;
import dev.sluice.host.pipeline.SinkUnavailableException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One destination's queue as its delivery worker sees it. Reads go through a connection of its
 * own (WAL lets them run beside the writer); {@link #settle} goes through the store's writer.
 *
 * <p>Nothing marks an event as taken: the worker holds its batch in memory and a row leaves the
 * queue only when the outcome that removes it is committed. After a crash every row is simply
 * still there, due at its last scheduled time. Meant for one worker thread per destination.
 */
public final class DestinationQueue {

    private final DurableQueue store;
    private final String destinationId;
    private Connection reader;

    DestinationQueue(DurableQueue store, String destinationId) {
        this.store = store;
        this.destinationId = destinationId;
    }

    public String destinationId() {
        return destinationId;
    }

    /** Up to {@code limit} events due now by the store's clock, the earliest due first. */
    public List<QueuedEvent> due(int limit) throws SQLException {
        return due(limit, Set.of());
    }

    /**
     * Like {@link #due(int)}, leaving out the rows {@code inHand}: a batch the worker still holds
     * (being delivered, or its outcome not committed yet) is still queued, and must not be read twice.
     */
    public synchronized List<QueuedEvent> due(int limit, Set<Long> inHand) throws SQLException {
        long now = store.clock().millis();
        List<QueuedEvent> events = new ArrayList<>(Math.min(limit, 1024));
        try (PreparedStatement s = reader().prepareStatement("SELECT id, event_id, event_json, enqueued_at, "
                + "attempts, first_attempt_at, last_error FROM queue_items "
                + "WHERE destination_id = ? AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?")) {
            s.setString(1, destinationId);
            s.setLong(2, now);
            s.setInt(3, limit + inHand.size());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next() && events.size() < limit) {
                    if (inHand.contains(rs.getLong(1))) {
                        continue;
                    }
                    long first = rs.getLong(6);
                    Optional<Instant> firstAttempt = rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(first));
                    events.add(new QueuedEvent(rs.getLong(1), destinationId, rs.getString(2), rs.getBytes(3),
                            Instant.ofEpochMilli(rs.getLong(4)), rs.getInt(5), firstAttempt,
                            Optional.ofNullable(rs.getString(7))));
                }
            }
        }
        return events;
    }

    /** How many events are due now, counting no further than {@code limit}. */
    public synchronized int countDue(int limit) throws SQLException {
        try (PreparedStatement s = reader().prepareStatement("SELECT count(*) FROM (SELECT 1 FROM queue_items "
                + "WHERE destination_id = ? AND next_attempt_at <= ? LIMIT ?)")) {
            s.setString(1, destinationId);
            s.setLong(2, store.clock().millis());
            s.setInt(3, limit);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        }
    }

    /** When the earliest queued event is due; empty when the queue is empty. */
    public synchronized Optional<Instant> nextDueAt() throws SQLException {
        try (PreparedStatement s = reader().prepareStatement(
                "SELECT min(next_attempt_at) FROM queue_items WHERE destination_id = ?")) {
            s.setString(1, destinationId);
            try (ResultSet rs = s.executeQuery()) {
                if (rs.next()) {
                    long at = rs.getLong(1);
                    if (!rs.wasNull()) {
                        return Optional.of(Instant.ofEpochMilli(at));
                    }
                }
                return Optional.empty();
            }
        }
    }

    /**
     * Commits a batch's outcome in one transaction: deletes the removed events, reschedules the
     * retries, moves the dead letters. Returns once committed.
     *
     * @throws SinkUnavailableException the store is closed or could not write; nothing changed
     */
    public void settle(Settlement settlement) throws SinkUnavailableException {
        if (settlement.isEmpty()) {
            return;
        }
        try {
            store.await(new SettleOp(destinationId, settlement, store.clock().millis()), "settle a batch");
        } catch (QueueFullException e) {
            throw new IllegalStateException("settling never fills a queue", e);
        }
    }

    /**
     * Waits until new events were committed for this destination or the timeout passed.
     *
     * @return true when woken by new events (or {@link #wakeUp})
     */
    public boolean awaitNewEvents(Duration timeout) throws InterruptedException {
        return store.signal(destinationId).await(timeout);
    }

    /** Wakes a worker waiting in {@link #awaitNewEvents} (used to stop it, or after moving the clock). */
    public void wakeUp() {
        store.signal(destinationId).raise();
    }

    public QueueDepth depth() {
        return store.depth(destinationId);
    }

    private Connection reader() throws SQLException {
        if (store.isClosed()) {
            throw new SQLException("queue store is closed");
        }
        if (reader == null) {
            reader = store.database().connect();
        }
        return reader;
    }

    synchronized void closeReader() {
        if (reader != null) {
            try {
                reader.close();
            } catch (SQLException ignored) {
                // Closing a read-only connection: nothing is lost.
            }
            reader = null;
        }
    }
}
