package dev.sluice.host.cli;

import dev.sluice.host.config.ConfigLoader;
import dev.sluice.host.queue.PendingRetries;
import dev.sluice.host.queue.QueueDatabase;
import dev.sluice.host.queue.StorageErrors;
import dev.sluice.host.queue.QueueListing;
import dev.sluice.host.queue.QueueRecovery;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code sluice queue list --config FILE [--destination ID] [--limit N] [--json]} shows what is
 * queued (event, type, user, attempts, next attempt, last reason).
 *
 * <p>{@code sluice queue retry-now --config FILE [--destination ID]}: makes every queued event that
 * waits for a retry due now, e.g. after the operator lifted a daily limit or fixed a token, instead
 * of waiting out the backoff. Works on the data dir's queue database directly, whether the host
 * runs or not (a running host's idle workers look for due events at least once a second).
 */
public final class QueueCommand {

    static final String RETRY_NOW = "retry-now";
    static final String LIST = "list";
    static final String RECOVER = "recover";

    /** How many {@code list} prints when {@code --limit} is not given. */
    static final int DEFAULT_LIMIT = 1000;

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;
    private final Clock clock;

    public QueueCommand(PrintStream out, PrintStream err, Map<String, String> env) {
        this(out, err, env, Clock.systemUTC());
    }

    QueueCommand(PrintStream out, PrintStream err, Map<String, String> env, Clock clock) {
        this.out = Objects.requireNonNull(out, "out");
        this.err = Objects.requireNonNull(err, "err");
        this.env = Objects.requireNonNull(env, "env");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * {@code retry-now} for all destinations' events or one destination's.
     *
     * @return the exit code: 0 ok, 2 bad config or usage, 1 anything else
     */
    public int run(String action, Path configFile, Optional<String> destination) {
        return run(CliArguments.storedQueue(CliArguments.QUEUE, action, configFile, destination));
    }

    /** @return the exit code: 0 ok, 2 bad config or usage, 1 anything else */
    int run(CliArguments arguments) {
        String action = arguments.action().orElseThrow();
        Path configFile = arguments.config().orElseThrow();
        Optional<String> destination = arguments.destination();
        if (!action.equals(RETRY_NOW) && !action.equals(LIST) && !action.equals(RECOVER)) {
            err.println("sluice queue: unknown action '" + action + "' (retry-now, list or recover)");
            return 2;
        }
        Optional<StoredQueueConfig> stored = StoredQueueConfig.read(new ConfigLoader(env), configFile, err,
                "sluice queue");
        if (stored.isEmpty()) {
            return 2;
        }
        Path dataDir = stored.get().dataDir();
        stored.get().warnIfUnknown(destination, configFile, err);
        if (action.equals(RECOVER)) {
            return recover(dataDir);
        }
        if (!Files.exists(dataDir.resolve(QueueDatabase.FILE_NAME))) {
            if (action.equals(LIST)) {
                if (!arguments.json()) {
                    out.println("nothing queued: there is no queue database in " + dataDir + " yet");
                }
            } else {
                out.println("made 0 events due: there is no queue database in " + dataDir + " yet");
            }
            return 0;
        }
        try {
            QueueDatabase database = QueueDatabase.open(dataDir);
            if (action.equals(LIST)) {
                return list(new QueueListing(database), destination, arguments.limit().orElse(DEFAULT_LIMIT),
                        arguments.json());
            }
            int made = new PendingRetries(database, clock).makeDueNow(destination);
            out.println("made " + made + (made == 1 ? " waiting event" : " waiting events") + " due now"
                    + destination.map(id -> " for " + id).orElse("")
                    + "; a running host delivers them within a second, a stopped one when it starts");
            return 0;
        } catch (SQLException | IOException e) {
            err.println("sluice queue " + action + ": "
                    + StorageErrors.cannotOpen(e, dataDir.resolve(QueueDatabase.FILE_NAME), configFile));
            return 1;
        }
    }

    private int recover(Path dataDir) {
        Path database = dataDir.resolve(QueueDatabase.FILE_NAME);
        if (!Files.exists(database)) {
            err.println("sluice queue recover: there is no queue database at " + database + "; nothing to recover");
            return 1;
        }
        QueueRecovery.Report report;
        try {
            report = QueueRecovery.recover(dataDir, clock);
        } catch (IllegalStateException e) {
            err.println("sluice queue recover: " + e.getMessage() + ". Stop that host first: recover needs the "
                    + "database to itself");
            return 1;
        } catch (SQLException | IOException e) {
            err.println("sluice queue recover: failed: " + e.getMessage() + ". Nothing was deleted; the files in "
                    + dataDir + " are as they were, or moved aside into a damaged-* folder there");
            return 1;
        }
        if (report.intact()) {
            out.println(database + " is not damaged (SQLite's check found nothing and every row reads: "
                    + report.queuedSaved() + " queued events, " + report.deadLettersSaved()
                    + " dead letters); nothing was changed");
            return 0;
        }
        out.println("moved the damaged database aside to " + report.movedTo() + " (kept, never deleted)");
        out.println("salvaged " + report.queuedSaved() + (report.queuedSaved() == 1 ? " queued event" : " queued events")
                + " and " + report.deadLettersSaved() + (report.deadLettersSaved() == 1 ? " dead letter" : " dead letters")
                + " into a fresh " + database);
        if (report.unreadable().isEmpty()) {
            out.println("every row could be read");
        } else {
            out.println("could not read the rows with ids " + String.join(", ", report.unreadable())
                    + " (ids there that held an event or dead letter are lost)");
        }
        report.damage().stream().limit(5).forEach(line -> out.println("SQLite's check found: " + line));
        out.println("start the host again: it delivers the salvaged events");
        return 0;
    }

    private int list(QueueListing listing, Optional<String> destination, int limit, boolean json)
            throws SQLException, IOException {
        List<QueueListing.Item> items = listing.list(destination, limit);
        Instant now = clock.instant();
        if (json) {
            for (QueueListing.Item item : items) {
                out.println(StoredJson.MAPPER.writeValueAsString(StoredJson.of(item, now)));
            }
            return 0;
        }
        long total = listing.count(destination);
        out.println("id\tdestination\tevent_id\tevent_type\tuser\tattempts\tnext_attempt\tlast_reason");
        for (QueueListing.Item item : items) {
            EventSummary summary = EventSummary.of(item.json());
            String next = item.nextAttemptAt().isAfter(now) ? item.nextAttemptAt().toString() : "due now";
            out.println(item.id() + "\t" + item.destinationId() + "\t" + item.eventId() + "\t" + summary.eventType()
                    + "\t" + summary.user() + "\t" + item.attempts() + "\t" + next + "\t"
                    + item.lastError().map(r -> r.replace('\n', ' ').replace('\t', ' ')).orElse("-"));
        }
        out.println((items.size() < total ? items.size() + " shown of " : "") + total
                + (total == 1 ? " queued event" : " queued events") + destination.map(id -> " for " + id).orElse("")
                + (items.size() < total ? "; --limit " + limit : ""));
        return 0;
    }
}
