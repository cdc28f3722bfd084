package dev.sluice.hubspot.delivery.testing;

import dev.sluice.hubspot.catalog.EventDefinition;
import dev.sluice.hubspot.catalog.EventDefinitionCatalog;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/** In-memory event definitions: fully qualified name -> property names (string-typed) or typed definitions. */
public final class FakeEventDefinitions implements EventDefinitionCatalog {

    private final Map<String, EventDefinition> definitions;
    private final boolean known;
    private final AtomicInteger loads = new AtomicInteger();

    /** Definitions that were not read from HubSpot (e.g. a 403): every event is sent, HubSpot decides. */
    public FakeEventDefinitions(Map<String, Set<String>> definitions) {
        this(definitions, false);
    }

    private FakeEventDefinitions(Map<String, Set<String>> definitions, boolean known) {
        this(known, definitions.entrySet().stream()
                .map(e -> new EventDefinition(e.getKey(), e.getValue())).toArray(EventDefinition[]::new));
    }

    private FakeEventDefinitions(boolean known, EventDefinition... definitions) {
        Map<String, EventDefinition> byName = new java.util.HashMap<>();
        for (EventDefinition d : definitions) {
            byName.put(d.fullyQualifiedName(), d);
        }
        this.definitions = Map.copyOf(byName);
        this.known = known;
    }

    /** The portal's full list with typed properties, as read from HubSpot. */
    public static FakeEventDefinitions known(EventDefinition... definitions) {
        return new FakeEventDefinitions(true, definitions);
    }

    /** The portal's full list, as read from HubSpot: a name not in it has no definition. */
    public static FakeEventDefinitions known(Map<String, Set<String>> definitions) {
        return new FakeEventDefinitions(definitions, true);
    }

    public static FakeEventDefinitions none() {
        return new FakeEventDefinitions(Map.of());
    }

    @Override
    public void load() {
        loads.incrementAndGet();
    }

    @Override
    public Optional<EventDefinition> find(String fullyQualifiedName) {
        return Optional.ofNullable(definitions.get(fullyQualifiedName));
    }

    @Override
    public void invalidate() {
    }

    @Override
    public boolean definitionsKnown() {
        return known;
    }

    public int loads() {
        return loads.get();
    }
}
