package dev.sluice.host.plugins;

import dev.sluice.api.DestinationFactory;

import java.util.Objects;

/**
 * A destination type the host can create: its factory and the plugin it came from.
 *
 * @param type    {@link DestinationFactory#type()}
 * @param factory the factory, an instance from the plugin's own class loader
 * @param plugin  the plugin (JAR, id, version) that declared it
 */
public record RegisteredType(String type, DestinationFactory factory, LoadedPlugin plugin) {

    public RegisteredType {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(factory, "factory");
        Objects.requireNonNull(plugin, "plugin");
    }
}
