package dev.sluice.bench;

import dev.sluice.host.config.ConfigLoader;
import dev.sluice.host.config.DestinationValidator;
import dev.sluice.host.config.LoadedConfig;
import dev.sluice.host.config.ValidatedHost;
import dev.sluice.host.delivery.DeliveryStats;
import dev.sluice.host.plugins.PluginLoader;
import dev.sluice.host.plugins.PluginRegistry;
import dev.sluice.host.runtime.HostRuntime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * The real host in this JVM, prepared the way {@code sluice run} prepares it: the YAML config
 * read by {@link ConfigLoader}, the HubSpot plugin JAR loaded from a plugins folder (never from
 * the class path), destinations validated, then {@link HostRuntime} started.
 */
final class InProcessHost implements AutoCloseable {

    private final PluginRegistry registry;
    private final HostRuntime runtime;

    private InProcessHost(PluginRegistry registry, HostRuntime runtime) {
        this.registry = registry;
        this.runtime = runtime;
    }

    /** The folder holding the HubSpot plugin JAR (benchmarks/target/plugins unless told otherwise). */
    static Path pluginsDir() {
        Path dir = Paths.get(System.getProperty("sluice.bench.plugins", "benchmarks/target/plugins"));
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("no plugins folder at " + dir.toAbsolutePath()
                    + "; build first: mvn -B -ntp -q -pl benchmarks -am install -DskipTests");
        }
        return dir;
    }

    static InProcessHost start(Path configFile) throws Exception {
        LoadedConfig loaded = new ConfigLoader(Map.of()).load(configFile);
        PluginRegistry registry = new PluginLoader(false).load(pluginsDir());
        if (registry.find("hubspot").isEmpty()) {
            registry.close();
            throw new IllegalStateException("the HubSpot plugin did not load from " + pluginsDir().toAbsolutePath()
                    + ": " + registry.problems());
        }
        try {
            ValidatedHost host = new DestinationValidator(registry).validate(loaded.config());
            HostRuntime runtime = HostRuntime.start(host, Clock.systemUTC(),
                    (id, message) -> System.err.println("[bench] destination " + id + " cannot start: " + message));
            return new InProcessHost(registry, runtime);
        } catch (Exception e) {
            registry.close();
            throw e;
        }
    }

    int port() {
        return runtime.port();
    }

    /** Events the destinations acknowledged, summed over all of them. */
    long delivered() {
        return runtime.workers().stats().stream().mapToLong(DeliveryStats::delivered).sum();
    }

    /** Events that reached an end (delivered, skipped, dead-lettered), summed. */
    long settled() {
        return runtime.workers().stats().stream()
                .mapToLong(s -> s.delivered() + s.skipped() + s.deadLettered()).sum();
    }

    long queued() {
        return runtime.workers().stats().stream().mapToLong(DeliveryStats::queuedEvents).sum();
    }

    long retried() {
        return runtime.workers().stats().stream().mapToLong(DeliveryStats::retried).sum();
    }

    @Override
    public void close() throws Exception {
        try {
            runtime.stop(Duration.ofSeconds(5));
        } finally {
            registry.close();
        }
    }
}
