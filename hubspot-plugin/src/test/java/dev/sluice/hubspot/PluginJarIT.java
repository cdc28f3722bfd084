package dev.sluice.hubspot;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

import static org.assertj.core.api.Assertions.assertThat;

/** Opens the shaded plugin JAR that {@code mvn package} built (path from the failsafe config). */
class PluginJarIT {

    private static Path jar;
    private static List<String> entries;

    @BeforeAll
    static void openJar() throws IOException {
        String location = System.getProperty("sluice.plugin.jar");
        assertThat(location).as("system property sluice.plugin.jar (set by failsafe)").isNotBlank();
        jar = Path.of(location);
        assertThat(jar).as("the shaded plugin JAR").isRegularFile();
        try (JarFile file = new JarFile(jar.toFile())) {
            entries = file.stream().map(JarEntry::getName).toList();
        }
    }

    @Test
    void loadsAndCreatesAsTheHostDoes() {
        var report = dev.sluice.testkit.PluginJarAssertions.assertShippable(jar, "hubspot", "stream",
                java.util.Map.of("access_token", "pat-na1-jar-check-secret", "hub_id", "20546336"));
        assertThat(report.pluginId()).isEqualTo("hubspot");
        assertThat(report.types()).containsExactly("hubspot");
    }

    @Test
    void registersTheFactoryAsAService() throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            JarEntry services = file.getJarEntry("META-INF/services/dev.sluice.api.DestinationFactory");
            assertThat(services).as("services entry").isNotNull();
            try (InputStream in = file.getInputStream(services)) {
                List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::trim)
                        .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
                assertThat(lines).containsExactly("dev.sluice.hubspot.HubSpotDestinationFactory");
            }
            assertThat(file.getJarEntry("dev/sluice/hubspot/HubSpotDestinationFactory.class")).isNotNull();
        }
    }

    @Test
    void manifestCarriesThePf4jDescriptor() throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            assertThat(manifest).isNotNull();
            Attributes main = manifest.getMainAttributes();
            assertThat(main.getValue("Plugin-Id")).isEqualTo("hubspot");
            assertThat(main.getValue("Plugin-Version")).isEqualTo(System.getProperty("sluice.plugin.version"))
                    .isNotBlank();
        }
    }

    @Test
    void leavesTheSpiToTheHost() {
        assertThat(entries).noneMatch(name -> name.startsWith("dev/sluice/api/"));
        assertThat(entries).noneMatch(name -> name.startsWith("com/google/auto/service/"));
    }

    @Test
    void bundlesItsLibraries() {
        assertThat(entries).contains("okhttp3/OkHttpClient.class", "okio/Buffer.class",
                "com/fasterxml/jackson/databind/ObjectMapper.class", "com/fasterxml/jackson/core/JsonFactory.class",
                "kotlin/Unit.class", "dev/sluice/hubspot/http/version.properties");
    }

    @Test
    void bundlesNoTestClassesOrSignatures() {
        assertThat(entries).noneMatch(name -> name.endsWith("Test.class") || name.endsWith("IT.class"));
        assertThat(entries).noneMatch(name -> name.matches("META-INF/[^/]+\\.(SF|DSA|RSA)"));
        assertThat(Files.exists(jar)).isTrue();
    }
}
