package dev.sluice.host.queue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/** Counts what is queued per destination, straight from the database. */
final class QueueCounts {

    private QueueCounts() {
    }

    static Map<String, QueueDepth> read(Connection c) throws SQLException {
        Map<String, QueueDepth> depths = new HashMap<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT destination_id, count(*), coalesce(sum(length(event_json)), 0) "
                     + "FROM queue_items GROUP BY destination_id")) {
            while (rs.next()) {
                depths.put(rs.getString(1), new QueueDepth(rs.getLong(2), rs.getLong(3)));
            }
        }
        return depths;
    }
}
