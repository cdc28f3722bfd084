package dev.sluice.host.plugins;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Something wrong with one plugin JAR, found while loading it. The message never holds a secret
 * (plugins are loaded before any config value is read).
 *
 * @param file   the JAR (or, for factories on the host's class path, where the class came from)
 * @param reason what is wrong and, where it helps, what to do
 */
public record PluginLoadProblem(Path file, String reason) {

    public PluginLoadProblem {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(reason, "reason");
    }

    /** {@code hubspot-plugin.jar: reason}. */
    @Override
    public String toString() {
        return file.getFileName() + ": " + reason;
    }
}
