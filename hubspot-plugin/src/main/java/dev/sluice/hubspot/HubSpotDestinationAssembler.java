package dev.sluice.hubspot;

import dev.sluice.api.Destination;
import dev.sluice.api.DestinationContext;

/**
 * Builds a HubSpot destination from its settings: the transport, the catalogs and the adapters.
 * Owned by the delivery work (contacts/events adapters); the factory only calls {@link #assemble}.
 */
final class HubSpotDestinationAssembler {

    private HubSpotDestinationAssembler() {
    }

    static Destination assemble(DestinationContext context, HubSpotSettings settings) {
        throw new UnsupportedOperationException("HubSpot delivery is not implemented yet");
    }
}
