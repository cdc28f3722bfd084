package dev.sluice.hubspot.catalog;

import java.util.List;
import java.util.Map;

/**
 * A user object turned into HubSpot contact property values.
 *
 * @param properties normalised names -> values in HubSpot's string forms, in the user's key order
 * @param dropped    one line per dropped key with the reason ("'shoe size': no such contact property"),
 *                   never the value itself
 */
public record MappedProperties(Map<String, String> properties, List<String> dropped) {

    public MappedProperties {
        properties = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(properties));
        dropped = List.copyOf(dropped);
    }
}
