package dev.sluice.testkit;

import dev.sluice.host.embed.PluginJarReport;
import dev.sluice.host.plugins.PluginJarBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The packaged-JAR check against real JARs built at test time. */
class PluginJarAssertionsTest {

    @TempDir
    Path work;

    private static String factory(String pkg, String createBody) {
        return """
                package %s;

                import dev.sluice.api.*;
                import dev.sluice.api.config.*;
                import java.util.*;

                public class JarFactory implements DestinationFactory {
                    public String type() { return "jarred"; }
                    public Set<String> supportedModes() { return Set.of("stream"); }
                    public List<ConfigField> configFields() {
                        return List.of(ConfigField.of("endpoint", FieldType.STRING).asRequired().description("where"));
                    }
                    public Destination create(DestinationContext context) {
                        %s
                        return events -> events.stream().map(e -> (Outcome) Outcome.delivered()).toList();
                    }
                }
                """.formatted(pkg, createBody);
    }

    @Test
    void aWellPackagedJarPassesAndReportsItsIdAndTypes() {
        Path jar = PluginJarBuilder.jar(work, "good.jar").pluginId("good-plugin").pluginVersion("1.2.3")
                .source("com.example.good.JarFactory", factory("com.example.good", "")).build();
        PluginJarReport report = PluginJarAssertions.assertShippable(jar, "jarred", "stream", Map.of("endpoint", "x"));
        assertThat(report.pluginId()).isEqualTo("good-plugin");
        assertThat(report.version()).isEqualTo("1.2.3");
        assertThat(report.types()).containsExactly("jarred");
    }

    @Test
    void aLibraryThatCreateNeedsButTheJarLacksIsNamedWithTheHint() {
        Path lib = PluginJarBuilder.compileLibrary(work, "com.example.missing.JsonWriter",
                "package com.example.missing; public class JsonWriter { public static void init() { } }");
        Path jar = PluginJarBuilder.jar(work, "needy.jar").compileAgainst(lib)
                .source("com.example.needy.JarFactory", factory("com.example.needy",
                        "com.example.missing.JsonWriter.init();")).build();
        // loading alone finds nothing wrong: the class is first needed in create()
        assertThat(PluginJarAssertions.assertLoadsAsTheHostDoes(jar).types()).containsExactly("jarred");
        assertThatThrownBy(() -> PluginJarAssertions.assertShippable(jar, "jarred", "stream", Map.of("endpoint", "x")))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("needy.jar: creating a 'jarred' destination failed: it needs class"
                        + " com.example.missing.JsonWriter, which is neither in the plugin JAR nor part of the JDK or"
                        + " the SPI; bundle that library into the plugin JAR (e.g. with the shade plugin)");
    }

    @Test
    void aJarWithoutPluginIdOrServicesEntryOrWithTheSpiInsideIsRefused() {
        Path noId = PluginJarBuilder.jar(work, "anonymous.jar").pluginId(null)
                .source("com.example.anon.JarFactory", factory("com.example.anon", "")).build();
        assertThatThrownBy(() -> PluginJarAssertions.assertLoadsAsTheHostDoes(noId))
                .hasMessageContaining("anonymous.jar: no Plugin-Id in the JAR manifest")
                .hasMessageContaining("ManifestResourceTransformer");

        Path noServices = PluginJarBuilder.jar(work, "silent.jar").withoutServicesEntry()
                .source("com.example.silent.JarFactory", factory("com.example.silent", "")).build();
        assertThatThrownBy(() -> PluginJarAssertions.assertLoadsAsTheHostDoes(noServices))
                .hasMessageContaining("silent.jar: no META-INF/services/dev.sluice.api.DestinationFactory entry");

        Path fakeSpi = PluginJarBuilder.compileLibrary(work, "dev.sluice.api.Bundled",
                "package dev.sluice.api; public class Bundled { }");
        Path withSpi = PluginJarBuilder.jar(work, "fat.jar").bundle(fakeSpi)
                .source("com.example.fat.JarFactory", factory("com.example.fat", "")).build();
        assertThatThrownBy(() -> PluginJarAssertions.assertLoadsAsTheHostDoes(withSpi))
                .hasMessageContaining("fat.jar: bundles SPI classes (dev/sluice/api/Bundled.class")
                .hasMessageContaining("<scope>provided</scope>");
    }

    @Test
    void librarySignaturesAndTestLibrariesInsideAreRefused() throws Exception {
        Path signed = java.nio.file.Files.createDirectories(work.resolve("signed-lib/META-INF"));
        java.nio.file.Files.writeString(signed.resolve("LIB.SF"), "Signature-Version: 1.0\n");
        Path junit = PluginJarBuilder.compileLibrary(work, "org.junit.Fake", "package org.junit; public class Fake { }");
        Path jar = PluginJarBuilder.jar(work, "messy.jar").bundle(signed.getParent()).bundle(junit)
                .source("com.example.messy.JarFactory", factory("com.example.messy", "")).build();
        assertThatThrownBy(() -> PluginJarAssertions.assertLoadsAsTheHostDoes(jar))
                .hasMessageContaining("messy.jar: carries signature files of a bundled library (META-INF/LIB.SF)")
                .hasMessageContaining("messy.jar: bundles test libraries (org/junit/Fake.class, ...); give them <scope>test</scope>");
    }

    @Test
    void anInvalidSampleConfigIsReportedByField() {
        Path jar = PluginJarBuilder.jar(work, "strict.jar")
                .source("com.example.strict.JarFactory", factory("com.example.strict", "")).build();
        assertThatThrownBy(() -> PluginJarAssertions.assertShippable(jar, "jarred", "stream", Map.of()))
                .hasMessageContaining("strict.jar: the sample config is invalid")
                .hasMessageContaining("endpoint");
    }
}
