package dev.sluice.host.queue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * The queued events that wait for a later attempt (a retry scheduled by backoff or by a
 * destination's "not before", e.g. the end of a daily limit): count them, or make them all due
 * now once the operator fixed the cause. Works on the database file directly, like
 * {@link DeadLetters}, so it can run while the host runs (SQLite locks the file; idle workers
 * look for due events at least once a second) or while it is stopped.
 *
 * <p>Only the due time changes: attempts, the first attempt's time (and so {@code retry_for})
 * and the last reason are kept, and queue depths do not move.
 */
public final class PendingRetries {

    private static final String WAITING = "next_attempt_at > ?1 AND (?2 IS NULL OR destination_id = ?2)";

    private final QueueDatabase database;
    private final Clock clock;

    public PendingRetries(QueueDatabase database, Clock clock) {
        this.database = Objects.requireNonNull(database, "database");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** How many queued events of one destination or (empty) of all are not due yet. */
    public long count(Optional<String> destinationId) throws SQLException {
        Objects.requireNonNull(destinationId, "destinationId");
        try (Connection c = database.connect();
             PreparedStatement s = c.prepareStatement("SELECT count(*) FROM queue_items WHERE " + WAITING)) {
            s.setLong(1, clock.millis());
            s.setString(2, destinationId.orElse(null));
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    /**
     * Makes every queued event of one destination or (empty) of all that is not due yet due now,
     * in one statement (all or none).
     *
     * @return how many events were made due
     */
    public int makeDueNow(Optional<String> destinationId) throws SQLException {
        Objects.requireNonNull(destinationId, "destinationId");
        try (Connection c = database.connect(); Statement tx = c.createStatement()) {
            // Take the write lock up front (waiting up to busy_timeout for the host's writer): a
            // read that turns into a write could fail half-way if the host commits in between.
            tx.execute("BEGIN IMMEDIATE");
            try (PreparedStatement s = c.prepareStatement(
                    "UPDATE queue_items SET next_attempt_at = ?1 WHERE " + WAITING)) {
                s.setLong(1, clock.millis());
                s.setString(2, destinationId.orElse(null));
                int made = s.executeUpdate();
                tx.execute("COMMIT");
                return made;
            } catch (SQLException | RuntimeException e) {
                tx.execute("ROLLBACK");
                throw e;
            }
        }
    }
}
