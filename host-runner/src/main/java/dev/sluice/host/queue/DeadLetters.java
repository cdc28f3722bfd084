package dev.sluice.host.queue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
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
        return list(destinationId, Optional.empty(), limit);
    }

    /**
     * Up to {@code limit} dead letters, oldest first, of one destination or (empty) of all, moved
     * here at or after {@code since} when given.
     */
    public List<DeadLetter> list(Optional<String> destinationId, Optional<Instant> since, int limit)
            throws SQLException {
        Objects.requireNonNull(destinationId, "destinationId");
        Objects.requireNonNull(since, "since");
        try (Connection c = database.connect();
             PreparedStatement s = c.prepareStatement(SELECT + "WHERE (?1 IS NULL OR destination_id = ?1) "
                     + "AND dead_lettered_at >= ?2 ORDER BY id LIMIT ?3")) {
            s.setString(1, destinationId.orElse(null));
            s.setLong(2, since.map(Instant::toEpochMilli).orElse(Long.MIN_VALUE));
            s.setInt(3, limit);
            return read(s);
        }
    }

    /** The dead letter with this id, if there is one. */
    public Optional<DeadLetter> find(long id) throws SQLException {
        try (Connection c = database.connect(); PreparedStatement s = c.prepareStatement(SELECT + "WHERE id = ?1")) {
            s.setLong(1, id);
            List<DeadLetter> found = read(s);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
        }
    }

    /** The ones of these ids that are dead letters (of this destination, when given), sorted. */
    public List<Long> existing(Optional<String> destinationId, Collection<Long> ids) throws SQLException {
        List<Long> found = new ArrayList<>();
        if (ids.isEmpty()) {
            return found;
        }
        try (Connection c = database.connect();
             PreparedStatement s = c.prepareStatement("SELECT id FROM dead_letters WHERE (?1 IS NULL OR "
                     + "destination_id = ?1) AND id IN (" + placeholders(ids.size(), 2) + ") ORDER BY id")) {
            s.setString(1, destinationId.orElse(null));
            bindIds(s, 2, ids);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    found.add(rs.getLong(1));
                }
            }
        }
        return found;
    }

    private static final String SELECT = "SELECT id, destination_id, event_id, event_json, reason, attempts, "
            + "enqueued_at, first_attempt_at, last_attempt_at, dead_lettered_at FROM dead_letters ";

    private static List<DeadLetter> read(PreparedStatement s) throws SQLException {
        List<DeadLetter> letters = new ArrayList<>();
        try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                letters.add(new DeadLetter(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getBytes(4),
                        rs.getString(5), rs.getInt(6), Instant.ofEpochMilli(rs.getLong(7)),
                        instant(rs, 8), instant(rs, 9), Instant.ofEpochMilli(rs.getLong(10))));
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
        return replay(destinationId, List.of());
    }

    /**
     * Moves some dead letters back into the queue, due now, with their attempts reset, in one
     * transaction: those of one destination or (empty) of all, and of these ids when any are given.
     *
     * @return how many were moved
     */
    public int replay(Optional<String> destinationId, Collection<Long> ids) throws SQLException {
        Objects.requireNonNull(destinationId, "destinationId");
        String where = where(ids);
        long now = clock.millis();
        return inTransaction(c -> {
            try (PreparedStatement copy = c.prepareStatement("INSERT INTO queue_items (destination_id, "
                    + "event_id, event_json, enqueued_at, attempts, next_attempt_at) "
                    + "SELECT destination_id, event_id, event_json, enqueued_at, 0, ?1 FROM dead_letters "
                    + "WHERE (?2 IS NULL OR destination_id = ?2)" + where + " ORDER BY id");
                 PreparedStatement delete = c.prepareStatement(
                         "DELETE FROM dead_letters WHERE (?1 IS NULL OR destination_id = ?1)" + where(ids, 2))) {
                copy.setLong(1, now);
                copy.setString(2, destinationId.orElse(null));
                bindIds(copy, 3, ids);
                int moved = copy.executeUpdate();
                delete.setString(1, destinationId.orElse(null));
                bindIds(delete, 2, ids);
                int deleted = delete.executeUpdate();
                if (deleted != moved) {
                    throw new SQLException("replay moved " + moved + " but removed " + deleted
                            + " dead letters; rolled back");
                }
                return moved;
            }
        });
    }

    /**
     * Removes dead letters for good: those of one destination or (empty) of all, and of these ids
     * when any are given.
     *
     * @return how many were removed
     */
    public int delete(Optional<String> destinationId, Collection<Long> ids) throws SQLException {
        Objects.requireNonNull(destinationId, "destinationId");
        return inTransaction(c -> {
            try (PreparedStatement delete = c.prepareStatement(
                    "DELETE FROM dead_letters WHERE (?1 IS NULL OR destination_id = ?1)" + where(ids, 2))) {
                delete.setString(1, destinationId.orElse(null));
                bindIds(delete, 2, ids);
                return delete.executeUpdate();
            }
        });
    }

    private interface Work {
        int run(Connection c) throws SQLException;
    }

    private int inTransaction(Work work) throws SQLException {
        try (Connection c = database.connect(); Statement tx = c.createStatement()) {
            tx.execute("BEGIN IMMEDIATE");
            try {
                int n = work.run(c);
                tx.execute("COMMIT");
                return n;
            } catch (SQLException | RuntimeException e) {
                tx.execute("ROLLBACK");
                throw e;
            }
        }
    }

    private static String where(Collection<Long> ids) {
        return where(ids, 3);
    }

    private static String where(Collection<Long> ids, int first) {
        return ids.isEmpty() ? "" : " AND id IN (" + placeholders(ids.size(), first) + ")";
    }

    private static String placeholders(int n, int first) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ", ").append('?').append(first + i);
        }
        return b.toString();
    }

    private static void bindIds(PreparedStatement s, int first, Collection<Long> ids) throws SQLException {
        int i = first;
        for (long id : ids) {
            s.setLong(i++, id);
        }
    }

    private static Optional<Instant> instant(ResultSet rs, int column) throws SQLException {
        long at = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(at));
    }
}
