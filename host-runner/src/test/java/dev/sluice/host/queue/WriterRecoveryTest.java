package dev.sluice.host.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer keeps its compiled statements between commits; a statement that failed (the disk
 * full) is compiled afresh, so writes work again as soon as there is room, without a restart.
 */
class WriterRecoveryTest {

    private static final String INSERT = "INSERT INTO queue_items (destination_id, event_id, event_json, "
            + "enqueued_at, attempts, next_attempt_at) VALUES ('d', ?, ?, 0, 0, 0)";

    @TempDir
    Path dataDir;

    private static WriteOp insert(String id, int bytes) {
        return new WriteOp() {
            @Override
            void apply(Connection c, GroupCommitWriter.Transaction tx) throws Exception {
                var s = tx.statement(INSERT);
                s.setString(1, id);
                s.setBytes(2, new byte[bytes]);
                s.executeUpdate();
            }
        };
    }

    private static void run(GroupCommitWriter writer, WriteOp op) throws Exception {
        assertThat(writer.submit(op)).isTrue();
        op.done.get(10, TimeUnit.SECONDS);
    }

    @Test
    void writesWorkAgainOnceTheFullDiskHasRoom() throws Exception {
        QueueDatabase database = QueueDatabase.open(dataDir);
        long pages;
        try (Connection c = database.connect(); Statement s = c.createStatement();
             var rs = s.executeQuery("PRAGMA page_count")) {
            rs.next();
            pages = rs.getLong(1);
        }
        database.limitPages(pages + 4);
        GroupCommitWriter writer = new GroupCommitWriter(database.connect(), new GroupCommitWriter.Listener() {
            @Override
            public void committed(Map<String, long[]> deltas, Set<String> grown) {
            }

            @Override
            public void recounted(Map<String, QueueDepth> depths) {
            }
        }, Duration.ofMinutes(1));
        writer.start();
        try {
            run(writer, insert("small", 10));
            assertThatThrownBy(() -> run(writer, insert("huge", 64 * 1024)))
                    .isInstanceOf(ExecutionException.class).hasMessageContaining("SQLITE_FULL");
            // Room again (the cap is per connection: lifted on the writer's own).
            run(writer, new WriteOp() {
                @Override
                void apply(Connection c, GroupCommitWriter.Transaction tx) throws Exception {
                    try (Statement s = c.createStatement()) {
                        s.execute("PRAGMA max_page_count = 1000000");
                    }
                }
            });
            run(writer, insert("after", 64 * 1024));
            try (Connection c = database.connect(); Statement s = c.createStatement();
                 var rs = s.executeQuery("SELECT group_concat(event_id) FROM queue_items")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("small,after");
            }
        } finally {
            writer.close(Duration.ofSeconds(5));
        }
    }
}
