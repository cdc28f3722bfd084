package dev.sluice.hubspot.catalog;

import java.util.Optional;

/** The portal's custom behavioral event definitions, read like the property catalog and cached. */
public interface EventDefinitionCatalog {

    /**
     * Reads the definitions now; called from {@code Destination.start()}. The default does nothing.
     * A 403 (missing scope, or a portal without the Enterprise plan) does not throw: the
     * definitions are then {@linkplain #definitionsKnown() unknown}.
     *
     * @throws dev.sluice.api.DestinationException not retriable for 401; retriable for 5xx,
     *     rate limits and connection failures
     */
    default void load() throws dev.sluice.api.DestinationException {
    }

    /**
     * False when the definitions could not be read (403, 404, legacy API): {@link #find} is then
     * empty for every name and callers should send events unfiltered, letting HubSpot's answer
     * decide. True when {@link #find} reflects the portal's definitions.
     */
    default boolean definitionsKnown() {
        return true;
    }

    /** The definition for a fully qualified event name ({@code pe20546336_purchase}). */
    Optional<EventDefinition> find(String fullyQualifiedName);

    /** Re-read the definitions before the next lookup. */
    void invalidate();
}
