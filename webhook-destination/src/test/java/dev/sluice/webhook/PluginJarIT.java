package dev.sluice.webhook;

import dev.sluice.testkit.PluginJarAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shaded plugin JAR that {@code mvn package} built (path from the failsafe config): loaded and
 * created exactly as the host does by the test kit (services entry, {@code Plugin-Id}, no SPI, test
 * classes or signatures inside), and carrying its own libraries.
 */
class PluginJarIT {

    private static Path jar;
    private static List<String> entries;

    @BeforeAll
    static void openJar() throws IOException {
        assertThat(System.getProperty(PluginJarAssertions.JAR_PROPERTY)).as("set by failsafe").isNotBlank();
        jar = PluginJarAssertions.builtJar();
        try (JarFile file = new JarFile(jar.toFile())) {
            entries = file.stream().map(JarEntry::getName).toList();
        }
    }

    @Test
    void loadsAndCreatesAsTheHostDoes() {
        var report = PluginJarAssertions.assertShippable(jar, "webhook", "stream",
                java.util.Map.of("url", "http://127.0.0.1:9/hook", "signing_secret", "jar-check-secret"));
        assertThat(report.pluginId()).isEqualTo("webhook");
        assertThat(report.types()).containsExactly("webhook");
        assertThat(report.version()).isEqualTo(System.getProperty("sluice.plugin.version")).isNotBlank();
    }

    @Test
    void bundlesItsLibrariesAndTheFilteredVersion() throws IOException {
        assertThat(entries).contains("okhttp3/OkHttpClient.class", "okio/Buffer.class",
                "com/fasterxml/jackson/databind/ObjectMapper.class", "com/fasterxml/jackson/core/JsonFactory.class",
                "kotlin/Unit.class", "dev/sluice/webhook/version.properties");
        try (JarFile file = new JarFile(jar.toFile());
             InputStream in = file.getInputStream(file.getJarEntry("dev/sluice/webhook/version.properties"))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8).trim())
                    .isEqualTo("version=" + System.getProperty("sluice.plugin.version"));
        }
    }
}
