package dev.sluice.host.plugins;

import dev.sluice.api.DestinationFactory;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * Builds real plugin JARs at test time: compiles Java sources with the JDK compiler against the
 * SPI, optionally bundles other compiled classes (a "library"), writes a PF4J manifest and the
 * ServiceLoader entry, as AutoService and the shade plugin would.
 */
public final class PluginJarBuilder {

    private final Path workDir;
    private final String jarName;
    private final Map<String, String> sources = new LinkedHashMap<>();
    private final List<Path> bundled = new ArrayList<>();
    private final List<Path> compileOnly = new ArrayList<>();
    private final List<String> serviceEntries = new ArrayList<>();
    private String pluginId;
    private String pluginVersion = "1.0.0";
    private boolean writeServicesEntry = true;

    private PluginJarBuilder(Path workDir, String jarName) {
        this.workDir = workDir;
        this.jarName = jarName;
        this.pluginId = jarName.replace(".jar", "");
    }

    public static PluginJarBuilder jar(Path workDir, String jarName) {
        return new PluginJarBuilder(workDir, jarName);
    }

    /** Adds a source; a class whose name ends in {@code Factory} is also listed in the services entry. */
    public PluginJarBuilder source(String className, String code) {
        sources.put(className, code);
        if (className.endsWith("Factory")) {
            serviceEntries.add(className);
        }
        return this;
    }

    public PluginJarBuilder serviceEntry(String className) {
        serviceEntries.add(className);
        return this;
    }

    public PluginJarBuilder withoutServicesEntry() {
        writeServicesEntry = false;
        return this;
    }

    /** null leaves {@code Plugin-Id} out of the manifest. */
    public PluginJarBuilder pluginId(String id) {
        this.pluginId = id;
        return this;
    }

    public PluginJarBuilder pluginVersion(String version) {
        this.pluginVersion = version;
        return this;
    }

    /** Compiles against these classes and packs them into the JAR. */
    public PluginJarBuilder bundle(Path classesDir) {
        bundled.add(classesDir);
        return this;
    }

    /** Compiles against these classes but leaves them out of the JAR (a "missing dependency"). */
    public PluginJarBuilder compileAgainst(Path classesDir) {
        compileOnly.add(classesDir);
        return this;
    }

    public Path build() {
        try {
            Path classes = Files.createTempDirectory(workDir, "classes-" + jarName);
            List<Path> classpath = new ArrayList<>(bundled);
            classpath.addAll(compileOnly);
            compile(sources, classes, classpath);
            Path jar = workDir.resolve(jarName);
            Manifest manifest = new Manifest();
            manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
            if (pluginId != null) {
                manifest.getMainAttributes().putValue("Plugin-Id", pluginId);
            }
            if (pluginVersion != null) {
                manifest.getMainAttributes().putValue("Plugin-Version", pluginVersion);
            }
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
                addTree(out, classes);
                for (Path dir : bundled) {
                    addTree(out, dir);
                }
                if (writeServicesEntry) {
                    out.putNextEntry(new JarEntry(PluginLoader.SERVICES_ENTRY));
                    out.write((String.join("\n", serviceEntries) + "\n").getBytes(StandardCharsets.UTF_8));
                    out.closeEntry();
                }
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Compiles one class (e.g. a tiny library) into a fresh folder and returns the folder. */
    public static Path compileLibrary(Path workDir, String className, String code) {
        try {
            Path classes = Files.createTempDirectory(workDir, "lib-");
            compile(Map.of(className, code), classes, List.of());
            return classes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A file named like a JAR that is not a zip. */
    public static Path notAZip(Path workDir, String jarName) {
        try {
            return Files.writeString(workDir.resolve(jarName), "this is not a zip file\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Source of a factory: {@code type}, stream mode only unless {@code modes} says otherwise,
     * a required {@code endpoint} and a required secret {@code token}, {@code displayName()} from
     * {@code displayNameExpression} and {@code constructorBody} run in the constructor.
     */
    public static String factorySource(String className, String type, String displayNameExpression,
                                       String constructorBody) {
        int dot = className.lastIndexOf('.');
        return """
                package %s;

                import dev.sluice.api.*;
                import dev.sluice.api.config.*;
                import java.util.*;

                public class %s implements DestinationFactory {
                    public %s() { %s }
                    public String type() { return "%s"; }
                    public String displayName() { return %s; }
                    public Set<String> supportedModes() { return Set.of("stream"); }
                    public List<ConfigField> configFields() {
                        return List.of(
                            ConfigField.of("endpoint", FieldType.STRING).asRequired().description("where to send"),
                            ConfigField.of("token", FieldType.STRING).asRequired().asSecret(),
                            ConfigField.of("port", FieldType.INTEGER).defaultValue(443L));
                    }
                    public Destination create(DestinationContext context) {
                        return events -> events.stream().map(e -> (Outcome) Outcome.delivered()).toList();
                    }
                }
                """.formatted(className.substring(0, dot), className.substring(dot + 1),
                className.substring(dot + 1), constructorBody, type, displayNameExpression);
    }

    private static void compile(Map<String, String> sources, Path outputDir, List<Path> classpath) throws IOException {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        if (compiler == null) {
            throw new IllegalStateException("no Java compiler: run the tests on a JDK, not a JRE");
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            List<Path> fullClasspath = new ArrayList<>(classpath);
            fullClasspath.add(spiLocation());
            files.setLocationFromPaths(StandardLocation.CLASS_OUTPUT, List.of(outputDir));
            files.setLocationFromPaths(StandardLocation.CLASS_PATH, fullClasspath);
            List<JavaFileObject> units = new ArrayList<>();
            sources.forEach((name, code) -> units.add(new Source(name, code)));
            boolean ok = compiler.getTask(null, files, diagnostics, List.of("--release", "17", "-proc:none"), null, units)
                    .call();
            if (!ok) {
                StringBuilder message = new StringBuilder("test plugin sources do not compile:");
                for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                    message.append('\n').append(d);
                }
                throw new IllegalStateException(message.toString());
            }
        }
    }

    private static Path spiLocation() {
        try {
            return Path.of(DestinationFactory.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void addTree(JarOutputStream out, Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new JarEntry(root.relativize(file).toString().replace('\\', '/')));
                try (OutputStream entry = new NonClosing(out)) {
                    Files.copy(file, entry);
                }
                out.closeEntry();
            }
        }
    }

    private static final class Source extends SimpleJavaFileObject {
        private final String code;

        Source(String className, String code) {
            super(URI.create("string:///" + className.replace('.', '/') + Kind.SOURCE.extension), Kind.SOURCE);
            this.code = code;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return code;
        }
    }

    private static final class NonClosing extends OutputStream {
        private final OutputStream out;

        NonClosing(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }
    }
}
