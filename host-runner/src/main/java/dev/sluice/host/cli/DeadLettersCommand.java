package dev.sluice.host.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.sluice.host.config.ConfigLoader;
import dev.sluice.host.config.HostConfig;
import dev.sluice.host.queue.DeadLetter;
import dev.sluice.host.queue.DeadLetters;
import dev.sluice.host.queue.QueueDatabase;
import dev.sluice.host.queue.StorageErrors;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code sluice dead-letters list|show|replay|delete --config FILE ...}.
 *
 * <p>Works on the data dir's queue database directly, whether the host runs or not. {@code list}
 * prints one line per dead letter (its event's type and user besides the reason; {@code --json}
 * prints one JSON object per line with the event), {@code show} one dead letter with its event,
 * {@code replay} puts dead letters back on their destination's queue, due now, with their
 * attempts reset, and {@code delete} removes them for good.
 */
public final class DeadLettersCommand {

    /** How many {@code list} prints when {@code --limit} is not given. */
    static final int DEFAULT_LIMIT = 1000;

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;
    private final Clock clock;

    public DeadLettersCommand(PrintStream out, PrintStream err, Map<String, String> env) {
        this(out, err, env, Clock.systemUTC());
    }

    DeadLettersCommand(PrintStream out, PrintStream err, Map<String, String> env, Clock clock) {
        this.out = Objects.requireNonNull(out, "out");
        this.err = Objects.requireNonNull(err, "err");
        this.env = Objects.requireNonNull(env, "env");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * {@code list} or {@code replay} of all dead letters, of one destination when given.
     *
     * @return the exit code: 0 ok, 2 bad config or usage, 1 anything else
     */
    public int run(String action, Path configFile, Optional<String> destination) {
        return run(CliArguments.storedQueue(CliArguments.DEAD_LETTERS, action, configFile, destination));
    }

    /** @return the exit code: 0 ok, 2 bad config or usage, 1 anything else */
    int run(CliArguments arguments) {
        String action = arguments.action().orElseThrow();
        Path configFile = arguments.config().orElseThrow();
        Optional<String> destination = arguments.destination();
        Optional<Instant> since;
        try {
            since = arguments.since().isEmpty() ? Optional.empty()
                    : Optional.of(SinceArgument.parse(arguments.since().get(), clock));
        } catch (UsageException e) {
            err.println("sluice: " + e.getMessage());
            return 2;
        }
        Optional<StoredQueueConfig> stored = StoredQueueConfig.read(new ConfigLoader(env), configFile, err,
                "sluice dead-letters");
        if (stored.isEmpty()) {
            return 2;
        }
        Optional<HostConfig> config = stored.get().config();
        Path dataDir = stored.get().dataDir();
        stored.get().warnIfUnknown(destination, configFile, err);
        if (!Files.exists(dataDir.resolve(QueueDatabase.FILE_NAME))) {
            if (action.equals("list")) {
                if (!arguments.json()) {
                    out.println("no dead letters: there is no queue database in " + dataDir + " yet");
                }
                return 0;
            }
            err.println("sluice dead-letters " + action + ": there is no queue database in " + dataDir
                    + " yet, so no dead letters");
            return action.equals("show") || !arguments.ids().isEmpty() ? 1 : 0;
        }
        try {
            DeadLetters deadLetters = new DeadLetters(QueueDatabase.open(dataDir), clock);
            return switch (action) {
                case "list" -> list(deadLetters, destination, since,
                        arguments.limit().orElse(DEFAULT_LIMIT), arguments.json());
                case "show" -> show(deadLetters, Long.parseLong(arguments.operand().orElseThrow()), arguments.json());
                case "replay" -> replay(deadLetters, destination, arguments.ids(), config);
                case "delete" -> delete(deadLetters, destination, arguments.ids());
                default -> {
                    err.println("sluice dead-letters: unknown action '" + action + "'");
                    yield 2;
                }
            };
        } catch (SQLException | IOException e) {
            err.println("sluice dead-letters " + action + ": "
                    + StorageErrors.cannotOpen(e, dataDir.resolve(QueueDatabase.FILE_NAME), configFile));
            return 1;
        }
    }

    private int list(DeadLetters deadLetters, Optional<String> destination, Optional<Instant> since, int limit,
                     boolean json) throws SQLException, JsonProcessingException {
        List<DeadLetter> letters = deadLetters.list(destination, since, limit);
        if (json) {
            for (DeadLetter d : letters) {
                out.println(StoredJson.MAPPER.writeValueAsString(StoredJson.of(d)));
            }
            return 0;
        }
        long total = deadLetters.count(destination);
        out.println("id\tdestination\tevent_id\tevent_type\tuser\tattempts\tdead_lettered_at\treason");
        for (DeadLetter d : letters) {
            EventSummary summary = EventSummary.of(d.json());
            out.println(d.id() + "\t" + d.destinationId() + "\t" + d.eventId() + "\t" + summary.eventType() + "\t"
                    + summary.user() + "\t" + d.attempts() + "\t" + d.deadLetteredAt() + "\t" + oneLine(d.reason()));
        }
        String of = destination.map(id -> " for " + id).orElse("");
        if (since.isPresent() || letters.size() < total) {
            out.println(letters.size() + " shown of " + total + (total == 1 ? " dead letter" : " dead letters") + of
                    + since.map(at -> "; shown: dead-lettered since " + at).orElse("")
                    + (letters.size() == limit && letters.size() < total ? "; --limit " + limit : ""));
        } else {
            out.println(total + (total == 1 ? " dead letter" : " dead letters") + of);
        }
        return 0;
    }

    private int show(DeadLetters deadLetters, long id, boolean json) throws SQLException, JsonProcessingException {
        Optional<DeadLetter> found = deadLetters.find(id);
        if (found.isEmpty()) {
            err.println("sluice dead-letters show: there is no dead letter " + id
                    + " (replayed or deleted, or never existed; see dead-letters list)");
            return 1;
        }
        out.println(json ? StoredJson.MAPPER.writeValueAsString(StoredJson.of(found.get()))
                : StoredJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(StoredJson.of(found.get())));
        return 0;
    }

    private int replay(DeadLetters deadLetters, Optional<String> destination, List<Long> ids,
                       Optional<HostConfig> config) throws SQLException {
        if (!allExist(deadLetters, destination, ids, "replay")) {
            return 1;
        }
        if (config.isPresent()) {
            for (String id : deadLetters.destinations()) {
                if (destination.map(id::equals).orElse(true) && config.get().destination(id).isEmpty()) {
                    err.println("warning: dead letters for '" + id + "', which is not in the config, "
                            + "are replayed too; no worker delivers them until it is configured again");
                }
            }
        }
        int moved = deadLetters.replay(destination, ids);
        out.println("replayed " + moved + (moved == 1 ? " dead letter" : " dead letters")
                + destination.map(id -> " for " + id).orElse("")
                + "; they are due now and a running host delivers them within a second");
        return 0;
    }

    private int delete(DeadLetters deadLetters, Optional<String> destination, List<Long> ids) throws SQLException {
        if (!allExist(deadLetters, destination, ids, "delete")) {
            return 1;
        }
        int deleted = deadLetters.delete(destination, ids);
        out.println("deleted " + deleted + (deleted == 1 ? " dead letter" : " dead letters")
                + destination.map(id -> " for " + id).orElse("") + "; they are gone for good");
        return 0;
    }

    /** With ids given: all of them must exist (for the destination, when given), else nothing is changed. */
    private boolean allExist(DeadLetters deadLetters, Optional<String> destination, List<Long> ids, String action)
            throws SQLException {
        if (ids.isEmpty()) {
            return true;
        }
        List<Long> found = deadLetters.existing(destination, ids);
        List<Long> missing = new ArrayList<>(ids);
        missing.removeAll(found);
        if (missing.isEmpty()) {
            return true;
        }
        err.println("sluice dead-letters " + action + ": no dead letter with id " + joined(missing)
                + destination.map(id -> " for " + id).orElse("") + "; nothing was changed");
        return false;
    }

    private static String joined(List<Long> ids) {
        return String.join(", ", ids.stream().distinct().map(String::valueOf).toList());
    }

    private static String oneLine(String text) {
        return text.replace('\n', ' ').replace('\t', ' ');
    }
}
