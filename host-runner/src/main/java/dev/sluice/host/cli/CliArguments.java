package dev.sluice.host.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A parsed command line: {@code sluice <command> [action] [operand] [options]}. Options take
 * {@code --name value} or {@code --name=value}; {@code --id} takes one or more values and may be
 * repeated; {@code --json} and {@code --all} take none.
 *
 * @param command     {@code run}, {@code check}, {@code dead-letters}, {@code queue} or {@code help}
 * @param action      for {@code dead-letters}: list, show, replay or delete; for {@code queue}:
 *                    retry-now, list or recover; empty otherwise
 * @param operand     the dead letter's id for {@code dead-letters show}
 * @param config      {@code --config}
 * @param plugins     {@code --plugins}
 * @param destination {@code --destination}
 * @param ids         {@code --id} values, in order given
 * @param json        {@code --json}
 * @param limit       {@code --limit}
 * @param since       {@code --since}, as given (the command parses it)
 * @param all         {@code --all}
 */
record CliArguments(String command, Optional<String> action, Optional<String> operand, Optional<Path> config,
                    Optional<Path> plugins, Optional<String> destination, List<Long> ids, boolean json,
                    Optional<Integer> limit, Optional<String> since, boolean all) {

    static final String RUN = "run";
    static final String CHECK = "check";
    static final String DEAD_LETTERS = "dead-letters";
    static final String QUEUE = "queue";
    static final String TRANSFORM = "transform";
    static final String HELP = "help";

    /** The actions of the commands that have them, in the order usage messages name them. */
    private static final Map<String, List<String>> ACTIONS = Map.of(
            DEAD_LETTERS, List.of("list", "show", "replay", "delete"),
            TRANSFORM, List.of(TransformTestCommand.TEST),
            QUEUE, List.of(QueueCommand.RETRY_NOW, "list", QueueCommand.RECOVER));

    /** Which command/action takes which option, beyond --config (all) and --plugins (run, check). */
    private static final Map<String, Set<String>> OPTIONS = Map.of(
            DEAD_LETTERS + " list", Set.of("--destination", "--json", "--limit", "--since"),
            DEAD_LETTERS + " show", Set.of("--json"),
            DEAD_LETTERS + " replay", Set.of("--destination", "--id"),
            DEAD_LETTERS + " delete", Set.of("--destination", "--id", "--all"),
            QUEUE + " " + QueueCommand.RETRY_NOW, Set.of("--destination"),
            QUEUE + " list", Set.of("--destination", "--json", "--limit"),
            QUEUE + " " + QueueCommand.RECOVER, Set.of(),
            TRANSFORM + " " + TransformTestCommand.TEST, Set.of("--destination", "--plugins"));

    private static final Set<String> FLAGS = Set.of("--json", "--all");
    private static final Set<String> KNOWN = Set.of("--config", "--plugins", "--destination", "--id", "--json",
            "--limit", "--since", "--all");

    CliArguments {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(operand, "operand");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(plugins, "plugins");
        Objects.requireNonNull(destination, "destination");
        ids = List.copyOf(ids);
        Objects.requireNonNull(limit, "limit");
        Objects.requireNonNull(since, "since");
    }

    /**
     * A stored-queue command ({@code dead-letters}, {@code queue}) with only an action, the config
     * and maybe a destination, as the commands' plain {@code run} methods take them.
     */
    static CliArguments storedQueue(String command, String action, Path config, Optional<String> destination) {
        return new CliArguments(command, Optional.of(action), Optional.empty(), Optional.of(config), Optional.empty(),
                destination, List.of(), false, Optional.empty(), Optional.empty(), false);
    }

    private static CliArguments help() {
        return new CliArguments(HELP, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), List.of(), false, Optional.empty(), Optional.empty(), false);
    }

    static CliArguments parse(String... args) throws UsageException {
        if (args.length == 0) {
            throw new UsageException("no command given");
        }
        String command = args[0];
        if (command.equals("--help") || command.equals("-h") || command.equals(HELP)) {
            return help();
        }
        if (!command.equals(RUN) && !command.equals(CHECK) && !command.equals(DEAD_LETTERS)
                && !command.equals(QUEUE) && !command.equals(TRANSFORM)) {
            throw new UsageException("unknown command '" + command + "'");
        }
        List<String> actions = ACTIONS.getOrDefault(command, List.of());
        Optional<String> action = Optional.empty();
        Optional<String> operand = Optional.empty();
        Optional<Path> config = Optional.empty();
        Optional<Path> plugins = Optional.empty();
        Optional<String> destination = Optional.empty();
        List<Long> ids = new ArrayList<>();
        boolean json = false;
        boolean all = false;
        Optional<Integer> limit = Optional.empty();
        Optional<String> since = Optional.empty();
        List<String> given = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                return help();
            }
            if (!arg.startsWith("--")) {
                if (!actions.isEmpty() && action.isEmpty()) {
                    if (!actions.contains(arg)) {
                        throw new UsageException(command + " needs " + quoted(actions) + ", not '" + arg + "'");
                    }
                    action = Optional.of(arg);
                    continue;
                }
                if (command.equals(DEAD_LETTERS) && action.equals(Optional.of("show")) && operand.isEmpty()) {
                    operand = Optional.of(String.valueOf(id("dead-letters show", arg)));
                    continue;
                }
                throw new UsageException("unexpected argument '" + arg + "'");
            }
            int eq = arg.indexOf('=');
            String name = eq > 0 ? arg.substring(0, eq) : arg;
            if (!KNOWN.contains(name)) {
                throw new UsageException("unknown option '" + name + "'");
            }
            given.add(name);
            if (FLAGS.contains(name)) {
                if (eq > 0) {
                    throw new UsageException(name + " takes no value");
                }
                if (name.equals("--json")) {
                    json = true;
                } else {
                    all = true;
                }
                continue;
            }
            if (name.equals("--id") && eq < 0) {
                int before = ids.size();
                while (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                    ids.add(id("--id", args[++i]));
                }
                if (ids.size() == before) {
                    throw new UsageException("--id needs a value");
                }
                continue;
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
                case "--destination" -> destination = Optional.of(value);
                case "--id" -> {
                    for (String part : value.split(",")) {
                        ids.add(id("--id", part.trim()));
                    }
                }
                case "--limit" -> limit = Optional.of(limit(value));
                case "--since" -> since = Optional.of(value);
                default -> throw new UsageException("unknown option '" + name + "'");
            }
        }
        if (!actions.isEmpty() && action.isEmpty()) {
            throw new UsageException(command + " needs " + quoted(actions));
        }
        checkOptions(command, action, given);
        if (config.isEmpty()) {
            throw new UsageException(command + " needs --config FILE");
        }
        if (command.equals(TRANSFORM) && destination.isEmpty()) {
            throw new UsageException("transform needs 'test' and --destination ID");
        }
        if (action.equals(Optional.of("show")) && operand.isEmpty()) {
            throw new UsageException("dead-letters show needs the dead letter's id (from dead-letters list)");
        }
        if (command.equals(DEAD_LETTERS) && action.equals(Optional.of("delete"))) {
            if (ids.isEmpty() == !all) {
                throw new UsageException("dead-letters delete needs either --id ID ... or --destination ID --all");
            }
            if (all && destination.isEmpty()) {
                throw new UsageException("dead-letters delete --all needs --destination ID "
                        + "(all dead letters of that destination)");
            }
        }
        return new CliArguments(command, action, operand, config, plugins, destination, ids, json, limit, since, all);
    }

    private static void checkOptions(String command, Optional<String> action, List<String> given)
            throws UsageException {
        Set<String> allowed = action.map(a -> OPTIONS.getOrDefault(command + " " + a, Set.of())).orElse(Set.of());
        for (String name : given) {
            if (name.equals("--config")) {
                continue;
            }
            if (name.equals("--plugins")) {
                if (command.equals(RUN) || command.equals(CHECK) || command.equals(TRANSFORM)) {
                    continue;
                }
                throw new UsageException("--plugins is only for run, check and transform");
            }
            if (name.equals("--destination") && (command.equals(RUN) || command.equals(CHECK))) {
                throw new UsageException("--destination is only for dead-letters, queue and transform");
            }
            if (!allowed.contains(name)) {
                throw new UsageException(name + " is not an option of '" + command + action.map(a -> " " + a).orElse("")
                        + "'" + (allowed.isEmpty() ? "" : " (it takes " + String.join(", ", allowed.stream().sorted().toList()) + ")"));
            }
        }
    }

    private static long id(String what, String text) throws UsageException {
        try {
            long id = Long.parseLong(text);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException ignored) {
            // falls through to the usage error
        }
        throw new UsageException(what + " needs a dead letter id (a positive number from dead-letters list), not '"
                + text + "'");
    }

    private static int limit(String text) throws UsageException {
        try {
            int n = Integer.parseInt(text);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // falls through to the usage error
        }
        throw new UsageException("--limit needs a positive number, not '" + text + "'");
    }

    private static String quoted(List<String> actions) {
        List<String> q = actions.stream().map(a -> "'" + a + "'").toList();
        return q.size() == 1 ? q.get(0)
                : String.join(", ", q.subList(0, q.size() - 1)) + " or " + q.get(q.size() - 1);
    }
}
