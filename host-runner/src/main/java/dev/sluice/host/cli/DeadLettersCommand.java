package dev.sluice.host.cli;

import dev.sluice.host.config.ConfigLoader;
import dev.sluice.host.config.HostConfig;
import dev.sluice.host.queue.DeadLetter;
import dev.sluice.host.queue.DeadLetters;
import dev.sluice.host.queue.QueueDatabase;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code sluice dead-letters list|replay --config FILE [--destination ID]}.
 *
 * <p>Works on the data dir's queue database directly, whether the host runs or not: {@code list}
 * prints one line per dead letter (no event bodies: they hold personal data), {@code replay} puts
 * them back on their destination's queue, due now, with their attempts reset.
 */
public final class DeadLettersCommand {

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;

    public DeadLettersCommand(PrintStream out, PrintStream err, Map<String, String> env) {
        this.out = Objects.requireNonNull(out, "out");
        this.err = Objects.requireNonNull(err, "err");
        this.env = Objects.requireNonNull(env, "env");
    }

    /**
     * @param action      {@code list} or {@code replay}
     * @param configFile  the host config (its {@code server.data_dir} holds the dead letters)
     * @param destination only this destination's dead letters, when given
     * @return the exit code: 0 ok, 2 bad config or usage, 1 anything else
     */
    public int run(String action, Path configFile, Optional<String> destination) {
        Optional<StoredQueueConfig> stored = StoredQueueConfig.read(new ConfigLoader(env), configFile, err,
                "sluice dead-letters");
        if (stored.isEmpty()) {
            return 2;
        }
        Optional<HostConfig> config = stored.get().config();
        Path dataDir = stored.get().dataDir();
        stored.get().warnIfUnknown(destination, configFile, err);
        if (!Files.exists(dataDir.resolve(QueueDatabase.FILE_NAME))) {
            out.println("no dead letters: there is no queue database in " + dataDir + " yet");
            return 0;
        }
        try {
            DeadLetters deadLetters = new DeadLetters(QueueDatabase.open(dataDir), Clock.systemUTC());
            return switch (action) {
                case "list" -> list(deadLetters, destination);
                case "replay" -> replay(deadLetters, destination, config);
                default -> {
                    err.println("sluice dead-letters: unknown action '" + action + "' (list or replay)");
                    yield 2;
                }
            };
        } catch (SQLException | IOException e) {
            err.println("sluice dead-letters " + action + ": cannot use the queue database in " + dataDir + ": "
                    + e.getMessage());
            return 1;
        }
    }

    private static final int LIST_LIMIT = 1000;

    private int list(DeadLetters deadLetters, Optional<String> destination) throws SQLException {
        long total = deadLetters.count(destination);
        List<DeadLetter> letters = deadLetters.list(destination, LIST_LIMIT);
        out.println("id\tdestination\tevent_id\tattempts\tdead_lettered_at\treason");
        for (DeadLetter d : letters) {
            out.println(d.id() + "\t" + d.destinationId() + "\t" + d.eventId() + "\t" + d.attempts() + "\t"
                    + d.deadLetteredAt() + "\t" + d.reason().replace('\n', ' '));
        }
        out.println(total + (total == 1 ? " dead letter" : " dead letters")
                + destination.map(id -> " for " + id).orElse("")
                + (total > letters.size() ? " (first " + letters.size() + " shown)" : ""));
        return 0;
    }

    private int replay(DeadLetters deadLetters, Optional<String> destination, Optional<HostConfig> config)
            throws SQLException {
        if (destination.isEmpty() && config.isPresent()) {
            for (String id : deadLetters.destinations()) {
                if (config.get().destination(id).isEmpty()) {
                    err.println("warning: dead letters for '" + id + "', which is not in the config, "
                            + "are replayed too; no worker delivers them until it is configured again");
                }
            }
        }
        int moved = deadLetters.replay(destination);
        out.println("replayed " + moved + (moved == 1 ? " dead letter" : " dead letters")
                + destination.map(id -> " for " + id).orElse("")
                + "; they are due now and a running host delivers them within a second");
        return 0;
    }
}
