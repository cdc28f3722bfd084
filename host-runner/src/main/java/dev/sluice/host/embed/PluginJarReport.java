package dev.sluice.host.embed;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What {@link PluginJarCheck} found in a plugin JAR.
 *
 * @param jar      the JAR
 * @param pluginId its {@code Plugin-Id}, or empty when the manifest has none (a problem)
 * @param version  its {@code Plugin-Version}, or {@code unversioned}
 * @param types    the destination types it registered
 * @param problems everything the host would refuse or warn about, one sentence each naming the
 *                 JAR, the class or the library; empty when the JAR is fit to ship
 */
public record PluginJarReport(Path jar, String pluginId, String version, List<String> types, List<String> problems) {

    public PluginJarReport {
        Objects.requireNonNull(jar, "jar");
        Objects.requireNonNull(pluginId, "pluginId");
        Objects.requireNonNull(version, "version");
        types = List.copyOf(types);
        problems = List.copyOf(problems);
    }

    /** True when the host loads it cleanly and the destination could be created. */
    public boolean ok() {
        return problems.isEmpty();
    }
}
