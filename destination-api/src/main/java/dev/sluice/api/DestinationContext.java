package dev.sluice.api;

import dev.sluice.api.config.DestinationConfig;

import java.nio.file.Path;
import java.time.Clock;

/** What the host hands to {@link DestinationFactory#create}: the destination's id and config. */
public interface DestinationContext {

    /** The destination's id, the key under {@code destinations:} in the host's config. */
    String destinationId();

    /** The validated config (secrets masked in its {@code toString}). */
    DestinationConfig config();

    /** The configured mode, one of {@link DestinationFactory#supportedModes()}. */
    String mode();

    /** The host's clock; destinations use it for every "now" so that tests can control time. */
    default Clock clock() {
        return Clock.systemUTC();
    }

    /** A JDK logger named after the destination, routed to the host's logging. */
    default System.Logger logger() {
        return System.getLogger("sluice.destination." + destinationId());
    }

    /**
     * The folder that relative paths in this destination's config are resolved against: the folder
     * of the host's config file (so {@code path: out/events.jsonl} means the same wherever the host
     * was started from). The default is the working directory, for hosts that have no config file.
     */
    default Path baseDirectory() {
        return Path.of("").toAbsolutePath();
    }

    /**
     * Where the destination reports its calls, rate-limit waits and dropped values for the host's
     * metrics. The default reports nothing.
     */
    default DestinationMetrics metrics() {
        return DestinationMetrics.NONE;
    }

    /** A plain implementation, for hosts and tests; relative paths resolve against the working directory. */
    static DestinationContext of(String destinationId, String mode, DestinationConfig config, Clock clock) {
        return of(destinationId, mode, config, clock, Path.of("").toAbsolutePath());
    }

    /** A plain implementation whose relative paths resolve against {@code baseDirectory}. */
    static DestinationContext of(String destinationId, String mode, DestinationConfig config, Clock clock,
                                 Path baseDirectory) {
        record Simple(String destinationId, String mode, DestinationConfig config, Clock clock, Path baseDirectory)
                implements DestinationContext {
        }
        return new Simple(destinationId, mode, config, clock, baseDirectory.toAbsolutePath().normalize());
    }

    /** A plain implementation that reports to {@code metrics}. */
    static DestinationContext of(String destinationId, String mode, DestinationConfig config, Clock clock,
                                 Path baseDirectory, DestinationMetrics metrics) {
        record WithMetrics(String destinationId, String mode, DestinationConfig config, Clock clock,
                           Path baseDirectory, DestinationMetrics metrics) implements DestinationContext {
        }
        return new WithMetrics(destinationId, mode, config, clock, baseDirectory.toAbsolutePath().normalize(),
                java.util.Objects.requireNonNull(metrics, "metrics"));
    }
}
