package dev.sluice.hubspot.catalog;

import java.util.Optional;

/** The portal's custom behavioral event definitions, read like the property catalog and cached. */
public interface EventDefinitionCatalog {

    /** The definition for a fully qualified event name ({@code pe20546336_purchase}). */
    Optional<EventDefinition> find(String fullyQualifiedName);

    /** Re-read the definitions before the next lookup. */
    void invalidate();
}
