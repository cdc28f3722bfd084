package dev.sluice.host.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.host.pipeline.RoutedEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Rows inserted in 64-, 16-, 4- and 1-row statements, of one destination or several, come out
 * complete and in the order added.
 */
class QueueRowsTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 3, 4, 5, 8, 15, 16, 21, 32, 63, 64, 65, 128, 150, 200, 300})
    void everyRowIsInsertedInTheOrderAdded(int count) throws Exception {
        QueueDatabase db = QueueDatabase.open(dir);
        try (Connection c = db.connect(); GroupCommitWriter.Statements statements = new GroupCommitWriter.Statements(c)) {
            c.setAutoCommit(false);
            QueueRows.Inserter rows = new QueueRows.Inserter(statements::get);
            for (int i = 0; i < count; i++) {
                rows.add(new RoutedEvent(destination(i, count), "e" + i,
                        ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8)), 1_000L + i);
            }
            rows.finish();
            c.commit();

            List<String> read = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT destination_id, event_id, "
                    + "event_json, enqueued_at, attempts, next_attempt_at FROM queue_items ORDER BY id")) {
                while (rs.next()) {
                    read.add(rs.getString(1) + " " + rs.getString(2) + " " + new String(rs.getBytes(3), StandardCharsets.UTF_8)
                            + " " + rs.getLong(4) + " " + rs.getInt(5) + " " + rs.getLong(6));
                }
            }
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                expected.add(destination(i, count) + " e" + i + " {\"n\":" + i + "} " + (1_000L + i) + " 0 " + (1_000L + i));
            }
            assertThat(read).containsExactlyElementsOf(expected);
        }
    }

    /**
     * The first half of the rows to one destination (statements that bind it once), the second
     * half alternating between two (statements that bind it per row).
     */
    private static String destination(int i, int count) {
        return i < count / 2 || i % 2 == 0 ? "a" : "b";
    }

    @ParameterizedTest
    @ValueSource(ints = {5, 70})
    void theInserterCanBeUsedAgainAfterFinish(int count) throws SQLException, java.io.IOException {
        QueueDatabase db = QueueDatabase.open(dir);
        try (Connection c = db.connect(); GroupCommitWriter.Statements statements = new GroupCommitWriter.Statements(c)) {
            QueueRows.Inserter rows = new QueueRows.Inserter(statements::get);
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < count; i++) {
                    rows.add(new RoutedEvent("a", round + "-" + i, "{}".getBytes(StandardCharsets.UTF_8)), 1L);
                }
                rows.finish();
            }
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT event_id FROM queue_items ORDER BY id")) {
                List<String> ids = new ArrayList<>();
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
                assertThat(ids).hasSize(2 * count).startsWith("0-0", "0-1").endsWith((1) + "-" + (count - 1));
                assertThat(ids.get(count)).isEqualTo("1-0");
            }
        }
    }
}
