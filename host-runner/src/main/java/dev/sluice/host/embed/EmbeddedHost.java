package dev.sluice.host.embed;

import dev.sluice.api.DestinationFactory;
import dev.sluice.host.config.ConfigLoader;
import dev.sluice.host.config.DestinationValidator;
import dev.sluice.host.config.HostConfigProblem;
import dev.sluice.host.config.InvalidHostConfigException;
import dev.sluice.host.config.LoadedConfig;
import dev.sluice.host.config.ValidatedHost;
import dev.sluice.host.delivery.DeliveryStats;
import dev.sluice.host.plugins.PluginLoadProblem;
import dev.sluice.host.plugins.PluginLoader;
import dev.sluice.host.plugins.PluginRegistry;
import dev.sluice.host.queue.DeadLetter;
import dev.sluice.host.queue.DeadLetters;
import dev.sluice.host.runtime.HostRuntime;
import dev.sluice.host.runtime.HostStartException;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sluice running inside this JVM: the same host {@code sluice run} starts (config file, plugin
 * loading, durable queue, delivery workers, the Jitsu Events API on a real port), for tests,
 * benchmarks and applications that embed it. This package is host-runner's public API; every
 * other package of host-runner is internal and may change in any release.
 *
 * <pre>{@code
 * try (EmbeddedHost host = EmbeddedHost.builder(Path.of("sluice.yaml"))
 *         .pluginJar(Path.of("target/my-plugin-1.0.jar"))
 *         .start()) {
 *     // POST events to host.baseUri().resolve("/api/v1/s2s/event?token=...")
 *     host.destination("my_dest").delivered();
 * }
 * }</pre>
 *
 * <p>Use {@code server.port: 0} in the config to get a free port, then read {@link #port()}.
 */
public final class EmbeddedHost implements AutoCloseable {

    private final PluginRegistry registry;
    private final HostRuntime runtime;
    private final Map<String, String> fatalFailures;
    private final Clock clock;
    private final List<String> warnings;

    private EmbeddedHost(PluginRegistry registry, HostRuntime runtime, Map<String, String> fatalFailures, Clock clock,
                         List<String> warnings) {
        this.registry = registry;
        this.runtime = runtime;
        this.fatalFailures = fatalFailures;
        this.clock = clock;
        this.warnings = List.copyOf(warnings);
    }

    /** A host for this config file (Sluice's YAML; relative paths resolve against its folder). */
    public static Builder builder(Path configFile) {
        return new Builder(configFile);
    }

    /** The port the Events API listens on. */
    public int port() {
        return runtime.port();
    }

    /** {@code http://127.0.0.1:PORT/} when bound to all or loopback addresses, else the bound address. */
    public URI baseUri() {
        String bind = runtime.bindAddress();
        String host = bind.equals("0.0.0.0") || bind.equals("::") || bind.isBlank() ? "127.0.0.1" : bind;
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + port() + "/");
    }

    /** Every configured destination's status, in config order. */
    public List<DestinationStatus> destinations() {
        List<DestinationStatus> all = new ArrayList<>();
        for (DeliveryStats s : runtime.workers().stats()) {
            all.add(new DestinationStatus(s.destinationId(), s.state().name(), s.delivered(), s.skipped(), s.retried(),
                    s.deadLettered(), s.queuedEvents(), s.queuedBytes()));
        }
        return all;
    }

    /**
     * One destination's status.
     *
     * @throws IllegalArgumentException when no destination has this id (the message lists the ids)
     */
    public DestinationStatus destination(String destinationId) {
        return destinations().stream().filter(d -> d.destinationId().equals(destinationId)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no destination '" + destinationId
                        + "'; configured: " + destinations().stream().map(DestinationStatus::destinationId).toList()));
    }

    /** Dead letters of one destination, oldest first, at most {@code limit}. */
    public List<StoredDeadLetter> deadLetters(String destinationId, int limit) {
        destination(destinationId);
        try {
            List<StoredDeadLetter> out = new ArrayList<>();
            for (DeadLetter d : new DeadLetters(runtime.queue().database(), clock).list(Optional.of(destinationId), limit)) {
                out.add(new StoredDeadLetter(d.id(), d.destinationId(), d.eventId(),
                        new String(d.json(), StandardCharsets.UTF_8), d.reason(), d.attempts(), d.deadLetteredAt()));
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the dead-letter store: " + e.getMessage(), e);
        }
    }

    /**
     * Destinations whose {@code start()} failed for good (a non-retriable {@code DestinationException}),
     * with its message. {@code sluice run} stops the host then; an embedded host keeps running and
     * leaves the decision to its owner.
     */
    public Map<String, String> fatalFailures() {
        return Map.copyOf(fatalFailures);
    }

    /** Config and plugin warnings found at start (each as {@code sluice check} prints it). */
    public List<String> warnings() {
        return warnings;
    }

    /**
     * Stops in the safe order: the port first, then in-flight deliveries get {@code grace}, then the
     * destinations, the queue and the plugins' class loaders are closed. Idempotent.
     */
    public synchronized void stop(Duration grace) throws InterruptedException {
        try {
            runtime.stop(grace);
        } finally {
            try {
                registry.close();
            } catch (IOException e) {
                // the class loaders are closed as far as possible; nothing a caller can do
            }
        }
    }

    /** {@link #stop} with a 10-second grace. */
    @Override
    public void close() {
        try {
            stop(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** How to start an {@link EmbeddedHost}. Only the config file is required. */
    public static final class Builder {

        private final Path configFile;
        private Map<String, String> env = System.getenv();
        private Optional<Path> pluginsDir = Optional.empty();
        private boolean configPluginsDir = true;
        private final List<Path> pluginJars = new ArrayList<>();
        private final List<DestinationFactory> factories = new ArrayList<>();
        private boolean classpathFactories;
        private Clock clock = Clock.systemUTC();

        private Builder(Path configFile) {
            this.configFile = Objects.requireNonNull(configFile, "configFile");
        }

        /** What {@code ${env:NAME}} in the config reads; default: this process's environment. */
        public Builder env(Map<String, String> env) {
            this.env = Map.copyOf(env);
            return this;
        }

        /** Load plugin JARs from this folder instead of the config's {@code server.plugins_dir}. */
        public Builder pluginsDir(Path dir) {
            this.pluginsDir = Optional.of(dir);
            this.configPluginsDir = false;
            return this;
        }

        /** Load no plugins folder at all: only {@link #pluginJar}s and {@link #factory}s. */
        public Builder noPluginsDir() {
            this.pluginsDir = Optional.empty();
            this.configPluginsDir = false;
            return this;
        }

        /** Also load this plugin JAR, in its own class loader, exactly as from a plugins folder. */
        public Builder pluginJar(Path jar) {
            pluginJars.add(Objects.requireNonNull(jar, "jar"));
            return this;
        }

        /**
         * Also register this factory instance (for a plugin's own tests, before it is packaged). It
         * runs in its own class's loader: no isolation, so prove the packaged JAR separately.
         */
        public Builder factory(DestinationFactory factory) {
            factories.add(Objects.requireNonNull(factory, "factory"));
            return this;
        }

        /** Also register factories that {@link java.util.ServiceLoader} finds on the class path. */
        public Builder classpathFactories(boolean include) {
            this.classpathFactories = include;
            return this;
        }

        /** The clock for the queue, retries and destinations (default: UTC system clock). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Validates the config against the loaded plugins, creates the destinations, opens the queue,
         * starts delivery and binds the port.
         *
         * @throws EmbeddedHostException listing every problem when any step fails; whatever was
         *                               started is stopped again
         */
        public EmbeddedHost start() throws EmbeddedHostException {
            LoadedConfig loaded;
            try {
                loaded = new ConfigLoader(env).read(configFile);
            } catch (InvalidHostConfigException e) {
                throw new EmbeddedHostException(e.problems().stream().map(HostConfigProblem::toString).toList(), e);
            }
            List<String> warnings = new ArrayList<>();
            loaded.warnings().forEach(w -> warnings.add(w.toString()));
            boolean explicit = !pluginJars.isEmpty() || !factories.isEmpty();
            Optional<Path> dir = pluginsDir;
            if (configPluginsDir) {
                Path configured = loaded.config().pluginsDir();
                // with plugins named here, a config without a plugins folder is normal, not a warning
                dir = explicit && !Files.isDirectory(configured) ? Optional.empty() : Optional.of(configured);
            }
            PluginRegistry registry = new PluginLoader(classpathFactories).load(dir, pluginJars, factories);
            registry.warnings().forEach(w -> warnings.add("plugin " + w));
            List<String> problems = new ArrayList<>();
            for (PluginLoadProblem problem : registry.problems()) {
                problems.add("plugin " + problem);
            }
            try {
                ValidatedHost host = new DestinationValidator(registry).validate(loaded.config(), loaded.errors());
                host.warnings().forEach(w -> warnings.add(w.toString()));
                if (!problems.isEmpty() && explicit) {
                    // a plugin the caller named explicitly must load: say why it did not
                    throw new EmbeddedHostException(problems, null);
                }
                Map<String, String> fatal = new ConcurrentHashMap<>();
                HostRuntime runtime = HostRuntime.start(host, clock, fatal::put);
                return new EmbeddedHost(registry, runtime, fatal, clock, warnings);
            } catch (InvalidHostConfigException e) {
                e.problems().forEach(p -> problems.add(p.toString()));
                closeQuietly(registry);
                throw new EmbeddedHostException(problems, e);
            } catch (HostStartException e) {
                problems.add(e.getMessage());
                closeQuietly(registry);
                throw new EmbeddedHostException(problems, e);
            } catch (EmbeddedHostException e) {
                closeQuietly(registry);
                throw e;
            }
        }

        private static void closeQuietly(PluginRegistry registry) {
            try {
                registry.close();
            } catch (IOException e) {
                // nothing was created from it
            }
        }
    }

    /** The destinations configured, by id, with their current status (for messages). */
    @Override
    public String toString() {
        Map<String, String> states = new LinkedHashMap<>();
        destinations().forEach(d -> states.put(d.destinationId(), d.state()));
        return "EmbeddedHost{port=" + port() + ", destinations=" + states + "}";
    }
}
