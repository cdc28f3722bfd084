package dev.sluice.host.plugins;

import dev.sluice.api.DestinationFactory;
import org.pf4j.DefaultPluginDescriptor;
import org.pf4j.ManifestPluginDescriptorFinder;
import org.pf4j.PluginDescriptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.zip.ZipException;

/**
 * Loads every {@code *.jar} of a plugins folder, each in its own {@link SpiFirstPluginClassLoader},
 * and registers the {@link DestinationFactory} classes named in the JAR's own
 * {@code META-INF/services/dev.sluice.api.DestinationFactory} (what AutoService writes).
 *
 * <p>PF4J provides the descriptor ({@code Plugin-Id}, {@code Plugin-Version} from the manifest)
 * and the child-first class loader. Discovery is our own reading of the services file rather than
 * PF4J's {@code ServiceProviderExtensionFinder}: that finder reads every services file of the JAR
 * (a shaded JAR has dozens from its libraries), loads all those classes, and only logs what fails,
 * so it cannot tell the user which JAR is broken and why. Here every failure becomes a
 * {@link PluginLoadProblem} naming the JAR and the reason, and the other JARs still load.
 *
 * <p>Factories on the host's own class path (a plugin JAR put in {@code lib/}, or a test or an
 * embedding application declaring one) are registered too when asked for, listed under the plugin
 * id {@value LoadedPlugin#CLASSPATH_ID}.
 */
public final class PluginLoader {

    static final String SERVICES_ENTRY = "META-INF/services/" + DestinationFactory.class.getName();
    static final String UNVERSIONED = "unversioned";

    private static final Logger log = LoggerFactory.getLogger(PluginLoader.class);

    private final ClassLoader spiLoader;
    private final boolean includeClasspath;

    /**
     * @param includeClasspath also register factories that {@link ServiceLoader} finds on the
     *                         host's class path
     */
    public PluginLoader(boolean includeClasspath) {
        this(DestinationFactory.class.getClassLoader(), includeClasspath);
    }

    PluginLoader(ClassLoader spiLoader, boolean includeClasspath) {
        this.spiLoader = Objects.requireNonNull(spiLoader, "spiLoader");
        this.includeClasspath = includeClasspath;
    }

    /**
     * Loads the plugins folder. A missing folder is a warning, not an error: a host may run with
     * class-path factories only.
     */
    public PluginRegistry load(Path pluginsDir) {
        return load(Optional.of(Objects.requireNonNull(pluginsDir, "pluginsDir")), List.of(), List.of());
    }

    /**
     * Loads the plugins folder when one is given (a missing folder is a warning), then single plugin
     * JARs (each exactly as if it were in the folder), then factory instances given by an embedding application (listed
     * under the plugin id {@value LoadedPlugin#CLASSPATH_ID}, with their own class's loader).
     */
    public PluginRegistry load(Optional<Path> pluginsDir, List<Path> jars, List<DestinationFactory> factories) {
        PluginRegistry.Builder registry = PluginRegistry.builder();
        pluginsDir.ifPresent(registry::folder);
        if (includeClasspath) {
            loadClasspath(registry);
        }
        if (pluginsDir.isPresent()) {
            if (Files.isDirectory(pluginsDir.get())) {
                for (Path jar : jarsIn(pluginsDir.get(), registry)) {
                    loadJar(jar, registry);
                }
            } else {
                registry.warning(new PluginLoadProblem(pluginsDir.get(), "plugins folder "
                        + pluginsDir.get().toAbsolutePath() + " does not exist; no plugin JARs loaded"));
            }
        }
        for (Path jar : jars) {
            if (!Files.isRegularFile(jar)) {
                registry.problem(new PluginLoadProblem(jar, "no such file: " + jar.toAbsolutePath()));
                continue;
            }
            loadJar(jar, registry);
        }
        for (DestinationFactory factory : factories) {
            String className = factory.getClass().getName();
            try {
                checkDeclaration(className, factory);
                registry.add(new LoadedPlugin(LoadedPlugin.CLASSPATH_ID, UNVERSIONED, sourceOf(factory.getClass()),
                        List.of(factory.type()), factory.getClass().getClassLoader()), List.of(factory));
            } catch (FactoryProblem e) {
                registry.problem(new PluginLoadProblem(sourceOf(factory.getClass()), e.getMessage()));
            }
        }
        return registry.build();
    }

    private static List<Path> jarsIn(Path dir, PluginRegistry.Builder registry) {
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*.jar")) {
            for (Path path : stream) {
                if (Files.isRegularFile(path)) {
                    jars.add(path);
                }
            }
        } catch (IOException e) {
            registry.problem(new PluginLoadProblem(dir, "cannot list the plugins folder: " + e.getMessage()));
        }
        jars.sort(null);
        return jars;
    }

    private void loadJar(Path jar, PluginRegistry.Builder registry) {
        List<String> classNames;
        try (JarFile jarFile = new JarFile(jar.toFile())) {
            classNames = serviceEntries(jarFile);
        } catch (ZipException e) {
            registry.problem(new PluginLoadProblem(jar, "not a JAR (zip) file: " + e.getMessage()));
            return;
        } catch (IOException e) {
            registry.problem(new PluginLoadProblem(jar, "cannot read the JAR: " + e.getMessage()));
            return;
        }
        if (classNames == null) {
            registry.problem(new PluginLoadProblem(jar, "no " + SERVICES_ENTRY + " entry, so it declares no "
                    + "destination; annotate the factory with @AutoService(DestinationFactory.class)"));
            return;
        }
        if (classNames.isEmpty()) {
            registry.problem(new PluginLoadProblem(jar, SERVICES_ENTRY + " names no class"));
            return;
        }
        PluginDescriptor descriptor = descriptor(jar, registry);
        SpiFirstPluginClassLoader loader;
        try {
            loader = new SpiFirstPluginClassLoader(descriptor, jar, spiLoader);
        } catch (RuntimeException e) {
            registry.problem(new PluginLoadProblem(jar, "cannot open a class loader for it: " + e.getMessage()));
            return;
        }
        List<DestinationFactory> factories = new ArrayList<>();
        for (String className : classNames) {
            try {
                factories.add(instantiate(className, loader));
            } catch (FactoryProblem e) {
                registry.problem(new PluginLoadProblem(jar, e.getMessage()));
            }
        }
        if (factories.isEmpty()) {
            closeQuietly(loader);
            return;
        }
        LoadedPlugin plugin = new LoadedPlugin(descriptor.getPluginId(), versionOf(descriptor), jar,
                factories.stream().map(DestinationFactory::type).toList(), loader);
        log.debug("Loaded plugin {}", plugin);
        registry.add(plugin, factories);
    }

    /** The class names in the JAR's own services entry, or null when it has none. */
    private static List<String> serviceEntries(JarFile jarFile) throws IOException {
        JarEntry entry = jarFile.getJarEntry(SERVICES_ENTRY);
        if (entry == null) {
            return null;
        }
        try (InputStream in = jarFile.getInputStream(entry)) {
            return parseServicesFile(in);
        }
    }

    /** The {@link ServiceLoader} file format: one class name a line, {@code #} starts a comment. */
    static List<String> parseServicesFile(InputStream in) throws IOException {
        List<String> names = new ArrayList<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            int comment = line.indexOf('#');
            String name = (comment >= 0 ? line.substring(0, comment) : line).trim();
            if (!name.isEmpty() && !names.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }

    private static PluginDescriptor descriptor(Path jar, PluginRegistry.Builder registry) {
        String fileId = jar.getFileName().toString().replaceFirst("(?i)\\.jar$", "");
        PluginDescriptor found = null;
        try {
            found = new ManifestPluginDescriptorFinder().find(jar);
        } catch (RuntimeException e) {
            // no manifest at all: handled like a manifest without Plugin-Id
        }
        if (found != null && found.getPluginId() != null && !found.getPluginId().isBlank()) {
            return found;
        }
        registry.warning(new PluginLoadProblem(jar, "no Plugin-Id in the JAR manifest; using the file name '"
                + fileId + "' as the plugin id"));
        String version = found == null ? null : found.getVersion();
        return new DefaultPluginDescriptor(fileId, "", "", version == null ? "" : version, "", "", "");
    }

    private static String versionOf(PluginDescriptor descriptor) {
        String version = descriptor.getVersion();
        return version == null || version.isBlank() ? UNVERSIONED : version;
    }

    private static DestinationFactory instantiate(String className, ClassLoader loader) throws FactoryProblem {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            Class<?> type = Class.forName(className, false, loader);
            if (!DestinationFactory.class.isAssignableFrom(type)) {
                throw new FactoryProblem("class " + className + " is named in " + SERVICES_ENTRY
                        + " but does not implement " + DestinationFactory.class.getName());
            }
            Constructor<?> constructor = type.getConstructor();
            DestinationFactory factory = (DestinationFactory) constructor.newInstance();
            checkDeclaration(className, factory);
            return factory;
        } catch (ClassNotFoundException e) {
            throw new FactoryProblem("class " + className + " is named in " + SERVICES_ENTRY
                    + " but is not in the JAR");
        } catch (NoSuchMethodException e) {
            throw new FactoryProblem("factory " + className + " has no public no-argument constructor");
        } catch (InvocationTargetException e) {
            throw new FactoryProblem(describeFailure(className, "its constructor threw", e.getCause()));
        } catch (ExceptionInInitializerError e) {
            throw new FactoryProblem(describeFailure(className, "its static initializer threw", e.getCause()));
        } catch (LinkageError e) {
            throw new FactoryProblem(describeFailure(className, "it cannot be loaded", e));
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new FactoryProblem(describeFailure(className, "it cannot be created", e));
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** Calls what the host relies on right after loading, so a factory broken there is reported now. */
    private static void checkDeclaration(String className, DestinationFactory factory) throws FactoryProblem {
        try {
            String type = factory.type();
            if (type == null || type.isBlank()) {
                throw new FactoryProblem("factory " + className + " returns no type() name");
            }
            if (factory.supportedModes() == null || factory.supportedModes().isEmpty()) {
                throw new FactoryProblem("factory " + className + " (type '" + type + "') declares no supported mode");
            }
            if (factory.configFields() == null) {
                throw new FactoryProblem("factory " + className + " (type '" + type + "') returns null configFields()");
            }
        } catch (RuntimeException | LinkageError e) {
            throw new FactoryProblem(describeFailure(className, "describing itself failed", e));
        }
    }

    static String describeFailure(String className, String what, Throwable cause) {
        Throwable missing = cause;
        while (missing != null && !(missing instanceof NoClassDefFoundError)) {
            missing = missing.getCause();
        }
        if (missing != null) {
            String name = String.valueOf(missing.getMessage()).replace('/', '.');
            return "factory " + className + " needs class " + name + ", which is neither in the JAR nor part of"
                    + " the JDK or the SPI; bundle that library into the plugin JAR (e.g. with the shade plugin)";
        }
        if (cause == null) {
            return "factory " + className + ": " + what;
        }
        return "factory " + className + ": " + what + ": " + cause.getClass().getName()
                + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }

    private void loadClasspath(PluginRegistry.Builder registry) {
        ClassLoader appLoader = spiLoader;
        ServiceLoader<DestinationFactory> services = ServiceLoader.load(DestinationFactory.class, appLoader);
        for (ServiceLoader.Provider<DestinationFactory> provider : services.stream().toList()) {
            Path source = sourceOf(provider.type());
            try {
                DestinationFactory factory = provider.get();
                checkDeclaration(provider.type().getName(), factory);
                registry.add(new LoadedPlugin(LoadedPlugin.CLASSPATH_ID, UNVERSIONED, source,
                        List.of(factory.type()), appLoader), List.of(factory));
            } catch (FactoryProblem e) {
                registry.problem(new PluginLoadProblem(source, e.getMessage()));
            } catch (RuntimeException | LinkageError e) {
                registry.problem(new PluginLoadProblem(source, describeFailure(provider.type().getName(),
                        "it cannot be created", e.getCause() == null ? e : e.getCause())));
            }
        }
    }

    private static Path sourceOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | RuntimeException e) {
            return Path.of(LoadedPlugin.CLASSPATH_ID);
        }
    }

    private static void closeQuietly(SpiFirstPluginClassLoader loader) {
        try {
            loader.close();
        } catch (IOException e) {
            log.debug("Closing a plugin class loader failed", e);
        }
    }

    /** Why one factory of a JAR could not be registered. */
    private static final class FactoryProblem extends Exception {
        FactoryProblem(String message) {
            super(message);
        }
    }
}
