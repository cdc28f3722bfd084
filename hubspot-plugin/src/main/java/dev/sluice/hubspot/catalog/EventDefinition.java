package dev.sluice.hubspot.catalog;

import java.util.Objects;
import java.util.Set;

/**
 * A custom behavioral event definition of the portal.
 *
 * @param fullyQualifiedName {@code pe{hubId}_{name}}
 * @param propertyNames      the properties the definition accepts
 */
public record EventDefinition(String fullyQualifiedName, Set<String> propertyNames) {

    public EventDefinition {
        Objects.requireNonNull(fullyQualifiedName, "fullyQualifiedName");
        propertyNames = Set.copyOf(propertyNames);
    }
}
