package dev.sluice.testkit;

import dev.sluice.host.embed.PluginJarCheck;
import dev.sluice.host.embed.PluginJarReport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The packaged-JAR check for a plugin's integration tests (run them after {@code package}, e.g.
 * with failsafe): the built JAR is loaded exactly as the host loads it (own class loader, its
 * {@code META-INF/services} entry, SPI classes from the host only, {@code Plugin-Id} in the
 * manifest), and a destination is created from it, so a library that was not bundled is reported
 * by name with a hint to bundle it.
 *
 * <pre>{@code
 * @Test
 * void theShippedJarWorks() {
 *     PluginJarAssertions.assertShippable(PluginJarAssertions.builtJar(), "webhook", "stream",
 *             Map.of("url", "http://127.0.0.1:9/hook"));
 * }
 * }</pre>
 */
public final class PluginJarAssertions {

    /** The system property naming the built JAR (set it in failsafe's systemPropertyVariables). */
    public static final String JAR_PROPERTY = "sluice.plugin.jar";

    private PluginJarAssertions() {
    }

    /**
     * The plugin JAR this build produced: the {@value #JAR_PROPERTY} system property when set, else
     * the one {@code target/*.jar} that is not an {@code original-}, sources, javadoc or tests JAR.
     */
    public static Path builtJar() {
        String property = System.getProperty(JAR_PROPERTY);
        if (property != null && !property.isBlank()) {
            Path jar = Path.of(property);
            if (!Files.isRegularFile(jar)) {
                throw new AssertionError(JAR_PROPERTY + " names " + jar.toAbsolutePath()
                        + ", which does not exist; run `mvn package` (or `mvn verify`) first");
            }
            return jar;
        }
        Path target = Path.of("target");
        try (Stream<Path> files = Files.list(target)) {
            List<Path> jars = files.filter(p -> {
                String n = p.getFileName().toString();
                return n.endsWith(".jar") && !n.startsWith("original-") && !n.endsWith("-sources.jar")
                        && !n.endsWith("-javadoc.jar") && !n.endsWith("-tests.jar");
            }).toList();
            if (jars.size() != 1) {
                throw new AssertionError("expected one plugin JAR in " + target.toAbsolutePath() + ", found " + jars
                        + "; set -D" + JAR_PROPERTY + "=PATH");
            }
            return jars.get(0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + target.toAbsolutePath()
                    + "; run `mvn package` first or set -D" + JAR_PROPERTY, e);
        }
    }

    /** Loads the JAR as the host does and fails listing every problem; returns the report. */
    public static PluginJarReport assertLoadsAsTheHostDoes(Path jar) {
        return assertOk(PluginJarCheck.inspect(jar));
    }

    /**
     * Loads the JAR as the host does, then validates {@code config} for {@code type} and creates
     * (and closes) a destination in {@code mode} from it; fails listing every problem.
     */
    public static PluginJarReport assertShippable(Path jar, String type, String mode, Map<String, ?> config) {
        PluginJarReport report = assertOk(PluginJarCheck.inspect(jar, type, mode, config));
        if (!report.types().contains(type)) {
            throw new AssertionError(jar.getFileName() + " declares types " + report.types() + ", not '" + type + "'");
        }
        return report;
    }

    private static PluginJarReport assertOk(PluginJarReport report) {
        if (!report.ok()) {
            throw new AssertionError("the plugin JAR " + report.jar() + " would not work in the host:\n  - "
                    + String.join("\n  - ", report.problems()));
        }
        return report;
    }
}
