package dev.sluice.host.cli;

import dev.sluice.api.Destination;
import dev.sluice.host.config.HostConfigProblem;
import dev.sluice.host.config.ValidatedDestination;
import dev.sluice.host.config.ValidatedHost;
import dev.sluice.host.runtime.DestinationCreator;
import dev.sluice.host.runtime.HostStartException;
import dev.sluice.host.config.InvalidHostConfigException;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code sluice} command. Exit codes: 0 ok, 2 bad config or usage, 1 anything else. Only
 * {@link #main} exits the JVM; {@link #run} returns the code so tests can call it in-process.
 */
public final class SluiceMain {

    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int BAD_CONFIG_OR_USAGE = 2;

    /** The system property {@code bin/sluice} sets to the distribution's folder. */
    public static final String HOME_PROPERTY = "sluice.home";

    static final String USAGE = """
            Usage: sluice <command> [options]

            Commands:
              run --config FILE [--plugins DIR]
                  Load the plugins, validate the config and run the host until SIGTERM/SIGINT.
              check --config FILE [--plugins DIR]
                  Load the plugins, validate the config and create each destination (without
                  starting it or calling out); print the loaded plugins and the destinations.
              dead-letters list --config FILE [--destination ID] [--since TIME] [--limit N] [--json]
                  List the events a destination rejected for good or gave up retrying: id,
                  event type, user, attempts, time and reason (--json: one object per line,
                  the event included).
              dead-letters show --config FILE ID [--json]
                  Print one dead letter with its event, reason, attempts and times.
              dead-letters replay --config FILE [--destination ID] [--id ID ...]
                  Put dead letters (all, one destination's, or these) back on their queue.
              dead-letters delete --config FILE (--id ID ... | --destination ID --all)
                  Remove dead letters for good; prints how many.
              queue list --config FILE [--destination ID] [--limit N] [--json]
                  Show what is queued: event, type, user, attempts, next attempt, last reason.
              queue retry-now --config FILE [--destination ID]
                  Make every queued event that waits for a retry due now (e.g. after a rate
                  limit was lifted or a token fixed); prints how many.
              queue recover --config FILE
                  With the host stopped: move a damaged queue database aside (kept) and salvage
                  every readable event and dead letter into a fresh one; prints what it saved.
              transform test --config FILE --destination ID [--plugins DIR] < events.json
                  Show what the destination's transform and table_name_template do with the
                  events on standard input (the Events API's bodies): the event after enrichment,
                  after the transform, the template result, and whether it would be queued,
                  skipped or dead-lettered. Nothing is stored or sent.
              help, --help, -h
                  Show this help.

            The dead-letters and queue commands work with the host running or stopped (recover:
            stopped only), and need only server.data_dir from the config (other ${env:...} values
            may be unset).

            Options:
              --config FILE     the host config (Jitsu Classic style YAML); ${env:NAME} reads NAME
              --plugins DIR     the folder of plugin JARs; default: server.plugins_dir, else plugins/
                                next to the config file, else the distribution's plugins/
              --destination ID  only this destination (dead-letters, queue); the destination (transform)
              --id ID ...       only these dead letters (ids from dead-letters list)
              --since TIME      only those dead-lettered since 2026-12-06T10:00:00Z, 2026-12-06
                                (UTC) or a time ago: 30m, 2h, 7d
              --limit N         at most N lines (default 1000)
              --json            one JSON object per line, for scripts

            Exit codes: 0 ok, 2 bad config or usage, 1 anything else.
            """;

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;
    private final Optional<Path> home;
    private final HostLauncher launcher;

    public SluiceMain(PrintStream out, PrintStream err, Map<String, String> env, Optional<Path> home,
                      HostLauncher launcher) {
        this.out = Objects.requireNonNull(out, "out");
        this.err = Objects.requireNonNull(err, "err");
        this.env = Map.copyOf(env);
        this.home = Objects.requireNonNull(home, "home");
        this.launcher = Objects.requireNonNull(launcher, "launcher");
    }

    public static void main(String[] args) {
        Optional<Path> home = Optional.ofNullable(System.getProperty(HOME_PROPERTY)).filter(s -> !s.isBlank()).map(Path::of);
        int code = new SluiceMain(System.out, System.err, System.getenv(), home, new HostLauncher()).run(args);
        System.out.flush();
        System.exit(code);
    }

    /** Runs one command and returns its exit code; never exits the JVM. */
    public int run(String... args) {
        CliArguments arguments;
        try {
            arguments = CliArguments.parse(args);
        } catch (UsageException e) {
            err.println("sluice: " + e.getMessage());
            err.println("Run 'sluice --help' for the commands and options.");
            return BAD_CONFIG_OR_USAGE;
        }
        try {
            return switch (arguments.command()) {
                case CliArguments.HELP -> {
                    out.print(USAGE);
                    yield OK;
                }
                case CliArguments.DEAD_LETTERS -> new DeadLettersCommand(out, err, env).run(arguments);
                case CliArguments.QUEUE -> new QueueCommand(out, err, env).run(arguments);
                case CliArguments.TRANSFORM -> new TransformTestCommand(out, err, System.in,
                        new HostPreparation(env, home, err))
                        .run(arguments.config().orElseThrow(), arguments.plugins(), arguments.destination().orElseThrow());
                default -> prepareAndRun(arguments);
            };
        } catch (UsageException e) {
            err.println("sluice: " + e.getMessage());
            return BAD_CONFIG_OR_USAGE;
        } catch (InvalidHostConfigException e) {
            for (HostConfigProblem problem : e.problems()) {
                err.println(problem);
            }
            err.println("sluice: " + e.problems().size() + (e.problems().size() == 1 ? " problem" : " problems")
                    + " in " + arguments.config().orElseThrow() + "; nothing was started");
            return BAD_CONFIG_OR_USAGE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("sluice: interrupted");
            return FAILURE;
        } catch (RuntimeException | IOException | LinkageError e) {
            err.println("sluice: failed: " + e);
            return FAILURE;
        }
    }

    /**
     * What {@code check} adds to validation: each destination is created (never started) and closed
     * again, so a plugin that lacks a library or whose constructor fails is found now, not at
     * {@code run}.
     */
    private static List<String> createEach(ValidatedHost host) {
        List<String> failures = new ArrayList<>();
        for (ValidatedDestination d : host.destinations()) {
            try {
                Destination destination = DestinationCreator.create(d, Clock.systemUTC(), host.config().baseDirectory());
                try {
                    destination.close();
                } catch (RuntimeException | LinkageError e) {
                    failures.add("destination '" + d.id() + "': close() after create() failed: " + e);
                }
            } catch (HostStartException e) {
                failures.add(e.getMessage());
            }
        }
        return failures;
    }

    private int prepareAndRun(CliArguments arguments) throws InvalidHostConfigException, UsageException,
            InterruptedException, IOException {
        Path configFile = arguments.config().orElseThrow();
        HostPreparation.Prepared prepared = new HostPreparation(env, home, err).prepare(configFile, arguments.plugins());
        if (arguments.command().equals(CliArguments.CHECK)) {
            try (var plugins = prepared.host().plugins()) {
                List<String> failures = createEach(prepared.host());
                if (!failures.isEmpty()) {
                    failures.forEach(f -> err.println(configFile + ": " + f));
                    err.println("sluice: " + failures.size() + (failures.size() == 1 ? " destination" : " destinations")
                            + " could not be created; nothing was started");
                    return BAD_CONFIG_OR_USAGE;
                }
                CheckReport.print(out, configFile, prepared.pluginsDir(), prepared.host());
            }
            return OK;
        }
        try (var plugins = prepared.host().plugins()) {
            return launcher.launch(prepared.host());
        }
    }
}
