package dev.sluice.host.queue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Objects;

/** Writes one {@link Settlement}; the depth drops by what was really deleted. */
final class SettleOp extends WriteOp {

    private static final Instant LATEST = Instant.ofEpochMilli(Long.MAX_VALUE);
    private static final Instant EARLIEST = Instant.ofEpochMilli(Long.MIN_VALUE);

    private final String destinationId;
    private final Settlement settlement;
    private final long now;

    SettleOp(String destinationId, Settlement settlement, long now) {
        this.destinationId = Objects.requireNonNull(destinationId, "destinationId");
        this.settlement = Objects.requireNonNull(settlement, "settlement");
        this.now = now;
    }

    @Override
    void apply(Connection c, GroupCommitWriter.Transaction tx) throws Exception {
        long deletedEvents = 0;
        long deletedBytes = 0;
        {
            PreparedStatement delete = tx.statement("DELETE FROM queue_items WHERE id = ?");
            PreparedStatement update = tx.statement("UPDATE queue_items SET attempts = ?, "
                    + "first_attempt_at = ?, next_attempt_at = ?, last_error = ? WHERE id = ?");
            PreparedStatement dead = tx.statement("INSERT INTO dead_letters (destination_id, event_id, "
                    + "event_json, reason, attempts, enqueued_at, first_attempt_at, last_attempt_at, "
                    + "dead_lettered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
            for (QueuedEvent e : settlement.removed()) {
                if (deleteRow(delete, e)) {
                    deletedEvents++;
                    deletedBytes += e.json().length;
                }
            }
            for (Settlement.Retry r : settlement.retries()) {
                update.setInt(1, r.attempts());
                update.setLong(2, millis(r.firstAttemptAt()));
                update.setLong(3, millis(r.nextAttemptAt()));
                update.setString(4, r.lastError());
                update.setLong(5, r.event().rowId());
                update.executeUpdate();
            }
            for (Settlement.DeadLetterMove m : settlement.deadLetters()) {
                QueuedEvent e = m.event();
                // Only a row that was still queued becomes a dead letter: never two copies.
                if (!deleteRow(delete, e)) {
                    continue;
                }
                deletedEvents++;
                deletedBytes += e.json().length;
                dead.setString(1, destinationId);
                dead.setString(2, e.eventId());
                dead.setBytes(3, e.json());
                dead.setString(4, m.reason());
                dead.setInt(5, m.attempts());
                dead.setLong(6, e.enqueuedAt().toEpochMilli());
                setInstant(dead, 7, m.firstAttemptAt());
                setInstant(dead, 8, m.lastAttemptAt());
                dead.setLong(9, now);
                dead.executeUpdate();
            }
        }
        tx.add(destinationId, -deletedEvents, -deletedBytes);
    }

    private static boolean deleteRow(PreparedStatement delete, QueuedEvent e) throws SQLException {
        delete.setLong(1, e.rowId());
        return delete.executeUpdate() == 1;
    }

    private static void setInstant(PreparedStatement s, int index, Instant at) throws SQLException {
        if (at == null) {
            s.setNull(index, Types.INTEGER);
        } else {
            s.setLong(index, millis(at));
        }
    }

    /**
     * Epoch millis, saturated: a plugin may name a "not before" (e.g. {@link Instant#MAX}) that a
     * long cannot hold, and an exception here would fail the whole settlement, again and again.
     */
    private static long millis(Instant at) {
        if (at.isAfter(LATEST)) {
            return Long.MAX_VALUE;
        }
        return at.isBefore(EARLIEST) ? Long.MIN_VALUE : at.toEpochMilli();
    }
}
