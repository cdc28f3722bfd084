package dev.sluice.host.queue;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether the queue can store events now, told to the operator once per change of state: the
 * first failed commit is logged with its cause in plain words ({@link StorageErrors}), then one
 * summary a minute while it lasts (how many writes were refused), then "storing again" when a
 * commit succeeds. {@code /health} and the stats read {@link #problem()}.
 *
 * <p>Also watches the files: when the data dir, the database or the lock file is removed or
 * replaced under the running host, new events are refused for good (503, {@code /health} 503):
 * SQLite would go on writing into the deleted file, and everything acknowledged would vanish at
 * the next stop. Thread-safe.
 */
public final class StoreHealth {

    private static final Logger LOG = LoggerFactory.getLogger(StoreHealth.class);

    static final Duration SUMMARY_EVERY = Duration.ofMinutes(1);
    static final Duration CHECK_FILES_EVERY = Duration.ofSeconds(1);

    private final Path databaseFile;
    private final Path lockFile;
    private final Clock clock;
    private final Object fileKey;
    private final Object lockKey;

    private String failure;
    private Instant failingSince;
    private Instant lastSummary;
    private long refusedSinceSummary;
    private long refusedTotal;
    private volatile String problem;
    private volatile String filesGone;
    private Instant lastFileCheck = Instant.MIN;

    StoreHealth(Path databaseFile, Path lockFile, Clock clock) {
        this.databaseFile = Objects.requireNonNull(databaseFile, "databaseFile");
        this.lockFile = Objects.requireNonNull(lockFile, "lockFile");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.fileKey = key(databaseFile);
        this.lockKey = key(lockFile);
    }

    /** Why the queue cannot store new events now, if it cannot. */
    public Optional<String> problem() {
        String gone = filesGone;
        return Optional.ofNullable(gone != null ? gone : problem);
    }

    /** Set when the files were removed under the host: new events are refused until a restart. */
    Optional<String> filesGone() {
        return Optional.ofNullable(filesGone);
    }

    /** A commit of {@code writes} write operations failed with {@code error}. */
    synchronized void failed(Throwable error, int writes) {
        Instant now = clock.instant();
        refusedSinceSummary += writes;
        refusedTotal += writes;
        String cause = StorageErrors.describe(error, databaseFile);
        if (failure == null) {
            failure = cause;
            failingSince = now;
            lastSummary = now;
            refusedSinceSummary = 0;
            problem = "the queue cannot store events: " + cause;
            LOG.error("The queue cannot store events: {}. Events are answered 503 and /health says 503 until it "
                    + "can; events already stored are kept and delivered. (Told once; a summary follows every "
                    + "minute while it lasts.)", cause);
            return;
        }
        if (!cause.equals(failure)) {
            failure = cause;
            problem = "the queue cannot store events: " + cause;
            LOG.error("The queue still cannot store events, now because: {}", cause);
        }
        summaryIfDue(now);
    }

    /** {@code writes} more writes were refused for the failure already told (no new cause). */
    synchronized void refused(int writes) {
        if (failure == null) {
            return;
        }
        refusedSinceSummary += writes;
        refusedTotal += writes;
        summaryIfDue(clock.instant());
    }

    /** A commit succeeded. */
    synchronized void succeeded() {
        if (failure == null) {
            return;
        }
        Duration lasted = Duration.between(failingSince, clock.instant());
        LOG.info("The queue stores events again, after {} ({} writes refused meanwhile)",
                text(lasted), refusedTotal);
        failure = null;
        failingSince = null;
        problem = null;
        refusedSinceSummary = 0;
        refusedTotal = 0;
    }

    /** Summaries and the file check; the writer calls it on every turn of its loop. */
    void tick() {
        Instant now = clock.instant();
        synchronized (this) {
            if (failure != null) {
                summaryIfDue(now);
            }
            if (filesGone != null || Duration.between(lastFileCheck, now).compareTo(CHECK_FILES_EVERY) < 0) {
                return;
            }
            lastFileCheck = now;
        }
        checkFiles();
    }

    /**
     * Before a commit: fails it when the files are no longer the ones the host opened, so that no
     * request is answered 200 for a commit into a removed file (two {@code stat} calls).
     */
    void requireFiles() throws java.sql.SQLException {
        if (filesGone == null && Objects.equals(fileKey, key(databaseFile)) && Objects.equals(lockKey, key(lockFile))) {
            return;
        }
        checkFiles();
        String gone = filesGone;
        if (gone != null) {
            throw new java.sql.SQLException("cannot store events: " + gone);
        }
    }

    /**
     * Looks whether the database and lock file are still the ones the host opened. Synchronized:
     * the log's appends, the writer and the health tick may all look at once, and the change is
     * told once.
     */
    synchronized void checkFiles() {
        if (filesGone != null) {
            return;
        }
        String gone = null;
        if (!Files.exists(databaseFile.getParent())) {
            gone = "the data dir " + databaseFile.getParent() + " was removed";
        } else if (!Files.exists(databaseFile) || !Objects.equals(fileKey, key(databaseFile))) {
            gone = databaseFile + " was removed or replaced";
        } else if (!Files.exists(lockFile) || !Objects.equals(lockKey, key(lockFile))) {
            gone = "the lock file " + lockFile + " was removed or replaced";
        }
        if (gone != null) {
            filesGone = gone + " while the host ran; new events are refused (they would be written into a deleted "
                    + "file); restart the host";
            LOG.error("The queue's files changed under the running host: {}. New events are answered 503 and "
                    + "/health says 503. Restart the host: it opens the data dir afresh (events that were only in "
                    + "the removed files cannot be delivered from them).", gone);
        }
    }

    private void summaryIfDue(Instant now) {
        if (Duration.between(lastSummary, now).compareTo(SUMMARY_EVERY) < 0) {
            return;
        }
        LOG.error("The queue still cannot store events ({} so far): {} writes refused in the last {}; {}",
                text(Duration.between(failingSince, now)), refusedSinceSummary,
                text(Duration.between(lastSummary, now)), failure);
        lastSummary = now;
        refusedSinceSummary = 0;
    }

    private static Object key(Path file) {
        try {
            Object key = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
            return key != null ? key : file.toRealPath().toString();
        } catch (IOException e) {
            return null;
        }
    }

    private static String text(Duration d) {
        long s = Math.max(0, d.toSeconds());
        return s >= 3600 ? (s / 3600) + "h" + (s % 3600 / 60) + "m" : s >= 60 ? (s / 60) + "m" + (s % 60) + "s" : s + "s";
    }
}
