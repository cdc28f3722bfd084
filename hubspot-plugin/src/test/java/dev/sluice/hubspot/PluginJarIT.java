package dev.sluice.hubspot;

import dev.sluice.testkit.PluginJarAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
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
        var report = PluginJarAssertions.assertShippable(jar, "hubspot", "stream",
                java.util.Map.of("access_token", "pat-na1-jar-check-secret", "hub_id", "20546336"));
        assertThat(report.pluginId()).isEqualTo("hubspot");
        assertThat(report.types()).containsExactly("hubspot");
        assertThat(report.version()).isEqualTo(System.getProperty("sluice.plugin.version")).isNotBlank();
    }

    @Test
    void bundlesItsLibraries() {
        assertThat(entries).contains("okhttp3/OkHttpClient.class", "okio/Buffer.class",
                "com/fasterxml/jackson/databind/ObjectMapper.class", "com/fasterxml/jackson/core/JsonFactory.class",
                "kotlin/Unit.class", "dev/sluice/hubspot/http/version.properties");
    }
}
