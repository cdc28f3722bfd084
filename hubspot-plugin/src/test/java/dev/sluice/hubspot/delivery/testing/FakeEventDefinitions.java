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
    private final AtomicInteger loads = new AtomicInteger();

    public FakeEventDefinitions(Map<String, Set<String>> definitions) {
        this.definitions = Map.copyOf(definitions);
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

    public int loads() {
        return loads.get();
    }
}
