package dev.sluice.host.cli;

import dev.sluice.host.config.ConfigLoader;
import dev.sluice.host.queue.PendingRetries;
import dev.sluice.host.queue.QueueDatabase;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code sluice queue retry-now --config FILE [--destination ID]}: makes every queued event that
 * waits for a retry due now, e.g. after the operator lifted a daily limit or fixed a token, instead
 * of waiting out the backoff. Works on the data dir's queue database directly, whether the host
 * runs or not (a running host's idle workers look for due events at least once a second).
 */
public final class QueueCommand {

    static final String RETRY_NOW = "retry-now";

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
     * @param action      {@code retry-now}
     * @param configFile  the host config (its {@code server.data_dir} holds the queue)
     * @param destination only this destination's events, when given
     * @return the exit code: 0 ok, 2 bad config or usage, 1 anything else
     */
    public int run(String action, Path configFile, Optional<String> destination) {
        if (!action.equals(RETRY_NOW)) {
            err.println("sluice queue: unknown action '" + action + "' (retry-now)");
            return 2;
        }
        Optional<StoredQueueConfig> stored = StoredQueueConfig.read(new ConfigLoader(env), configFile, err,
                "sluice queue");
        if (stored.isEmpty()) {
            return 2;
        }
        Path dataDir = stored.get().dataDir();
        stored.get().warnIfUnknown(destination, configFile, err);
        if (!Files.exists(dataDir.resolve(QueueDatabase.FILE_NAME))) {
            out.println("made 0 events due: there is no queue database in " + dataDir + " yet");
            return 0;
        }
        try {
            int made = new PendingRetries(QueueDatabase.open(dataDir), clock).makeDueNow(destination);
            out.println("made " + made + (made == 1 ? " waiting event" : " waiting events") + " due now"
                    + destination.map(id -> " for " + id).orElse("")
                    + "; a running host delivers them within a second, a stopped one when it starts");
            return 0;
        } catch (SQLException | IOException e) {
            err.println("sluice queue retry-now: cannot use the queue database in " + dataDir + ": " + e.getMessage());
            return 1;
        }
    }
}
