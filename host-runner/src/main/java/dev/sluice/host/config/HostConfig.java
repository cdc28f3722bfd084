package dev.sluice.host.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The whole host config, as read from a Jitsu Classic style YAML file and checked.
 *
 * @param source       the YAML file it came from
 * @param server       the {@code server:} section
 * @param apiKeys      the {@code api_keys:} section
 * @param destinations the {@code destinations:} section, in file order
 * @param pluginsDir   where plugin JARs are loaded from (default {@code plugins/} next to the file)
 * @param dataDir      where queues and dead letters are stored (default {@code data/} next to the file)
 */
public record HostConfig(
        Path source,
        ServerConfig server,
        List<ApiKey> apiKeys,
        List<DestinationSpec> destinations,
        Path pluginsDir,
        Path dataDir) {

    public HostConfig {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(server, "server");
        apiKeys = List.copyOf(apiKeys);
        destinations = List.copyOf(destinations);
        Objects.requireNonNull(pluginsDir, "pluginsDir");
        Objects.requireNonNull(dataDir, "dataDir");
    }

    /** The config file's folder: what destinations resolve relative paths in their config against. */
    public Path baseDirectory() {
        Path parent = source.toAbsolutePath().getParent();
        return parent == null ? Path.of("").toAbsolutePath() : parent;
    }

    public Optional<DestinationSpec> destination(String id) {
        return destinations.stream().filter(d -> d.id().equals(id)).findFirst();
    }
}
