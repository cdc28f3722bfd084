package dev.sluice.host.cli;

import dev.sluice.host.config.ConfigLoader;
import dev.sluice.host.config.HostConfig;
import dev.sluice.host.config.HostConfigProblem;
import dev.sluice.host.config.InvalidHostConfigException;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * What the commands that work on the stored queue ({@code dead-letters}, {@code queue}) read from
 * the config: the data dir, and the whole config when it loads. The stored queue needs only
 * {@code server.data_dir}, so an operator does not need every destination's secret in the
 * environment: when the whole file does not load, the {@code server:} section alone is used.
 *
 * @param config  the whole config, when it loaded
 * @param dataDir where the queue database is
 */
record StoredQueueConfig(Optional<HostConfig> config, Path dataDir) {

    StoredQueueConfig {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(dataDir, "dataDir");
    }

    /**
     * Reads the config; prints a note to {@code err} when only {@code server:} could be used, and
     * the problems when not even that works (then empty).
     *
     * @param command the command's name for messages, e.g. {@code sluice dead-letters}
     */
    static Optional<StoredQueueConfig> read(ConfigLoader loader, Path configFile, PrintStream err, String command) {
        try {
            HostConfig config = loader.load(configFile).config();
            return Optional.of(new StoredQueueConfig(Optional.of(config), config.dataDir()));
        } catch (InvalidHostConfigException whole) {
            try {
                Path dataDir = loader.dataDir(configFile);
                err.println("note: " + configFile + " does not load as a whole (" + whole.problems().size()
                        + (whole.problems().size() == 1 ? " problem" : " problems")
                        + ", e.g. an unset ${env:...}); using its server.data_dir only, destination ids are not checked");
                return Optional.of(new StoredQueueConfig(Optional.empty(), dataDir));
            } catch (InvalidHostConfigException e) {
                for (HostConfigProblem problem : e.problems()) {
                    err.println(problem);
                }
                err.println(command + ": " + configFile + " cannot be used");
                return Optional.empty();
            }
        }
    }

    /** Warns on {@code err} when a destination was asked for that the loaded config does not have. */
    void warnIfUnknown(Optional<String> destination, Path configFile, PrintStream err) {
        if (destination.isPresent() && config.isPresent() && config.get().destination(destination.get()).isEmpty()) {
            err.println("warning: destination '" + destination.get() + "' is not in " + configFile);
        }
    }
}
