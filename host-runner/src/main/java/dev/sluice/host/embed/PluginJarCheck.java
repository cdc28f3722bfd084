package dev.sluice.host.embed;

import dev.sluice.api.Destination;
import dev.sluice.api.DestinationContext;
import dev.sluice.api.DestinationFactory;
import dev.sluice.api.config.ConfigProblem;
import dev.sluice.api.config.DestinationConfig;
import dev.sluice.api.config.InvalidConfigException;
import dev.sluice.host.plugins.LoadedPlugin;
import dev.sluice.host.plugins.PluginLoadProblem;
import dev.sluice.host.plugins.PluginLoader;
import dev.sluice.host.plugins.PluginRegistry;
import dev.sluice.host.plugins.RegisteredType;
import dev.sluice.host.runtime.DestinationCreator;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Loads a built plugin JAR exactly as the host does (its own class loader, its own
 * {@code META-INF/services} entry, SPI classes always from the host) and reports what the host
 * would refuse or warn about: no services entry, a factory that cannot be created, a library that
 * was not bundled, SPI classes, library signatures or test libraries packed into the JAR, no
 * {@code Plugin-Id}. Given a sample config,
 * it also creates (and closes) a destination from the JAR, so a library that {@code create} needs
 * but the JAR lacks is found before a user finds it.
 */
public final class PluginJarCheck {

    private static final String SPI_PREFIX = "dev/sluice/api/";

    private PluginJarCheck() {
    }

    /** Loads the JAR as the host does; creates nothing. */
    public static PluginJarReport inspect(Path jar) {
        return inspect(jar, Optional.empty());
    }

    /**
     * Loads the JAR as the host does, then validates {@code config} for {@code type} and creates a
     * destination in {@code mode} from it (without starting it), then closes it.
     */
    public static PluginJarReport inspect(Path jar, String type, String mode, Map<String, ?> config) {
        return inspect(jar, Optional.of(new Sample(type, mode, Map.copyOf(config))));
    }

    private record Sample(String type, String mode, Map<String, ?> config) {
    }

    private static PluginJarReport inspect(Path jar, Optional<Sample> sample) {
        Objects.requireNonNull(jar, "jar");
        List<String> problems = new ArrayList<>();
        String name = jar.getFileName().toString();
        problems.addAll(packedEntries(jar, name));
        PluginRegistry registry = new PluginLoader(false).load(Optional.empty(), List.of(jar), List.of());
        try {
            for (PluginLoadProblem p : registry.problems()) {
                problems.add(name + ": " + p.reason());
            }
            boolean noId = false;
            for (PluginLoadProblem w : registry.warnings()) {
                boolean aboutId = w.reason().contains("Plugin-Id");
                noId |= aboutId;
                problems.add(name + ": " + w.reason() + (aboutId ? " (add Plugin-Id and Plugin-Version to the manifest,"
                        + " e.g. with the shade plugin's ManifestResourceTransformer)" : ""));
            }
            Optional<LoadedPlugin> plugin = registry.plugins().stream().findFirst();
            String pluginId = noId ? "" : plugin.map(LoadedPlugin::id).orElse("");
            String version = plugin.map(LoadedPlugin::version).orElse("unversioned");
            List<String> types = registry.types().stream().map(RegisteredType::type).toList();
            if (sample.isPresent() && registry.problems().isEmpty()) {
                createOnce(name, registry, sample.get(), problems);
            }
            return new PluginJarReport(jar, pluginId, version, types, problems);
        } finally {
            try {
                registry.close();
            } catch (IOException e) {
                // the loaders are closed as far as possible
            }
        }
    }

    /** What is packed into the JAR that must not be: the SPI, signatures, test libraries. */
    private static List<String> packedEntries(Path jar, String name) {
        try (JarFile file = new JarFile(jar.toFile())) {
            List<String> entries = file.stream().map(JarEntry::getName).toList();
            List<String> problems = new ArrayList<>();
            List<String> spi = entries.stream().filter(n -> n.startsWith(SPI_PREFIX) && n.endsWith(".class"))
                    .limit(3).toList();
            if (!spi.isEmpty()) {
                problems.add(name + ": bundles SPI classes (" + String.join(", ", spi) + ", ...); the host always"
                        + " provides dev.sluice.api, so give destination-api <scope>provided</scope>");
            }
            List<String> signatures = entries.stream().filter(n -> n.matches("META-INF/[^/]+\\.(SF|DSA|RSA|EC)"))
                    .limit(3).toList();
            if (!signatures.isEmpty()) {
                problems.add(name + ": carries signature files of a bundled library (" + String.join(", ", signatures)
                        + "), which no longer match the merged JAR; exclude META-INF/*.SF, *.DSA and *.RSA in the"
                        + " shade plugin's filters");
            }
            List<String> testLibraries = entries.stream().filter(n -> n.startsWith("org/junit/")
                    || n.startsWith("dev/sluice/testkit/") || n.startsWith("mockwebserver3/")).limit(3).toList();
            if (!testLibraries.isEmpty()) {
                problems.add(name + ": bundles test libraries (" + String.join(", ", testLibraries) + ", ...);"
                        + " give them <scope>test</scope>");
            }
            return problems;
        } catch (IOException e) {
            return List.of(); // the loader reports an unreadable JAR
        }
    }

    private static void createOnce(String name, PluginRegistry registry, Sample sample, List<String> problems) {
        Optional<RegisteredType> registered = registry.find(sample.type());
        if (registered.isEmpty()) {
            problems.add(name + ": declares no destination type '" + sample.type() + "'; it declares "
                    + registry.typeNames());
            return;
        }
        DestinationFactory factory = registered.get().factory();
        Thread current = Thread.currentThread();
        ClassLoader previous = current.getContextClassLoader();
        current.setContextClassLoader(factory.getClass().getClassLoader());
        try {
            if (!factory.supportedModes().contains(sample.mode())) {
                problems.add(name + ": type '" + sample.type() + "' does not support mode '" + sample.mode() + "'");
                return;
            }
            DestinationConfig config = DestinationConfig.validate(factory.configFields(), sample.config());
            List<ConfigProblem> crossField = factory.validate(config);
            if (!crossField.isEmpty()) {
                problems.add(name + ": the sample config is invalid: " + crossField);
                return;
            }
            Destination destination = factory.create(DestinationContext.of("plugin-jar-check", sample.mode(), config,
                    Clock.systemUTC()));
            if (destination == null) {
                problems.add(name + ": create() returned null");
                return;
            }
            destination.close();
        } catch (InvalidConfigException e) {
            problems.add(name + ": the sample config is invalid: " + e.getMessage());
        } catch (RuntimeException | LinkageError e) {
            problems.add(name + ": creating a '" + sample.type() + "' destination failed: "
                    + DestinationCreator.describe(e));
        } finally {
            current.setContextClassLoader(previous);
        }
    }
}
