package dev.sluice.host.runtime;

import dev.sluice.api.Destination;
import dev.sluice.host.config.ValidatedDestination;
import dev.sluice.host.plugins.LoadedPlugin;

import java.nio.file.Path;
import java.time.Clock;

/**
 * Calls a plugin's {@code create} the way the host always does: with the plugin's class loader as
 * the thread's context class loader, and with a failure turned into a message that names the
 * destination, its type and the plugin JAR, and says which class is missing when a library was
 * not bundled. {@code sluice run} and {@code sluice check} share it.
 */
public final class DestinationCreator {

    private DestinationCreator() {
    }

    /**
     * Creates the destination; relative paths in its config resolve against {@code baseDirectory}
     * (the config file's folder).
     *
     * @throws HostStartException when {@code create} throws; the message is for the user
     */
    public static Destination create(ValidatedDestination d, Clock clock, Path baseDirectory) throws HostStartException {
        return create(d, clock, baseDirectory, dev.sluice.api.DestinationMetrics.NONE);
    }

    /** {@link #create(ValidatedDestination, Clock, Path)} with a context that reports to {@code metrics}. */
    public static Destination create(ValidatedDestination d, Clock clock, Path baseDirectory,
                                     dev.sluice.api.DestinationMetrics metrics) throws HostStartException {
        Thread current = Thread.currentThread();
        ClassLoader hostLoader = current.getContextClassLoader();
        current.setContextClassLoader(d.factory().getClass().getClassLoader());
        try {
            Destination destination = d.factory().create(d.context(clock, baseDirectory, metrics));
            if (destination == null) {
                throw new HostStartException(prefix(d) + " could not be created: create() returned null", null);
            }
            return destination;
        } catch (RuntimeException | LinkageError e) {
            throw new HostStartException(prefix(d) + " could not be created: " + describe(e), e);
        } finally {
            current.setContextClassLoader(hostLoader);
        }
    }

    private static String prefix(ValidatedDestination d) {
        LoadedPlugin plugin = d.type().plugin();
        String from = plugin.id().equals(LoadedPlugin.CLASSPATH_ID)
                ? "from the class path (" + plugin.file() + ")"
                : "from plugin JAR " + plugin.file();
        return "destination '" + d.id() + "' (type " + d.spec().type() + ", " + from + ")";
    }

    /** The failure in words; a missing class is named with the hint to bundle its library. */
    public static String describe(Throwable failure) {
        Throwable missing = failure;
        while (missing != null && !(missing instanceof NoClassDefFoundError) && !(missing instanceof ClassNotFoundException)) {
            missing = missing.getCause();
        }
        if (missing != null) {
            String name = String.valueOf(missing.getMessage()).replace('/', '.');
            return "it needs class " + name + ", which is neither in the plugin JAR nor part of the JDK or the SPI;"
                    + " bundle that library into the plugin JAR (e.g. with the shade plugin)";
        }
        return failure.getClass().getName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
    }
}
