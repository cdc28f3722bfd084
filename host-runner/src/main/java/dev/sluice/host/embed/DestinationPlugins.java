package dev.sluice.host.embed;

import dev.sluice.api.DestinationFactory;
import dev.sluice.host.plugins.PluginLoadProblem;
import dev.sluice.host.plugins.PluginLoader;
import dev.sluice.host.plugins.PluginRegistry;
import dev.sluice.host.plugins.RegisteredType;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The destination plugins of one folder, loaded exactly as the host loads them: each JAR in its own
 * class loader (child-first, the JDK and {@code dev.sluice.api} from the caller), its factories
 * read from its own {@code META-INF/services} entry, a broken JAR reported by name while the others
 * still load. For other hosts of the same plugins, such as the Kafka Connect sink connector, so that
 * plugin loading lives in one place.
 *
 * <p>Closing it closes the plugins' class loaders: do it only after every destination created from
 * its factories is closed. Whoever calls into a factory or a destination should make
 * {@link #classLoaderOf} the thread's context class loader meanwhile, as the host does.
 */
public final class DestinationPlugins implements Closeable {

    private final PluginRegistry registry;

    private DestinationPlugins(PluginRegistry registry) {
        this.registry = registry;
    }

    /** Loads every {@code *.jar} of {@code folder}; a missing folder gives no types and one problem. */
    public static DestinationPlugins load(Path folder) {
        Objects.requireNonNull(folder, "folder");
        return new DestinationPlugins(new PluginLoader(false).load(folder));
    }

    /** The factory of a destination type; empty for an unknown type and for a type two JARs offer. */
    public Optional<DestinationFactory> factory(String type) {
        return registry.find(type).map(RegisteredType::factory);
    }

    /** Every destination type that loaded, sorted. */
    public Set<String> types() {
        return registry.typeNames();
    }

    /** The JAR a type came from. */
    public Optional<Path> jarOf(String type) {
        return registry.find(type).map(t -> t.plugin().file());
    }

    /** The class loader to make the thread's context class loader while calling a type's code. */
    public ClassLoader classLoaderOf(DestinationFactory factory) {
        return factory.getClass().getClassLoader();
    }

    /**
     * What could not be loaded, and warnings, one sentence each naming the JAR
     * ({@code broken.jar: not a JAR (zip) file: ...}).
     */
    public List<String> problems() {
        return java.util.stream.Stream.concat(registry.problems().stream(), registry.warnings().stream())
                .map(PluginLoadProblem::toString).toList();
    }

    /**
     * A failure of plugin code in words; a class missing from the plugin JAR is named with the hint
     * to bundle its library (what {@code sluice check} says).
     */
    public static String describeFailure(Throwable failure) {
        return dev.sluice.host.runtime.DestinationCreator.describe(failure);
    }

    @Override
    public void close() throws IOException {
        registry.close();
    }
}
