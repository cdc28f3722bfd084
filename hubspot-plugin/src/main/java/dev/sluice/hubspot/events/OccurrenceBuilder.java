package dev.sluice.hubspot.events;

import dev.sluice.api.Event;
import dev.sluice.api.Outcome;
import dev.sluice.hubspot.catalog.ContactPropertyMapper;
import dev.sluice.hubspot.catalog.EventDefinition;
import dev.sluice.hubspot.catalog.EventDefinitionCatalog;
import dev.sluice.hubspot.catalog.PropertyKeys;
import dev.sluice.hubspot.catalog.PropertyValueCoercer;
import dev.sluice.hubspot.delivery.UserIdentity;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Builds the occurrence of one event, as the seed lists its fields: the event name, the user's
 * email (required), the time, the event id as {@code uuid}, and as properties the revenue from
 * {@code /revenue||/conversion/revenue} followed by the user's mapped contact properties. When the
 * portal's definition of the event is known, only the properties it defines are kept (HubSpot refuses
 * the others); when it is not, everything is sent and HubSpot decides. At most 50 properties.
 *
 * <p>When the portal's definitions could be read and none has this event's name, the event is
 * skipped with a reason instead of sent: HubSpot refuses unknown names, and a stream of page views
 * with no definition would otherwise cost failed calls (and narrowing) for every batch, against
 * HubSpot's request that errors stay under 5% of an integration's calls. A definition created in
 * HubSpot is picked up at the next catalog refresh.
 */
final class OccurrenceBuilder {

    static final int MAX_PROPERTIES = 50;
    static final String CONVERSION = "/conversion";
    /** Set from elsewhere: the revenue path and the user's email. */
    private static final java.util.Set<String> RESERVED = java.util.Set.of("revenue", "email");

    /** Either an occurrence or the rejection of its event. */
    sealed interface Built permits Ready, Refused {
    }

    record Ready(EventOccurrence occurrence) implements Built {
    }

    record Refused(Outcome outcome) implements Built {
    }

    private final EventNameResolver names;
    private final ContactPropertyMapper mapper;
    private final EventDefinitionCatalog definitions;
    private final Clock clock;
    private final PropertyValueCoercer coercer = new PropertyValueCoercer();

    OccurrenceBuilder(EventNameResolver names, ContactPropertyMapper mapper, EventDefinitionCatalog definitions,
                      Clock clock) {
        this.names = Objects.requireNonNull(names, "names");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.definitions = Objects.requireNonNull(definitions, "definitions");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    Built build(int index, Event event) {
        EventNameResolver.Result name = names.resolve(event);
        if (name instanceof EventNameResolver.Unnamed unnamed) {
            return new Refused(Outcome.rejected(unnamed.reason()));
        }
        UserIdentity.Result identity = UserIdentity.of(event);
        if (identity instanceof UserIdentity.Missing missing) {
            return new Refused(Outcome.rejected("HubSpot custom events need the user's email: " + missing.reason()));
        }
        String eventName = ((EventNameResolver.Named) name).fullyQualifiedName();
        Optional<EventDefinition> definition = definitions.find(eventName);
        if (definition.isEmpty() && definitions.definitionsKnown()) {
            return new Refused(Outcome.skipped("HubSpot has no custom event definition named '" + eventName
                    + "'; create it in HubSpot or map this event_type with event_names"));
        }
        UserIdentity.Found found = (UserIdentity.Found) identity;
        Map<String, String> properties = new LinkedHashMap<>();
        EventValues.revenue(event).ifPresent(revenue -> properties.put("revenue", revenue));
        definition.ifPresent(d -> definedEventFields(event, d).forEach(properties::putIfAbsent));
        mapper.map(found.user()).properties().forEach(properties::putIfAbsent);
        if (properties.containsKey("email")) {
            properties.put("email", found.email());
        }
        definition.ifPresent(d -> properties.keySet().retainAll(d.propertyNames()));
        Map<String, String> limited = new LinkedHashMap<>();
        properties.entrySet().stream().limit(MAX_PROPERTIES).forEach(e -> limited.put(e.getKey(), e.getValue()));
        return new Ready(new EventOccurrence(index, eventName, found.email(),
                EventValues.occurredAt(event).orElseGet(clock::instant), event.id(), limited));
    }

    /**
     * The event's own fields that the definition has a property for: top-level fields first, then
     * those of {@code conversion} (so {@code currency} comes from {@code /currency||/conversion/currency}),
     * names normalised like user keys, values coerced by the property's type. Objects and lists
     * other than {@code conversion} are not looked into; a value the type refuses is left out.
     */
    private Map<String, String> definedEventFields(Event event, EventDefinition definition) {
        Map<String, String> values = new LinkedHashMap<>();
        addDefined(event.fields(), definition, values);
        event.getObject(CONVERSION).ifPresent(conversion -> addDefined(conversion, definition, values));
        return values;
    }

    private void addDefined(Map<String, Object> fields, EventDefinition definition, Map<String, String> values) {
        for (Map.Entry<String, Object> field : fields.entrySet()) {
            Object value = field.getValue();
            if (!(value instanceof String || value instanceof Number || value instanceof Boolean)) {
                continue;
            }
            String name = PropertyKeys.normalise(field.getKey());
            if (values.containsKey(name) || RESERVED.contains(name)) {
                continue;
            }
            definition.property(name).ifPresent(property -> {
                if (coercer.coerce(property, value) instanceof PropertyValueCoercer.Value v) {
                    values.put(name, v.text());
                }
            });
        }
    }
}
