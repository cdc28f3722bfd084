package dev.sluice.host.testing;

import dev.sluice.api.Destination;
import dev.sluice.api.DestinationContext;
import dev.sluice.api.DestinationFactory;
import dev.sluice.api.config.ConfigField;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/** Destination types for host tests: stream mode, no config fields, destinations made by a function. */
public final class TestFactories {

    private TestFactories() {
    }

    /** A type named {@code type} whose destinations {@code create} makes from their context. */
    public static DestinationFactory stream(String type, Function<DestinationContext, Destination> create) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(create, "create");
        return new DestinationFactory() {
            @Override
            public String type() {
                return type;
            }

            @Override
            public Set<String> supportedModes() {
                return Set.of(MODE_STREAM);
            }

            @Override
            public List<ConfigField> configFields() {
                return List.of();
            }

            @Override
            public Destination create(DestinationContext context) {
                return create.apply(context);
            }
        };
    }
}
