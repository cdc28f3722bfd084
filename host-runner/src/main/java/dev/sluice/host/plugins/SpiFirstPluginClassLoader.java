package dev.sluice.host.plugins;

import org.pf4j.ClassLoadingStrategy;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;

import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The class loader of one plugin JAR: child-first for everything the JAR holds, with two
 * exceptions that must be shared with the host, the JDK and the SPI ({@code dev.sluice.api.*}).
 *
 * <p>PF4J's {@link PluginClassLoader} already looks in the plugin before its parent (and always
 * asks the JDK for {@code java.*}), but it would load {@code dev.sluice.api} from the JAR if a
 * plugin wrongly bundled it, and the factory would then not be a {@code DestinationFactory} the
 * host knows. So the SPI is asked for first, from the host's loader. The parent is the JDK's
 * platform loader, not the host's application loader: a plugin sees the JDK, the SPI and its own
 * JAR, never the host's libraries (Jackson, SLF4J, ...), so a library it forgot to bundle fails
 * at load time instead of silently using the host's version.
 */
final class SpiFirstPluginClassLoader extends PluginClassLoader {

    static final String SPI_PACKAGE = "dev.sluice.api.";
    private static final String SPI_RESOURCE_PREFIX = "dev/sluice/api/";

    private final ClassLoader spiLoader;

    SpiFirstPluginClassLoader(PluginDescriptor descriptor, Path jar, ClassLoader spiLoader) {
        // No PluginManager: we resolve no inter-plugin dependencies, so PF4J never consults it.
        super(null, descriptor, ClassLoader.getPlatformClassLoader(), ClassLoadingStrategy.PAD);
        this.spiLoader = Objects.requireNonNull(spiLoader, "spiLoader");
        try {
            addURL(jar.toUri().toURL());
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("cannot turn " + jar + " into a URL", e);
        }
    }

    @Override
    public Class<?> loadClass(String className) throws ClassNotFoundException {
        if (className.startsWith(SPI_PACKAGE)) {
            return spiLoader.loadClass(className);
        }
        return super.loadClass(className);
    }

    @Override
    public URL getResource(String name) {
        if (name.startsWith(SPI_RESOURCE_PREFIX)) {
            return spiLoader.getResource(name);
        }
        return super.getResource(name);
    }
}
