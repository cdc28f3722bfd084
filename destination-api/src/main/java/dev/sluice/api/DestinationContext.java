package dev.sluice.api;

import dev.sluice.api.config.DestinationConfig;

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

    /** A plain implementation, for hosts and tests. */
    static DestinationContext of(String destinationId, String mode, DestinationConfig config, Clock clock) {
        record Simple(String destinationId, String mode, DestinationConfig config, Clock clock)
                implements DestinationContext {
        }
        return new Simple(destinationId, mode, config, clock);
    }
}
