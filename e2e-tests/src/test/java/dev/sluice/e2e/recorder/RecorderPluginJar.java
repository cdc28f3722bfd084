package dev.sluice.e2e.recorder;

import dev.sluice.api.DestinationFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * Packs the recorder's compiled classes (from the test class folder) into a plugin JAR the way a
 * plugin build would: the classes, {@code META-INF/services/dev.sluice.api.DestinationFactory} and
 * a manifest with {@code Plugin-Id} and {@code Plugin-Version}.
 */
public final class RecorderPluginJar {

    private RecorderPluginJar() {
    }

    /** Writes {@code recorder-plugin.jar} into {@code pluginsDir} (created if needed) and returns it. */
    public static Path writeTo(Path pluginsDir) {
        try {
            Files.createDirectories(pluginsDir);
            Path classesRoot = Path.of(RecorderPluginJar.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            String packagePath = RecorderPluginJar.class.getPackageName().replace('.', '/');
            Path packageDir = classesRoot.resolve(packagePath);
            Manifest manifest = new Manifest();
            manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
            manifest.getMainAttributes().putValue("Plugin-Id", "recorder");
            manifest.getMainAttributes().putValue("Plugin-Version", "1.0.0");
            Path jar = pluginsDir.resolve("recorder-plugin.jar");
            List<Path> classes;
            try (Stream<Path> files = Files.list(packageDir)) {
                classes = files.filter(f -> f.toString().endsWith(".class")).sorted().toList();
            }
            if (classes.isEmpty()) {
                throw new IllegalStateException("no compiled recorder classes in " + packageDir);
            }
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
                for (Path file : classes) {
                    out.putNextEntry(new JarEntry(packagePath + "/" + file.getFileName()));
                    Files.copy(file, new NonClosing(out));
                    out.closeEntry();
                }
                out.putNextEntry(new JarEntry("META-INF/services/" + DestinationFactory.class.getName()));
                out.write((RecorderDestinationFactory.class.getName() + "\n").getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
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
