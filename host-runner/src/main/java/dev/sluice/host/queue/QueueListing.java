package dev.sluice.host.queue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What is queued, for operators ({@code sluice queue list}): read-only, straight from the database
 * file, so it works whether the host runs or not.
 */
public final class QueueListing {

    /**
     * One queued event.
     *
     * @param id            its row id in the queue
     * @param destinationId the destination it waits for
     * @param eventId       the event id
     * @param json          the event as UTF-8 JSON
     * @param attempts      how many {@code deliver} calls it took part in
     * @param enqueuedAt    when it was queued
     * @param nextAttemptAt when it is due (in the past: due now)
     * @param lastError     why the last attempt did not deliver it, if it was attempted
     */
    public record Item(long id, String destinationId, String eventId, byte[] json, int attempts, Instant enqueuedAt,
                       Instant nextAttemptAt, Optional<String> lastError) {

        public Item {
            Objects.requireNonNull(destinationId, "destinationId");
            Objects.requireNonNull(eventId, "eventId");
            Objects.requireNonNull(json, "json");
            Objects.requireNonNull(enqueuedAt, "enqueuedAt");
            Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
            Objects.requireNonNull(lastError, "lastError");
        }

        @Override
        public String toString() {
            return "Item{id=" + id + ", destination=" + destinationId + ", event=" + eventId + ", attempts="
                    + attempts + "}";
        }
    }

    private final QueueDatabase database;

    public QueueListing(QueueDatabase database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    /** Up to {@code limit} queued events of one destination or (empty) of all, in delivery order. */
    public List<Item> list(Optional<String> destinationId, int limit) throws SQLException {
        Objects.requireNonNull(destinationId, "destinationId");
        List<Item> items = new ArrayList<>();
        try (Connection c = database.connect();
             PreparedStatement s = c.prepareStatement("SELECT id, destination_id, event_id, event_json, attempts, "
                     + "enqueued_at, next_attempt_at, last_error FROM queue_items "
                     + "WHERE (?1 IS NULL OR destination_id = ?1) ORDER BY destination_id, next_attempt_at, id "
                     + "LIMIT ?2")) {
            s.setString(1, destinationId.orElse(null));
            s.setInt(2, limit);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    items.add(new Item(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getBytes(4), rs.getInt(5),
                            Instant.ofEpochMilli(rs.getLong(6)), Instant.ofEpochMilli(rs.getLong(7)),
                            Optional.ofNullable(rs.getString(8))));
                }
            }
        }
        return items;
    }

    /**
     * Per destination with anything stored: when its oldest queued event was queued (empty when
     * none is queued) and how many dead letters it has. Two grouped reads over the indexes.
     */
    public Map<String, Stored> stored() throws SQLException {
        Map<String, Stored> out = new TreeMap<>();
        try (Connection c = database.connect(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery(
                    "SELECT destination_id, min(enqueued_at) FROM queue_items GROUP BY destination_id")) {
                while (rs.next()) {
                    out.put(rs.getString(1), new Stored(Optional.of(Instant.ofEpochMilli(rs.getLong(2))), 0));
                }
            }
            try (ResultSet rs = s.executeQuery(
                    "SELECT destination_id, count(*) FROM dead_letters GROUP BY destination_id")) {
                while (rs.next()) {
                    Stored queued = out.get(rs.getString(1));
                    out.put(rs.getString(1), new Stored(queued == null ? Optional.empty() : queued.oldestQueuedAt(),
                            rs.getLong(2)));
                }
            }
        }
        return out;
    }

    /**
     * What one destination has stored.
     *
     * @param oldestQueuedAt when its oldest queued event was queued, empty when none is
     * @param deadLetters    how many dead letters it has
     */
    public record Stored(Optional<Instant> oldestQueuedAt, long deadLetters) {
    }

    /** How many events are queued for one destination or (empty) for all. */
    public long count(Optional<String> destinationId) throws SQLException {
        try (Connection c = database.connect();
             PreparedStatement s = c.prepareStatement(
                     "SELECT count(*) FROM queue_items WHERE (?1 IS NULL OR destination_id = ?1)")) {
            s.setString(1, destinationId.orElse(null));
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }
}
