package dev.sluice.hubspot.catalog;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A custom behavioral event definition of the portal.
 *
 * @param fullyQualifiedName {@code pe{hubId}_{name}}
 * @param properties         the properties the definition accepts, by name, with their types and
 *                           options (event properties have the shape of contact properties, so
 *                           {@link PropertyValueCoercer} coerces values for them the same way)
 */
public record EventDefinition(String fullyQualifiedName, Map<String, ContactProperty> properties) {

    public EventDefinition {
        Objects.requireNonNull(fullyQualifiedName, "fullyQualifiedName");
        properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    }

    /** A definition whose properties are all of type {@code string} (tests, and lists without types). */
    public EventDefinition(String fullyQualifiedName, Set<String> propertyNames) {
        this(fullyQualifiedName, strings(propertyNames));
    }

    /** The names of the properties the definition accepts. */
    public Set<String> propertyNames() {
        return properties.keySet();
    }

    /** The property of this exact (already normalised) name. */
    public Optional<ContactProperty> property(String name) {
        return Optional.ofNullable(properties.get(name));
    }

    private static Map<String, ContactProperty> strings(Set<String> names) {
        Map<String, ContactProperty> map = new LinkedHashMap<>();
        for (String name : names) {
            map.put(name, new ContactProperty(name, "string", "text", List.of(), false, false));
        }
        return map;
    }
}
