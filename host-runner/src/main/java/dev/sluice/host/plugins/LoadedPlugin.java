package dev.sluice.host.plugins;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One plugin the host loaded: its PF4J descriptor ({@code Plugin-Id}, {@code Plugin-Version} from
 * the JAR manifest), the JAR, the destination types it registered and its class loader.
 *
 * @param id          {@code Plugin-Id}, or the file name without {@code .jar} when the manifest has none;
 *                    {@value #CLASSPATH_ID} for factories found on the host's own class path
 * @param version     {@code Plugin-Version}, or {@code "unversioned"}
 * @param file        the plugin JAR (for the class path: the JAR or folder the factory came from)
 * @param types       the destination types registered from it, in services-file order
 * @param classLoader the loader its classes come from; delivery code may make it the thread's
 *                    context class loader while calling into the plugin
 */
public record LoadedPlugin(String id, String version, Path file, List<String> types, ClassLoader classLoader) {

    /** The id under which factories found on the host's class path are listed. */
    public static final String CLASSPATH_ID = "classpath";

    public LoadedPlugin {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(file, "file");
        types = List.copyOf(types);
        Objects.requireNonNull(classLoader, "classLoader");
    }

    @Override
    public String toString() {
        return id + " " + version + " types=" + types + " file=" + file.getFileName();
    }
}
