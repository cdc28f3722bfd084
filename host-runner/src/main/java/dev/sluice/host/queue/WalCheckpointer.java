package dev.sluice.host.queue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies committed pages from the write-ahead log back into the database on its own thread and
 * connection, so that the queue writer, which every waiting request depends on, does not: SQLite
 * otherwise runs that copy inside whichever commit crosses 1,000 log pages (measured: about 45%
 * of the writer's time per commit under a stream of small ingest commits). A passive checkpoint
 * never blocks the writer or the readers; it copies what no reader still needs, and the writer
 * restarts the log from its beginning once everything was copied (the writer runs one itself
 * every so often, so the log cannot grow without bound under a writer that never pauses).
 */
final class WalCheckpointer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WalCheckpointer.class);

    /** How often the log is looked at; a checkpoint with nothing to copy costs one pragma. */
    static final Duration EVERY = Duration.ofMillis(20);

    /**
     * Past this many pages in the log (16 MiB of 4 KiB pages) the writer is asked to checkpoint
     * right after its next commit (and a few commits later again until everything is copied), so
     * that the log starts over: under big commits (arrays of events) a count of commits alone let
     * it grow by hundreds of megabytes. The bound is soft: the writer copies what its commits wrote
     * meanwhile, and under a stream of 200 KiB commits the log peaked at 36-54 MiB (90 MiB before
     * this thread yielded to the writer, see {@link #YIELD_TO_WRITER_LOOKS}).
     */
    static final long MAX_LOG_PAGES = 4096;

    /**
     * While the writer has been asked to checkpoint, this thread leaves the copying to it for up
     * to this many looks (200 ms): the log can only start over after a checkpoint that copied
     * everything up to the last commit, which only the writer's own (between its commits) can do,
     * and it cannot while this thread's copy holds the checkpoint lock. Under a stream of large
     * commits the two used to collide until the log was five times its bound.
     */
    static final int YIELD_TO_WRITER_LOOKS = 10;

    private final Connection connection;
    private final Runnable logTooLong;
    private final BooleanSupplier writerAsked;
    private int yielded;
    private final Thread thread;
    private final CountDownLatch stop = new CountDownLatch(1);
    private boolean failureLogged;

    /**
     * @param connection its own connection to the database
     * @param logTooLong told when the log holds more than {@link #MAX_LOG_PAGES} pages
     * @param writerAsked whether the writer was told and has not copied the whole log yet
     */
    WalCheckpointer(Connection connection, Runnable logTooLong, BooleanSupplier writerAsked) {
        this.connection = Objects.requireNonNull(connection, "connection");
        this.logTooLong = Objects.requireNonNull(logTooLong, "logTooLong");
        this.writerAsked = Objects.requireNonNull(writerAsked, "writerAsked");
        this.thread = new Thread(this::run, "sluice-queue-checkpoint");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void run() {
        try {
            while (!stop.await(EVERY.toMillis(), TimeUnit.MILLISECONDS)) {
                watchTheLog();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void watchTheLog() {
        if (writerAsked.getAsBoolean() && yielded < YIELD_TO_WRITER_LOOKS) {
            yielded++;
            return;
        }
        yielded = 0;
        try {
            if (checkpoint(connection).logPages() > MAX_LOG_PAGES) {
                logTooLong.run();
            }
            failureLogged = false;
        } catch (SQLException | RuntimeException e) {
            // The writer's own checkpoints and its commits report what is wrong with the store.
            if (!failureLogged) {
                LOG.debug("background checkpoint of the queue log failed; trying again", e);
                failureLogged = true;
            }
        }
    }

    /** What one passive checkpoint saw: pages in the log, pages copied, whether it was kept out. */
    record Progress(long logPages, long copiedPages, boolean busy) {
        /** The whole log is copied, so the next write transaction starts it over. */
        boolean copiedAll() {
            return !busy && logPages == copiedPages;
        }
    }

    /** Copies what it can without waiting for anyone. */
    static Progress checkpoint(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
            if (!rs.next()) {
                return new Progress(0, 0, true);
            }
            return new Progress(Math.max(0, rs.getLong(2)), Math.max(0, rs.getLong(3)), rs.getInt(1) != 0);
        }
    }

    @Override
    public void close() {
        stop.countDown();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.debug("could not close the checkpoint connection", e);
        }
    }
}
