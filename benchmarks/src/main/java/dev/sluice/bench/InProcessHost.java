package dev.sluice.bench;

import dev.sluice.api.DestinationFactory;
import dev.sluice.host.embed.DestinationStatus;
import dev.sluice.host.embed.EmbeddedHost;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * The real host in this JVM through the public embedding API ({@link EmbeddedHost}), prepared the
 * way {@code sluice run} prepares it: the YAML config, the HubSpot plugin JAR loaded from a
 * plugins folder (never from the class path), destinations validated, queue, workers and port
 * started. Counters are sums of {@link DestinationStatus} over all destinations.
 */
final class InProcessHost implements AutoCloseable {

    private final EmbeddedHost host;

    private InProcessHost(EmbeddedHost host) {
        this.host = host;
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

    /** A host with the plugins of {@link #pluginsDir()} (the HubSpot plugin JAR). */
    static InProcessHost start(Path configFile) throws Exception {
        return new InProcessHost(EmbeddedHost.builder(configFile).env(Map.of()).pluginsDir(pluginsDir()).start());
    }

    /** A host with only these (benchmark-only) destination types and no plugins folder. */
    static InProcessHost start(Path configFile, DestinationFactory... factories) throws Exception {
        EmbeddedHost.Builder builder = EmbeddedHost.builder(configFile).env(Map.of()).noPluginsDir();
        for (DestinationFactory factory : factories) {
            builder.factory(factory);
        }
        return new InProcessHost(builder.start());
    }

    int port() {
        return host.port();
    }

    /** Events the destinations acknowledged, summed over all of them. */
    long delivered() {
        return sum(DestinationStatus::delivered);
    }

    /** Events that reached an end (delivered, skipped, dead-lettered), summed. */
    long settled() {
        return sum(DestinationStatus::settled);
    }

    long queued() {
        return sum(DestinationStatus::queuedEvents);
    }

    long retried() {
        return sum(DestinationStatus::retried);
    }

    private long sum(ToLongFunction<DestinationStatus> figure) {
        return host.destinations().stream().mapToLong(figure).sum();
    }

    @Override
    public void close() throws Exception {
        host.fatalFailures().forEach((id, message) ->
                System.err.println("[bench] destination " + id + " cannot start: " + message));
        host.stop(Duration.ofSeconds(5));
    }
}
