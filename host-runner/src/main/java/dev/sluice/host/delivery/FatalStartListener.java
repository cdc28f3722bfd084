package dev.sluice.host.delivery;

import dev.sluice.api.DestinationException;

/**
 * Told when a destination's {@code start()} failed for good (a non-retriable
 * {@link DestinationException}). The SPI says the host then stops with the message; the runtime
 * decides how.
 */
@FunctionalInterface
public interface FatalStartListener {

    void startFailed(String destinationId, DestinationException cause);
}
