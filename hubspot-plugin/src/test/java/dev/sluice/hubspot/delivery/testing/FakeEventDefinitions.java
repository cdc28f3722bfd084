package dev.sluice.hubspot.delivery.testing;

import dev.sluice.hubspot.catalog.EventDefinition;
import dev.sluice.hubspot.catalog.EventDefinitionCatalog;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/** In-memory event definitions: fully qualified name -> property names. */
public final class FakeEventDefinitions implements EventDefinitionCatalog {

    private final Map<String, Set<String>> definitions;
    private final boolean known;
    private final AtomicInteger loads = new AtomicInteger();

    /** Definitions that were not read from HubSpot (e.g. a 403): every event is sent, HubSpot decides. */
    public FakeEventDefinitions(Map<String, Set<String>> definitions) {
        this(definitions, false);
    }

    private FakeEventDefinitions(Map<String, Set<String>> definitions, boolean known) {
        this.definitions = Map.copyOf(definitions);
        this.known = known;
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
        return Optional.ofNullable(definitions.get(fullyQualifiedName))
                .map(names -> new EventDefinition(fullyQualifiedName, names));
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
