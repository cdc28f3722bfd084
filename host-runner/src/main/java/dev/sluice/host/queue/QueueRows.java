package dev.sluice.host.queue;

import dev.sluice.host.pipeline.RoutedEvent;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;

/**
 * The queue's rows as written by every path that queues an accepted event (a request committed
 * directly, the queue log's moves and its recovery), and the log position stored with them.
 */
final class QueueRows {

    private static final String INSERT_INTO = "INSERT INTO queue_items "
            + "(destination_id, event_id, event_json, enqueued_at, attempts, next_attempt_at) VALUES ";

    /** Rows per INSERT statement, largest first: rows are inserted in as few statements as they fit. */
    private static final int[] ROWS = {64, 16, 4, 1};
    /** The INSERT of {@code ROWS[i]} new queue rows, due at once. */
    private static final String[] INSERT = Arrays.stream(ROWS).mapToObj(rows -> insert(rows, false))
            .toArray(String[]::new);
    /** The same for rows of one destination, bound once as {@code ?1}. */
    private static final String[] INSERT_ONE_DESTINATION = Arrays.stream(ROWS).mapToObj(rows -> insert(rows, true))
            .toArray(String[]::new);

    /** How far the queue log has been moved: bind it with {@link #setLogPosition}. */
    static final String LOG_POSITION = "INSERT OR REPLACE INTO queue_log_position (id, segment, end_offset) "
            + "VALUES (1, ?, ?)";

    private QueueRows() {
    }

    /**
     * The INSERT of {@code rows} rows, parameters numbered in the order {@link Inserter#insert}
     * binds them: per row its destination (or, with {@code oneDestination}, {@code ?1} once for
     * all), event id, JSON and arrival time.
     */
    private static String insert(int rows, boolean oneDestination) {
        StringBuilder sql = new StringBuilder(INSERT_INTO);
        int p = oneDestination ? 1 : 0;
        for (int row = 0; row < rows; row++) {
            String destination = oneDestination ? "?1" : "?" + ++p;
            int id = ++p;
            int json = ++p;
            int at = ++p;
            // next_attempt_at is enqueued_at: due at once
            sql.append(row == 0 ? "" : ", ").append('(').append(destination).append(", ?").append(id)
                    .append(", ?").append(json).append(", ?").append(at).append(", 0, ?").append(at).append(')');
        }
        return sql.toString();
    }

    /**
     * A connection's prepared statements by SQL, kept open by whoever supplies them (the writer's
     * transaction, or a {@link GroupCommitWriter.Statements}).
     */
    interface Statements {
        PreparedStatement get(String sql) throws SQLException;
    }

    /**
     * Inserts queue rows in the order added, in as few statements as they fit: 64 rows per
     * INSERT while rows come, what is left at {@link #finish} in 16-, 4- and 1-row INSERTs.
     * SQLite's work per statement (AUTOINCREMENT's sequence update among it) and the driver's
     * per execution are then paid once per many rows instead of once per row. Not thread-safe.
     */
    static final class Inserter {
        private final Statements statements;
        private final RoutedEvent[] events = new RoutedEvent[ROWS[0]];
        private final long[] enqueuedAt = new long[ROWS[0]];
        private int held;

        Inserter(Statements statements) {
            this.statements = statements;
        }

        /** Adds the row of {@code event}, accepted at {@code at}. */
        void add(RoutedEvent event, long at) throws SQLException {
            events[held] = event;
            enqueuedAt[held] = at;
            if (++held == ROWS[0]) {
                insert(0, 0);
                held = 0;
            }
        }

        /** Inserts the rows still held. */
        void finish() throws SQLException {
            int from = 0;
            for (int size = 1; size < ROWS.length; size++) {
                for (; held - from >= ROWS[size]; from += ROWS[size]) {
                    insert(size, from);
                }
            }
            held = 0;
            Arrays.fill(events, null);
        }

        /**
         * Inserts {@code ROWS[size]} rows from {@code from}. Rows of one destination bind its id
         * once (the driver encodes every text it binds).
         */
        private void insert(int size, int from) throws SQLException {
            boolean oneDestination = size < ROWS.length - 1 && oneDestination(from, ROWS[size]);
            PreparedStatement insert = statements.get((oneDestination ? INSERT_ONE_DESTINATION : INSERT)[size]);
            int p = 0;
            if (oneDestination) {
                insert.setString(++p, events[from].destinationId());
            }
            for (int row = from; row < from + ROWS[size]; row++) {
                RoutedEvent event = events[row];
                if (!oneDestination) {
                    insert.setString(++p, event.destinationId());
                }
                insert.setString(++p, event.eventId());
                insert.setBytes(++p, event.json());
                insert.setLong(++p, enqueuedAt[row]);
            }
            insert.executeUpdate();
        }

        private boolean oneDestination(int from, int rows) {
            String destination = events[from].destinationId();
            for (int row = from + 1; row < from + rows; row++) {
                if (!destination.equals(events[row].destinationId())) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Stores {@code position} with a {@link #LOG_POSITION} statement. */
    static void setLogPosition(PreparedStatement statement, IngestLog.Position position) throws SQLException {
        statement.setLong(1, position.segment());
        statement.setLong(2, position.offset());
        statement.executeUpdate();
    }
}
