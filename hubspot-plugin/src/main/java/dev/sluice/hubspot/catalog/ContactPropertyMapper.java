package dev.sluice.hubspot.catalog;

import java.util.Map;

/**
 * Turns a Jitsu user object into writable HubSpot contact properties: keys normalised (lower-case,
 * runs of non-alphanumerics to {@code _}), kept only when the portal has a writable property of
 * that name, values coerced by the property's type; null and empty values left out.
 */
public interface ContactPropertyMapper {

    /**
     * Reads the catalog now; called from {@code Destination.start()}. The default does nothing
     * (for fakes in tests).
     *
     * @throws dev.sluice.api.DestinationException not retriable when the credentials can never read
     *     it (401 invalid token, 403 missing scope {@code crm.schemas.contacts.read}); retriable for
     *     5xx, rate limits and connection failures
     */
    default void load() throws dev.sluice.api.DestinationException {
    }

    /**
     * Maps a user object. Refreshes the catalog first when it is older than {@code catalog_refresh}
     * or was {@linkplain #invalidate() invalidated}; a failed refresh keeps the old catalog.
     *
     * @throws IllegalStateException when no catalog has ever been read and reading it fails now
     *     (the caller's {@code deliver} then fails, which retries the whole batch)
     */
    MappedProperties map(Map<String, Object> user);

    /** Coerces one value for one (already normalised) property name; empty when it cannot be written. */
    java.util.Optional<String> coerce(String propertyName, Object value);

    /** Re-read the catalog before the next mapping (after a PROPERTY_DOESNT_EXIST answer). */
    void invalidate();
}
