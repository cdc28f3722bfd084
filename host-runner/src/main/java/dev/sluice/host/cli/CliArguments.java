package dev.sluice.host.cli;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A parsed command line: {@code sluice <command> [action] [--config FILE] [--plugins DIR]
 * [--destination ID]}. Options take {@code --name value} or {@code --name=value}.
 *
 * @param command     {@code run}, {@code check}, {@code dead-letters}, {@code queue} or {@code help}
 * @param action      for {@code dead-letters}: {@code list} or {@code replay}; for {@code queue}:
 *                    {@code retry-now}; empty otherwise
 * @param config      {@code --config}
 * @param plugins     {@code --plugins}
 * @param destination {@code --destination}
 */
record CliArguments(String command, Optional<String> action, Optional<Path> config, Optional<Path> plugins,
                    Optional<String> destination) {

    static final String RUN = "run";
    static final String CHECK = "check";
    static final String DEAD_LETTERS = "dead-letters";
    static final String QUEUE = "queue";
    static final String TRANSFORM = "transform";
    static final String HELP = "help";

    CliArguments {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(plugins, "plugins");
        Objects.requireNonNull(destination, "destination");
    }

    static CliArguments parse(String... args) throws UsageException {
        if (args.length == 0) {
            throw new UsageException("no command given");
        }
        String command = args[0];
        if (command.equals("--help") || command.equals("-h") || command.equals(HELP)) {
            return new CliArguments(HELP, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        }
        if (!command.equals(RUN) && !command.equals(CHECK) && !command.equals(DEAD_LETTERS)
                && !command.equals(QUEUE) && !command.equals(TRANSFORM)) {
            throw new UsageException("unknown command '" + command + "'");
        }
        Optional<String> action = Optional.empty();
        Optional<Path> config = Optional.empty();
        Optional<Path> plugins = Optional.empty();
        Optional<String> destination = Optional.empty();
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                return new CliArguments(HELP, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
            }
            if (!arg.startsWith("--")) {
                if (command.equals(DEAD_LETTERS) && action.isEmpty()) {
                    if (!arg.equals("list") && !arg.equals("replay")) {
                        throw new UsageException("dead-letters needs 'list' or 'replay', not '" + arg + "'");
                    }
                    action = Optional.of(arg);
                    continue;
                }
                if (command.equals(TRANSFORM) && action.isEmpty()) {
                    if (!arg.equals(TransformTestCommand.TEST)) {
                        throw new UsageException("transform needs 'test', not '" + arg + "'");
                    }
                    action = Optional.of(arg);
                    continue;
                }
                if (command.equals(QUEUE) && action.isEmpty()) {
                    if (!arg.equals(QueueCommand.RETRY_NOW)) {
                        throw new UsageException("queue needs 'retry-now', not '" + arg + "'");
                    }
                    action = Optional.of(arg);
                    continue;
                }
                throw new UsageException("unexpected argument '" + arg + "'");
            }
            int eq = arg.indexOf('=');
            String name = eq > 0 ? arg.substring(0, eq) : arg;
            if (!name.equals("--config") && !name.equals("--plugins") && !name.equals("--destination")) {
                throw new UsageException("unknown option '" + name + "'");
            }
            String value;
            if (eq > 0) {
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                value = args[++i];
            } else {
                throw new UsageException(name + " needs a value");
            }
            if (value.isBlank()) {
                throw new UsageException(name + " needs a value");
            }
            switch (name) {
                case "--config" -> config = Optional.of(Path.of(value));
                case "--plugins" -> plugins = Optional.of(Path.of(value));
                case "--destination" -> {
                    if (!command.equals(DEAD_LETTERS) && !command.equals(QUEUE) && !command.equals(TRANSFORM)) {
                        throw new UsageException("--destination is only for dead-letters, queue and transform");
                    }
                    destination = Optional.of(value);
                }
                default -> throw new UsageException("unknown option '" + name + "'");
            }
        }
        if (config.isEmpty()) {
            throw new UsageException(command + " needs --config FILE");
        }
        if (command.equals(DEAD_LETTERS) && action.isEmpty()) {
            throw new UsageException("dead-letters needs 'list' or 'replay'");
        }
        if (command.equals(QUEUE) && action.isEmpty()) {
            throw new UsageException("queue needs 'retry-now'");
        }
        if (command.equals(TRANSFORM) && (action.isEmpty() || destination.isEmpty())) {
            throw new UsageException("transform needs 'test' and --destination ID");
        }
        return new CliArguments(command, action, config, plugins, destination);
    }
}
