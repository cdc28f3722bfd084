package dev.sluice.host.config;

import dev.sluice.host.plugins.PluginRegistry;

import java.util.List;
import java.util.Objects;

/**
 * A host config whose every destination passed validation against the loaded plugins: all the
 * runtime needs to start.
 *
 * @param config       the file as read
 * @param plugins      the loaded plugins (keep open while destinations run)
 * @param destinations the destinations, in file order
 * @param warnings     things worth telling the user that do not stop the host
 */
public record ValidatedHost(
        HostConfig config, PluginRegistry plugins, List<ValidatedDestination> destinations,
        List<HostConfigProblem> warnings) {

    public ValidatedHost {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(plugins, "plugins");
        destinations = List.copyOf(destinations);
        warnings = List.copyOf(warnings);
    }
}
