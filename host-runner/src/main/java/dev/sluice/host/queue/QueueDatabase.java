package dev.sluice.host.queue;

import org.sqlite.SQLiteConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;

/**
 * The one SQLite file that holds every destination's queue and dead letters:
 * {@code <dataDir>/queue.db}. One file for all destinations lets one transaction commit the
 * events of many concurrent requests (group commit) whatever their destinations, and lets the
 * dead-letter command work on a single file whether the host runs or not.
 *
 * <p>Connections use WAL mode with {@code synchronous=NORMAL} (the default): a commit survives a
 * crash of this process, but a power loss or OS crash may lose the last commits; or with
 * {@code synchronous=FULL} ({@code server.durability: full}), which fsyncs every commit (see
 * {@code docs/delivery-guarantees.md}). {@code busy_timeout} lets the host and the dead-letter
 * command share the file.
 */
public final class QueueDatabase {

    /** File name under the data dir. */
    public static final String FILE_NAME = "queue.db";

    static final Duration BUSY_TIMEOUT = Duration.ofSeconds(10);

    private final Path file;
    private final Synchronous synchronous;
    /** SQLite's max_page_count for new connections; 0 = SQLite's default. Lets tests fill the "disk". */
    private volatile long maxPageCount;

    /** SQLite's {@code synchronous} level: NORMAL (the default) or FULL. */
    public enum Synchronous { NORMAL, FULL }

    private QueueDatabase(Path file, Synchronous synchronous) {
        this.file = file;
        this.synchronous = synchronous;
    }

    /**
     * Opens (creating when missing) the queue database under {@code dataDir} with
     * {@code synchronous=NORMAL}, creating the directory and the schema.
     */
    public static QueueDatabase open(Path dataDir) throws SQLException, IOException {
        return open(dataDir, Synchronous.NORMAL);
    }

    public static QueueDatabase open(Path dataDir, Synchronous synchronous) throws SQLException, IOException {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(synchronous, "synchronous");
        Files.createDirectories(dataDir);
        QueueDatabase db = new QueueDatabase(dataDir.resolve(FILE_NAME), synchronous);
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.executeUpdate("""
                    CREATE TABLE IF NOT EXISTS queue_items (
                      id               INTEGER PRIMARY KEY AUTOINCREMENT,
                      destination_id   TEXT    NOT NULL,
                      event_id         TEXT    NOT NULL,
                      event_json       BLOB    NOT NULL,
                      enqueued_at      INTEGER NOT NULL,
                      attempts         INTEGER NOT NULL DEFAULT 0,
                      next_attempt_at  INTEGER NOT NULL,
                      first_attempt_at INTEGER,
                      last_error       TEXT
                    )""");
            // "Due items for destination X, oldest due first" is a range scan of this index.
            s.executeUpdate("CREATE INDEX IF NOT EXISTS queue_items_due "
                    + "ON queue_items (destination_id, next_attempt_at, id)");
            s.executeUpdate("""
                    CREATE TABLE IF NOT EXISTS dead_letters (
                      id               INTEGER PRIMARY KEY AUTOINCREMENT,
                      destination_id   TEXT    NOT NULL,
                      event_id         TEXT    NOT NULL,
                      event_json       BLOB    NOT NULL,
                      reason           TEXT    NOT NULL,
                      attempts         INTEGER NOT NULL,
                      enqueued_at      INTEGER NOT NULL,
                      first_attempt_at INTEGER,
                      last_attempt_at  INTEGER,
                      dead_lettered_at INTEGER NOT NULL
                    )""");
            s.executeUpdate("CREATE INDEX IF NOT EXISTS dead_letters_destination "
                    + "ON dead_letters (destination_id, id)");
            // How far the queue log (queue-log/) has been moved into this database: written in the
            // same transaction as the events it moved, so none is moved twice after a crash.
            s.executeUpdate("""
                    CREATE TABLE IF NOT EXISTS queue_log_position (
                      id         INTEGER PRIMARY KEY CHECK (id = 1),
                      segment    INTEGER NOT NULL,
                      end_offset INTEGER NOT NULL
                    )""");
        }
        return db;
    }

    /** The database file. */
    public Path file() {
        return file;
    }

    public Synchronous synchronous() {
        return synchronous;
    }

    /**
     * A new auto-commit connection with this database's pragmas. Writers open their transactions
     * with {@code BEGIN IMMEDIATE} so they take the write lock up front and never fail half-way
     * because another process writes.
     */
    Connection connect() throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(synchronous == Synchronous.FULL
                ? SQLiteConfig.SynchronousMode.FULL : SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout((int) BUSY_TIMEOUT.toMillis());
        config.enforceForeignKeys(false);
        // Nothing reads generated keys; with them on, sqlite-jdbc matches every INSERT's SQL
        // against a regular expression after each execution (on the writer's hot path).
        config.setGetGeneratedKeys(false);
        Connection c = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
        long pages = maxPageCount;
        if (pages > 0) {
            try (java.sql.Statement s = c.createStatement()) {
                s.execute("PRAGMA max_page_count = " + pages);
            }
        }
        return c;
    }

    /**
     * Caps the database at this many pages for connections opened from now on: past it, writes
     * fail with {@code SQLITE_FULL}, exactly as on a full disk. For tests of storage faults.
     */
    void limitPages(long pages) {
        this.maxPageCount = pages;
    }
}
