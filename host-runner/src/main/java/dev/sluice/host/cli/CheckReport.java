package dev.sluice.host.cli;

import dev.sluice.host.config.ValidatedDestination;
import dev.sluice.host.config.ValidatedHost;
import dev.sluice.host.plugins.LoadedPlugin;

import java.io.PrintStream;
import java.nio.file.Path;

/** What {@code sluice check} prints: the loaded plugins and the validated destinations. No secret values. */
final class CheckReport {

    private CheckReport() {
    }

    static void print(PrintStream out, Path configFile, Path pluginsDir, ValidatedHost host) {
        out.println("Config: " + configFile + " is valid");
        out.println("Plugins folder: " + pluginsDir);
        out.println("Plugins:");
        if (host.plugins().plugins().isEmpty()) {
            out.println("  (none)");
        }
        for (LoadedPlugin plugin : host.plugins().plugins()) {
            out.println("  " + plugin.id() + " " + plugin.version() + "  types: " + String.join(", ", plugin.types())
                    + "  file: " + plugin.file());
        }
        out.println("Destinations:");
        if (host.destinations().isEmpty()) {
            out.println("  (none)");
        }
        for (ValidatedDestination d : host.destinations()) {
            out.println("  " + d.id() + "  type: " + d.spec().type() + "  mode: " + d.spec().mode()
                    + "  only_tokens: " + (d.spec().onlyTokens().isEmpty() ? "(all keys)" : String.join(", ", d.spec().onlyTokens()))
                    + "  template: " + d.tableNameTemplate().orElse("(every event)"));
        }
    }
}
