package dev.sluice.host.queue;

import dev.sluice.host.pipeline.RoutedEvent;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The queue's rows as written by every path that queues an accepted event (a request committed
 * directly, the queue log's moves and its recovery), and the log position stored with them.
 */
final class QueueRows {

    /** A new queue row, due at once: bind it with {@link #add}. */
    static final String INSERT = "INSERT INTO queue_items "
            + "(destination_id, event_id, event_json, enqueued_at, attempts, next_attempt_at) VALUES (?, ?, ?, ?, 0, ?)";

    /** How far the queue log has been moved: bind it with {@link #setLogPosition}. */
    static final String LOG_POSITION = "INSERT OR REPLACE INTO queue_log_position (id, segment, end_offset) "
            + "VALUES (1, ?, ?)";

    private QueueRows() {
    }

    /** Adds the row of {@code event}, accepted at {@code enqueuedAt}, to the batch of an {@link #INSERT}. */
    static void add(PreparedStatement insert, RoutedEvent event, long enqueuedAt) throws SQLException {
        insert.setString(1, event.destinationId());
        insert.setString(2, event.eventId());
        insert.setBytes(3, event.json());
        insert.setLong(4, enqueuedAt);
        insert.setLong(5, enqueuedAt);
        insert.addBatch();
    }

    /** Stores {@code position} with a {@link #LOG_POSITION} statement. */
    static void setLogPosition(PreparedStatement statement, IngestLog.Position position) throws SQLException {
        statement.setLong(1, position.segment());
        statement.setLong(2, position.offset());
        statement.executeUpdate();
    }
}
