package dev.sluice.host.config;

import dev.sluice.api.DestinationContext;
import dev.sluice.api.DestinationFactory;
import dev.sluice.api.config.DestinationConfig;
import dev.sluice.host.plugins.RegisteredType;

import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * A configured destination that passed every check, ready to {@linkplain #context create}.
 *
 * @param spec              what the file says
 * @param type              the plugin type it uses (factory, JAR, plugin id and version)
 * @param config            the config as the plugin validated it (secrets as {@code Secret})
 * @param tableNameTemplate the effective template: the destination's own, else the plugin's
 *                          default; empty means every event goes to it
 */
public record ValidatedDestination(
        DestinationSpec spec, RegisteredType type, DestinationConfig config, Optional<String> tableNameTemplate) {

    public ValidatedDestination {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(tableNameTemplate, "tableNameTemplate");
    }

    public String id() {
        return spec.id();
    }

    public DestinationFactory factory() {
        return type.factory();
    }

    /** The context to pass to {@link DestinationFactory#create}, relative paths resolving against {@code baseDirectory}. */
    public DestinationContext context(Clock clock, java.nio.file.Path baseDirectory) {
        return DestinationContext.of(spec.id(), spec.mode(), config, clock, baseDirectory);
    }

    /** The context handed to the plugin's {@code create}, reporting to {@code metrics}. */
    public DestinationContext context(Clock clock, java.nio.file.Path baseDirectory,
                                      dev.sluice.api.DestinationMetrics metrics) {
        return DestinationContext.of(spec.id(), spec.mode(), config, clock, baseDirectory, metrics);
    }
}
