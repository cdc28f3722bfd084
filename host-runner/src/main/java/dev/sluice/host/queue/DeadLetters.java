package dev.sluice.host.queue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The dead-letter store: list what was given up, and replay it into the queue. Works on the
 * database file directly, so it can run in the dead-letter command while the host runs (SQLite
 * locks the file; the host's queue depths catch up within about 2 seconds) or while it is
 * stopped.
 */
public final class DeadLetters {

    private final QueueDatabase database;
    private final Clock clock;

    public DeadLetters(QueueDatabase database, Clock clock) {
        this.database = Objects.requireNonNull(database, "database");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Up to {@code limit} dead letters, oldest first, of one destination or (empty) of all. */
    public List<DeadLetter> list(Optional<String> destinationId, int limit) throws SQLException {
        Objects.requireNonNull(destinationId, "destinationId");
        List<DeadLetter> letters = new ArrayList<>();
        try (Connection c = database.connect();
             PreparedStatement s = c.prepareStatement("SELECT id, destination_id, event_id, event_json, reason, "
                     + "attempts, enqueued_at, first_attempt_at, last_attempt_at, dead_lettered_at "
                     + "FROM dead_letters WHERE (?1 IS NULL OR destination_id = ?1) ORDER BY id LIMIT ?2")) {
            s.setString(1, destinationId.orElse(null));
            s.setInt(2, limit);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    letters.add(new DeadLetter(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getBytes(4),
                            rs.getString(5), rs.getInt(6), Instant.ofEpochMilli(rs.getLong(7)),
                            instant(rs, 8), instant(rs, 9), Instant.ofEpochMilli(rs.getLong(10))));
                }
            }
        }
        return letters;
    }

    /** The destinations that have dead letters, sorted. */
    public List<String> destinations() throws SQLException {
        List<String> ids = new ArrayList<>();
        try (Connection c = database.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT DISTINCT destination_id FROM dead_letters ORDER BY 1")) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }

    /** How many dead letters there are for one destination or (empty) for all. */
    public long count(Optional<String> destinationId) throws SQLException {
        try (Connection c = database.connect();
             PreparedStatement s = c.prepareStatement(
                     "SELECT count(*) FROM dead_letters WHERE (?1 IS NULL OR destination_id = ?1)")) {
            s.setString(1, destinationId.orElse(null));
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    /**
     * Moves the dead letters of one destination or (empty) of all back into the queue, due now,
     * with their attempts reset, in one transaction. Queue limits do not apply: this is an
     * operator's decision.
     *
     * @return how many were moved
     */
    public int replay(Optional<String> destinationId) throws SQLException {
        Objects.requireNonNull(destinationId, "destinationId");
        long now = clock.millis();
        try (Connection c = database.connect(); Statement tx = c.createStatement()) {
            tx.execute("BEGIN IMMEDIATE");
            try {
                int moved;
                try (PreparedStatement copy = c.prepareStatement("INSERT INTO queue_items (destination_id, "
                        + "event_id, event_json, enqueued_at, attempts, next_attempt_at) "
                        + "SELECT destination_id, event_id, event_json, enqueued_at, 0, ?1 FROM dead_letters "
                        + "WHERE (?2 IS NULL OR destination_id = ?2) ORDER BY id");
                     PreparedStatement delete = c.prepareStatement(
                             "DELETE FROM dead_letters WHERE (?1 IS NULL OR destination_id = ?1)")) {
                    copy.setLong(1, now);
                    copy.setString(2, destinationId.orElse(null));
                    moved = copy.executeUpdate();
                    delete.setString(1, destinationId.orElse(null));
                    int deleted = delete.executeUpdate();
                    if (deleted != moved) {
                        throw new SQLException("replay moved " + moved + " but removed " + deleted
                                + " dead letters; rolled back");
                    }
                }
                tx.execute("COMMIT");
                return moved;
            } catch (SQLException | RuntimeException e) {
                tx.execute("ROLLBACK");
                throw e;
            }
        }
    }

    private static Optional<Instant> instant(ResultSet rs, int column) throws SQLException {
        long at = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(at));
    }
}
