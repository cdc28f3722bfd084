package dev.sluice.host.cli;

import dev.sluice.host.config.ConfigLoader;
import dev.sluice.host.config.DestinationValidator;
import dev.sluice.host.config.HostConfigProblem;
import dev.sluice.host.config.InvalidHostConfigException;
import dev.sluice.host.config.LoadedConfig;
import dev.sluice.host.config.ValidatedHost;
import dev.sluice.host.plugins.PluginLoadProblem;
import dev.sluice.host.plugins.PluginLoader;
import dev.sluice.host.plugins.PluginRegistry;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code run} and {@code check} share: read the config, find the plugins folder, load the
 * plugins and validate every destination. Plugin load problems are warnings (printed to
 * {@code err}); they only stop the host when a configured destination's type is then missing,
 * which the validator reports as a config error.
 *
 * <p>The plugins folder is {@code --plugins} when given; otherwise {@code server.plugins_dir}
 * (default {@code plugins/} next to the config file); and when that folder does not exist and
 * the host runs from a distribution ({@code -Dsluice.home}, set by {@code bin/sluice}), the
 * distribution's own {@code plugins/}.
 */
final class HostPreparation {

    private final Map<String, String> env;
    private final Optional<Path> home;
    private final PrintStream err;

    HostPreparation(Map<String, String> env, Optional<Path> home, PrintStream err) {
        this.env = Objects.requireNonNull(env, "env");
        this.home = Objects.requireNonNull(home, "home");
        this.err = Objects.requireNonNull(err, "err");
    }

    /** The plugins folder that was used, with the validated host. */
    record Prepared(Path pluginsDir, ValidatedHost host) {
    }

    Prepared prepare(Path configFile, Optional<Path> pluginsOption) throws InvalidHostConfigException, UsageException {
        if (pluginsOption.isPresent() && !Files.isDirectory(pluginsOption.get())) {
            throw new UsageException("--plugins " + pluginsOption.get() + " is not a folder");
        }
        // the file's own problems are listed with the plugins' findings below, all at once
        LoadedConfig loaded = new ConfigLoader(env).read(configFile);
        loaded.warnings().forEach(w -> err.println("warning: " + w));
        Path pluginsDir = pluginsOption.orElseGet(() -> fallback(loaded.config().pluginsDir()));
        PluginRegistry registry = new PluginLoader(true).load(pluginsDir);
        for (PluginLoadProblem warning : registry.warnings()) {
            err.println("warning: plugin " + warning);
        }
        for (PluginLoadProblem problem : registry.problems()) {
            err.println("warning: plugin " + problem + " (skipped)");
        }
        try {
            ValidatedHost host = new DestinationValidator(registry).validate(loaded.config(), loaded.errors());
            for (HostConfigProblem warning : host.warnings()) {
                err.println("warning: " + warning);
            }
            return new Prepared(pluginsDir, host);
        } catch (InvalidHostConfigException e) {
            closeQuietly(registry);
            throw e;
        }
    }

    private Path fallback(Path configured) {
        if (Files.isDirectory(configured) || home.isEmpty()) {
            return configured;
        }
        Path homePlugins = home.get().resolve("plugins");
        if (Files.isDirectory(homePlugins)) {
            return homePlugins.toAbsolutePath().normalize();
        }
        return configured;
    }

    private static void closeQuietly(PluginRegistry registry) {
        try {
            registry.close();
        } catch (IOException e) {
            // nothing was created from it; a failing close changes nothing for the user
        }
    }
}
