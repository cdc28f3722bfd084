package dev.sluice.host.embed;

import dev.sluice.api.DestinationFactory;
import dev.sluice.host.plugins.PluginJarBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.sluice.host.plugins.PluginJarBuilder.factorySource;
import static org.assertj.core.api.Assertions.assertThat;

class DestinationPluginsTest {

    @TempDir
    Path work;

    @Test
    void loadsEachJarInItsOwnLoaderAndNamesTheBrokenOnes() throws Exception {
        Path dir = Files.createDirectories(work.resolve("destinations"));
        PluginJarBuilder.jar(dir, "good.jar").pluginId("good-plugin")
                .source("com.example.good.GoodFactory", factorySource("com.example.good.GoodFactory", "good", "\"Good\"", ""))
                .build();
        PluginJarBuilder.notAZip(dir, "broken.jar");

        try (DestinationPlugins plugins = DestinationPlugins.load(dir)) {
            assertThat(plugins.types()).containsExactly("good");
            DestinationFactory factory = plugins.factory("good").orElseThrow();
            assertThat(plugins.classLoaderOf(factory)).isNotSameAs(getClass().getClassLoader());
            assertThat(plugins.jarOf("good")).contains(dir.resolve("good.jar"));
            assertThat(plugins.factory("other")).isEmpty();
            assertThat(plugins.problems()).singleElement().asString().startsWith("broken.jar: not a JAR");
        }
    }

    @Test
    void aMissingFolderIsAProblemNotAnException() throws Exception {
        try (DestinationPlugins plugins = DestinationPlugins.load(work.resolve("nowhere"))) {
            assertThat(plugins.types()).isEmpty();
            assertThat(plugins.problems()).singleElement().asString().contains("does not exist");
        }
    }
}
