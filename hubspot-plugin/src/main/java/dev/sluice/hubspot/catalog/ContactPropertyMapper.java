package dev.sluice.hubspot.catalog;

import java.util.Map;

/**
 * Turns a Jitsu user object into writable HubSpot contact properties: keys normalised (lower-case,
 * runs of non-alphanumerics to {@code _}), kept only when the portal has a writable property of
 * that name, values coerced by the property's type; null and empty values left out.
 */
public interface ContactPropertyMapper {

    MappedProperties map(Map<String, Object> user);

    /** Coerces one value for one (already normalised) property name; empty when it cannot be written. */
    java.util.Optional<String> coerce(String propertyName, Object value);

    /** Re-read the catalog before the next mapping (after a PROPERTY_DOESNT_EXIST answer). */
    void invalidate();
}
