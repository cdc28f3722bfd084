package dev.sluice.host.queue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * {@code sluice queue recover}: gets a host going again on a damaged queue database without
 * losing what can still be read. With no host running (it takes the data dir's lock):
 * <ol>
 *   <li>checks a copy of the database ({@code PRAGMA quick_check} and a read of both tables);
 *       an intact one is left alone;</li>
 *   <li>moves {@code queue.db} and its {@code -wal} and {@code -shm} files aside into
 *       {@code damaged-<UTC time>/} in the data dir (never deleted: a specialist may get more
 *       out of them);</li>
 *   <li>reads every queued event and dead letter it can from the copy, in id ranges, falling
 *       back to one row at a time where a range fails, and writes them into a fresh
 *       {@code queue.db} with their attempts, times and reasons;</li>
 *   <li>reports what it saved and which ids it could not read.</li>
 * </ol>
 */
public final class QueueRecovery {

    static final int CHUNK = 500;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final String QUEUE_COLUMNS = "id, destination_id, event_id, event_json, enqueued_at, attempts, "
            + "next_attempt_at, first_attempt_at, last_error";
    private static final String DEAD_COLUMNS = "id, destination_id, event_id, event_json, reason, attempts, "
            + "enqueued_at, first_attempt_at, last_attempt_at, dead_lettered_at";

    /**
     * What a recovery did.
     *
     * @param intact           the database was not damaged; nothing was changed
     * @param movedTo          where the damaged files were moved (when not intact)
     * @param queuedSaved      queued events written into the fresh database
     * @param deadLettersSaved dead letters written into the fresh database
     * @param unreadable       the id ranges that could not be read, per table (e.g. {@code queue_items 1201-1260})
     * @param damage           what SQLite's check found (first lines)
     */
    public record Report(boolean intact, Path movedTo, long queuedSaved, long deadLettersSaved,
                         List<String> unreadable, List<String> damage) {
    }

    private QueueRecovery() {
    }

    /**
     * Recovers the queue database in {@code dataDir}.
     *
     * @throws IllegalStateException a host has the data dir open
     * @throws IOException           the files cannot be copied or moved
     * @throws SQLException          the fresh database cannot be written
     */
    public static Report recover(Path dataDir, Clock clock) throws IOException, SQLException {
        Objects.requireNonNull(dataDir, "dataDir");
        Path database = dataDir.resolve(QueueDatabase.FILE_NAME);
        if (!Files.exists(database)) {
            throw new IOException("there is no queue database at " + database);
        }
        try (DataDirLock ignored = DataDirLock.acquire(database)) {
            String stamp = STAMP.format(clock.instant());
            // Next to the database, not in /tmp: a small tmpfs may not hold a copy of the queue.
            Path work = Files.createDirectories(dataDir.resolve(".recover-" + stamp));
            try {
                Path copy = work.resolve(QueueDatabase.FILE_NAME);
                for (String suffix : List.of("", "-wal", "-shm")) {
                    Path file = dataDir.resolve(QueueDatabase.FILE_NAME + suffix);
                    if (Files.exists(file)) {
                        Files.copy(file, work.resolve(QueueDatabase.FILE_NAME + suffix));
                    }
                }
                List<QueueRow> queued = new ArrayList<>();
                List<DeadRow> dead = new ArrayList<>();
                List<String> unreadable = new ArrayList<>();
                List<String> damage;
                IngestLog.Position logMoved;
                try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + copy.toAbsolutePath())) {
                    damage = check(c);
                    salvage(c, "queue_items", QUEUE_COLUMNS, QueueRow::read, queued, unreadable);
                    salvage(c, "dead_letters", DEAD_COLUMNS, DeadRow::read, dead, unreadable);
                    logMoved = logPosition(c);
                }
                if (damage.isEmpty() && unreadable.isEmpty()) {
                    return new Report(true, null, queued.size(), dead.size(), List.of(), List.of());
                }
                // The fresh database is written completely before anything is moved: a failure
                // here (a full disk) leaves the damaged files where they were, as they were.
                Path fresh = work.resolve("fresh");
                write(QueueDatabase.open(fresh), queued, dead, logMoved);
                Path aside = dataDir.resolve("damaged-" + stamp);
                Files.createDirectories(aside);
                for (String suffix : List.of("", "-wal", "-shm")) {
                    Path file = dataDir.resolve(QueueDatabase.FILE_NAME + suffix);
                    if (Files.exists(file)) {
                        Files.move(file, aside.resolve(file.getFileName()), StandardCopyOption.ATOMIC_MOVE);
                    }
                }
                for (String suffix : List.of("", "-wal", "-shm")) {
                    Path file = fresh.resolve(QueueDatabase.FILE_NAME + suffix);
                    if (Files.exists(file)) {
                        Files.move(file, dataDir.resolve(file.getFileName()), StandardCopyOption.ATOMIC_MOVE);
                    }
                }
                return new Report(false, aside, queued.size(), dead.size(), unreadable, damage);
            } finally {
                deleteTree(work);
            }
        }
    }

    /** SQLite's quick check: empty when it says ok, else its first findings. */
    private static List<String> check(Connection c) {
        List<String> found = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA quick_check(20)")) {
            while (rs.next()) {
                String line = rs.getString(1);
                if (!"ok".equals(line)) {
                    found.add(line);
                }
            }
        } catch (SQLException e) {
            found.add(String.valueOf(e.getMessage()));
        }
        return found;
    }

    private interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /** Reads a table in id ranges into {@code out}; a range that fails is read one id at a time. */
    private static <T> void salvage(Connection c, String table, String columns, RowMapper<T> mapper, List<T> out,
                                    List<String> unreadable) {
        long maxId = maxId(c, table);
        long failedFrom = -1;
        long failedTo = -1;
        for (long from = 1; from <= maxId; from += CHUNK) {
            long to = Math.min(maxId, from + CHUNK - 1);
            List<T> rows = readRange(c, table, columns, from, to, mapper);
            if (rows != null) {
                out.addAll(rows);
                continue;
            }
            for (long id = from; id <= to; id++) {
                List<T> row = readRange(c, table, columns, id, id, mapper);
                if (row != null) {
                    out.addAll(row);
                    continue;
                }
                if (failedFrom >= 0 && failedTo == id - 1) {
                    failedTo = id;
                } else {
                    if (failedFrom >= 0) {
                        unreadable.add(range(table, failedFrom, failedTo));
                    }
                    failedFrom = id;
                    failedTo = id;
                }
            }
        }
        if (failedFrom >= 0) {
            unreadable.add(range(table, failedFrom, failedTo));
        }
    }

    private static String range(String table, long from, long to) {
        return table + " " + (from == to ? String.valueOf(from) : from + "-" + to);
    }

    /** The rows with ids in [from, to], read fully; null when SQLite fails on any of them. */
    private static <T> List<T> readRange(Connection c, String table, String columns, long from, long to,
                                         RowMapper<T> mapper) {
        try (PreparedStatement s = c.prepareStatement("SELECT " + columns + " FROM " + table
                + " WHERE id BETWEEN ?1 AND ?2 ORDER BY id")) {
            s.setLong(1, from);
            s.setLong(2, to);
            List<T> rows = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(mapper.map(rs));
                }
            }
            return rows;
        } catch (SQLException | RuntimeException e) {
            return null;
        }
    }

    private static Long nullableLong(ResultSet rs, int column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    /** One queued event as stored. */
    private record QueueRow(long id, String destinationId, String eventId, byte[] json, long enqueuedAt, int attempts,
                            long nextAttemptAt, Long firstAttemptAt, String lastError) {

        static QueueRow read(ResultSet rs) throws SQLException {
            return new QueueRow(rs.getLong(1), Objects.requireNonNull(rs.getString(2)),
                    Objects.requireNonNull(rs.getString(3)), Objects.requireNonNull(rs.getBytes(4)), rs.getLong(5),
                    rs.getInt(6), rs.getLong(7), nullableLong(rs, 8), rs.getString(9));
        }

        void bind(PreparedStatement s) throws SQLException {
            s.setLong(1, id);
            s.setString(2, destinationId);
            s.setString(3, eventId);
            s.setBytes(4, json);
            s.setLong(5, enqueuedAt);
            s.setInt(6, attempts);
            s.setLong(7, nextAttemptAt);
            s.setObject(8, firstAttemptAt);
            s.setString(9, lastError);
        }
    }

    /** One dead letter as stored. */
    private record DeadRow(long id, String destinationId, String eventId, byte[] json, String reason, int attempts,
                           long enqueuedAt, Long firstAttemptAt, Long lastAttemptAt, long deadLetteredAt) {

        static DeadRow read(ResultSet rs) throws SQLException {
            return new DeadRow(rs.getLong(1), Objects.requireNonNull(rs.getString(2)),
                    Objects.requireNonNull(rs.getString(3)), Objects.requireNonNull(rs.getBytes(4)),
                    Objects.requireNonNull(rs.getString(5)), rs.getInt(6), rs.getLong(7),
                    nullableLong(rs, 8), nullableLong(rs, 9), rs.getLong(10));
        }

        void bind(PreparedStatement s) throws SQLException {
            s.setLong(1, id);
            s.setString(2, destinationId);
            s.setString(3, eventId);
            s.setBytes(4, json);
            s.setString(5, reason);
            s.setInt(6, attempts);
            s.setLong(7, enqueuedAt);
            s.setObject(8, firstAttemptAt);
            s.setObject(9, lastAttemptAt);
            s.setLong(10, deadLetteredAt);
        }
    }

    /** The highest id ever given (AUTOINCREMENT keeps it in sqlite_sequence), else max(id). */
    private static long maxId(Connection c, String table) {
        long max = 0;
        try (PreparedStatement s = c.prepareStatement("SELECT seq FROM sqlite_sequence WHERE name = ?")) {
            s.setString(1, table);
            try (ResultSet rs = s.executeQuery()) {
                if (rs.next()) {
                    max = rs.getLong(1);
                }
            }
        } catch (SQLException ignored) {
            // fall back to max(id)
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT max(id) FROM " + table)) {
            if (rs.next()) {
                max = Math.max(max, rs.getLong(1));
            }
        } catch (SQLException ignored) {
            // the sequence is all there is
        }
        return max;
    }

    /**
     * How far the queue log was moved into the damaged database, so the next start moves only the
     * rest of it; null when unreadable (then the next start moves every log file there is, and an
     * event moved before the crash whose file was not deleted yet is queued twice).
     */
    private static IngestLog.Position logPosition(Connection c) {
        try {
            return LogMover.position(c);
        } catch (SQLException | RuntimeException unreadable) {
            return null;
        }
    }

    private static void write(QueueDatabase fresh, List<QueueRow> queued, List<DeadRow> dead,
                              IngestLog.Position logMoved) throws SQLException {
        try (Connection c = fresh.connect(); Statement tx = c.createStatement()) {
            tx.execute("BEGIN IMMEDIATE");
            try (PreparedStatement q = c.prepareStatement("INSERT INTO queue_items (" + QUEUE_COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
                 PreparedStatement d = c.prepareStatement("INSERT INTO dead_letters (" + DEAD_COLUMNS
                         + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (QueueRow r : queued) {
                    r.bind(q);
                    q.addBatch();
                }
                q.executeBatch();
                for (DeadRow r : dead) {
                    r.bind(d);
                    d.addBatch();
                }
                d.executeBatch();
                if (logMoved != null) {
                    try (PreparedStatement p = c.prepareStatement(QueueRows.LOG_POSITION)) {
                        QueueRows.setLogPosition(p, logMoved);
                    }
                }
                tx.execute("COMMIT");
            } catch (SQLException | RuntimeException e) {
                tx.execute("ROLLBACK");
                throw e;
            }
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // a temp copy; the OS cleans it up
                }
            });
        } catch (IOException ignored) {
            // a temp copy; the OS cleans it up
        }
    }
}
