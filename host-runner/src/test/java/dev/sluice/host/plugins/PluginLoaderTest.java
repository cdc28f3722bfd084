package dev.sluice.host.plugins;

import dev.sluice.api.DestinationFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.sluice.host.plugins.PluginJarBuilder.factorySource;
import static org.assertj.core.api.Assertions.assertThat;

class PluginLoaderTest {

    @TempDir
    Path work;

    private Path plugins() throws IOException {
        return Files.createDirectories(work.resolve("plugins"));
    }

    private static String version(String v) {
        return "package com.example.lib; public class Version { public static String get() { return \"" + v + "\"; } }";
    }

    @Test
    void loadsAPluginWithItsDescriptorAndRegistersItsType() throws IOException {
        Path dir = plugins();
        PluginJarBuilder.jar(dir, "good.jar").pluginId("good-plugin").pluginVersion("2.3.4")
                .source("com.example.good.GoodFactory", factorySource("com.example.good.GoodFactory", "good", "\"Good\"", ""))
                .build();

        try (PluginRegistry registry = new PluginLoader(false).load(dir)) {
            assertThat(registry.problems()).isEmpty();
            assertThat(registry.warnings()).isEmpty();
            assertThat(registry.typeNames()).containsExactly("good");
            RegisteredType good = registry.find("good").orElseThrow();
            assertThat(good.factory().displayName()).isEqualTo("Good");
            assertThat(good.plugin().id()).isEqualTo("good-plugin");
            assertThat(good.plugin().version()).isEqualTo("2.3.4");
            assertThat(good.plugin().file()).isEqualTo(dir.resolve("good.jar"));
            assertThat(good.plugin().types()).containsExactly("good");
        }
    }

    @Test
    void sharesTheSpiWithTheHostButLoadsPluginClassesInTheirOwnLoader() throws IOException {
        Path dir = plugins();
        PluginJarBuilder.jar(dir, "good.jar")
                .source("com.example.good.GoodFactory", factorySource("com.example.good.GoodFactory", "good", "\"Good\"", ""))
                .build();

        try (PluginRegistry registry = new PluginLoader(false).load(dir)) {
            DestinationFactory factory = registry.find("good").orElseThrow().factory();
            ClassLoader pluginLoader = factory.getClass().getClassLoader();
            assertThat(pluginLoader).isInstanceOf(SpiFirstPluginClassLoader.class)
                    .isNotSameAs(getClass().getClassLoader());
            assertThat(factory).isInstanceOf(DestinationFactory.class);
            // the host's libraries are not visible to plugins, only the JDK and the SPI
            assertThat(pluginLoader.getResource("org/slf4j/Logger.class")).isNull();
        }
    }

    @Test
    void aPluginThatWronglyBundlesTheSpiStillGetsTheHostsCopy() throws IOException {
        Path dir = plugins();
        Path spiCopy = work.resolve("spi-copy");
        Path classFile = spiCopy.resolve("dev/sluice/api/DestinationFactory.class");
        Files.createDirectories(classFile.getParent());
        try (var in = DestinationFactory.class.getResourceAsStream("DestinationFactory.class")) {
            Files.copy(in, classFile);
        }
        PluginJarBuilder.jar(dir, "bundles-spi.jar").bundle(spiCopy)
                .source("com.example.good.GoodFactory", factorySource("com.example.good.GoodFactory", "good", "\"Good\"", ""))
                .build();

        try (PluginRegistry registry = new PluginLoader(false).load(dir)) {
            assertThat(registry.problems()).isEmpty();
            DestinationFactory factory = registry.find("good").orElseThrow().factory();
            ClassLoader pluginLoader = factory.getClass().getClassLoader();
            assertThat(pluginLoader.loadClass(DestinationFactory.class.getName())).isSameAs(DestinationFactory.class);
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void twoPluginsBundlingDifferentVersionsOfOneLibraryEachSeeTheirOwn() throws IOException {
        Path dir = plugins();
        Path libV1 = PluginJarBuilder.compileLibrary(work, "com.example.lib.Version", version("1"));
        Path libV2 = PluginJarBuilder.compileLibrary(work, "com.example.lib.Version", version("2"));
        PluginJarBuilder.jar(dir, "alpha.jar").bundle(libV1)
                .source("com.example.alpha.AlphaFactory", factorySource("com.example.alpha.AlphaFactory", "alpha",
                        "\"alpha uses lib \" + com.example.lib.Version.get()", ""))
                .build();
        PluginJarBuilder.jar(dir, "beta.jar").bundle(libV2)
                .source("com.example.beta.BetaFactory", factorySource("com.example.beta.BetaFactory", "beta",
                        "\"beta uses lib \" + com.example.lib.Version.get()", ""))
                .build();

        try (PluginRegistry registry = new PluginLoader(false).load(dir)) {
            assertThat(registry.problems()).isEmpty();
            assertThat(registry.find("alpha").orElseThrow().factory().displayName()).isEqualTo("alpha uses lib 1");
            assertThat(registry.find("beta").orElseThrow().factory().displayName()).isEqualTo("beta uses lib 2");
        }
    }

    @Test
    void reportsAFileThatIsNotAZipAndStillLoadsTheOthers() throws IOException {
        Path dir = plugins();
        PluginJarBuilder.notAZip(dir, "broken.jar");
        PluginJarBuilder.jar(dir, "good.jar")
                .source("com.example.good.GoodFactory", factorySource("com.example.good.GoodFactory", "good", "\"Good\"", ""))
                .build();

        try (PluginRegistry registry = new PluginLoader(false).load(dir)) {
            assertThat(registry.typeNames()).containsExactly("good");
            assertThat(registry.problems()).singleElement().satisfies(p -> {
                assertThat(p.file()).isEqualTo(dir.resolve("broken.jar"));
                assertThat(p.toString()).startsWith("broken.jar: not a JAR (zip) file");
            });
        }
    }

    @Test
    void reportsAJarWithoutServicesEntry() throws IOException {
        Path dir = plugins();
        PluginJarBuilder.jar(dir, "empty.jar").withoutServicesEntry()
                .source("com.example.empty.EmptyFactory", factorySource("com.example.empty.EmptyFactory", "empty", "\"E\"", ""))
                .build();

        try (PluginRegistry registry = new PluginLoader(false).load(dir)) {
            assertThat(registry.typeNames()).isEmpty();
            assertThat(registry.problems()).singleElement().hasToString(
                    "empty.jar: no META-INF/services/dev.sluice.api.DestinationFactory entry, so it declares no "
                            + "destination; annotate the factory with @AutoService(DestinationFactory.class)");
        }
    }

    @Test
    void reportsAFactoryWhoseConstructorThrows() throws IOException {
        Path dir = plugins();
        PluginJarBuilder.jar(dir, "throws.jar")
                .source("com.example.bad.ThrowingFactory", factorySource("com.example.bad.ThrowingFactory", "bad", "\"B\"",
                        "throw new IllegalStateException(\"cannot start without coffee\");"))
                .build();
        PluginJarBuilder.jar(dir, "good.jar")
                .source("com.example.good.GoodFactory", factorySource("com.example.good.GoodFactory", "good", "\"Good\"", ""))
                .build();

        try (PluginRegistry registry = new PluginLoader(false).load(dir)) {
            assertThat(registry.typeNames()).containsExactly("good");
            assertThat(registry.problems()).singleElement().hasToString(
                    "throws.jar: factory com.example.bad.ThrowingFactory: its constructor threw: "
                            + "java.lang.IllegalStateException: cannot start without coffee");
        }
    }

    @Test
    void reportsAFactoryThatNeedsALibraryTheJarDoesNotBundle() throws IOException {
        Path dir = plugins();
        Path lib = PluginJarBuilder.compileLibrary(work, "com.example.missing.Helper",
                "package com.example.missing; public class Helper { public static String name() { return \"h\"; } }");
        PluginJarBuilder.jar(dir, "needs-lib.jar").compileAgainst(lib)
                .source("com.example.needy.NeedyFactory", factorySource("com.example.needy.NeedyFactory", "needy", "\"N\"",
                        "com.example.missing.Helper.name();"))
                .build();

        try (PluginRegistry registry = new PluginLoader(false).load(dir)) {
            assertThat(registry.typeNames()).isEmpty();
            assertThat(registry.problems()).singleElement().satisfies(p -> assertThat(p.toString()).isEqualTo(
                    "needs-lib.jar: factory com.example.needy.NeedyFactory needs class com.example.missing.Helper, "
                            + "which is neither in the JAR nor part of the JDK or the SPI; bundle that library into "
                            + "the plugin JAR (e.g. with the shade plugin)"));
        }
    }

    @Test
    void reportsAServicesEntryNamingAMissingClass() throws IOException {
        Path dir = plugins();
        PluginJarBuilder.jar(dir, "typo.jar").serviceEntry("com.example.Nowhere")
                .source("com.example.good.GoodFactory", factorySource("com.example.good.GoodFactory", "good", "\"Good\"", ""))
                .build();

        try (PluginRegistry registry = new PluginLoader(false).load(dir)) {
            assertThat(registry.typeNames()).containsExactly("good");
            assertThat(registry.problems()).singleElement().hasToString("typo.jar: class com.example.Nowhere is named in "
                    + "META-INF/services/dev.sluice.api.DestinationFactory but is not in the JAR");
        }
    }

    @Test
    void twoPluginsOfferingOneTypeIsAnErrorNamingBothFiles() throws IOException {
        Path dir = plugins();
        PluginJarBuilder.jar(dir, "first.jar")
                .source("com.example.one.OneFactory", factorySource("com.example.one.OneFactory", "same", "\"One\"", ""))
                .build();
        PluginJarBuilder.jar(dir, "second.jar")
                .source("com.example.two.TwoFactory", factorySource("com.example.two.TwoFactory", "same", "\"Two\"", ""))
                .build();

        try (PluginRegistry registry = new PluginLoader(false).load(dir)) {
            assertThat(registry.find("same")).isEmpty();
            assertThat(registry.conflict("same")).contains(java.util.List.of(dir.resolve("first.jar"), dir.resolve("second.jar")));
            assertThat(registry.problems()).singleElement().satisfies(p -> assertThat(p.reason())
                    .contains("destination type 'same' is offered by more than one plugin")
                    .contains(dir.resolve("first.jar").toString())
                    .contains(dir.resolve("second.jar").toString()));
        }
    }

    @Test
    void usesTheFileNameWithAWarningWhenTheManifestHasNoPluginId() throws IOException {
        Path dir = plugins();
        PluginJarBuilder.jar(dir, "anonymous-1.0.jar").pluginId(null).pluginVersion(null)
                .source("com.example.anon.AnonFactory", factorySource("com.example.anon.AnonFactory", "anon", "\"A\"", ""))
                .build();

        try (PluginRegistry registry = new PluginLoader(false).load(dir)) {
            assertThat(registry.problems()).isEmpty();
            LoadedPlugin plugin = registry.find("anon").orElseThrow().plugin();
            assertThat(plugin.id()).isEqualTo("anonymous-1.0");
            assertThat(plugin.version()).isEqualTo("unversioned");
            assertThat(registry.warnings()).singleElement().hasToString(
                    "anonymous-1.0.jar: no Plugin-Id in the JAR manifest; using the file name 'anonymous-1.0' as the plugin id");
        }
    }

    @Test
    void aMissingPluginsFolderIsAWarning() {
        try (PluginRegistry registry = new PluginLoader(false).load(work.resolve("nope"))) {
            assertThat(registry.typeNames()).isEmpty();
            assertThat(registry.problems()).isEmpty();
            assertThat(registry.warnings()).singleElement().satisfies(w -> assertThat(w.reason())
                    .contains("plugins folder").contains("does not exist"));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void registersFactoriesOnTheHostsClassPathWhenAskedTo() throws IOException {
        Path elsewhere = Files.createDirectories(work.resolve("lib"));
        Path jar = PluginJarBuilder.jar(elsewhere, "embedded.jar")
                .source("com.example.embedded.EmbeddedFactory",
                        factorySource("com.example.embedded.EmbeddedFactory", "embedded", "\"Embedded\"", ""))
                .build();
        try (var appLoader = new java.net.URLClassLoader(new java.net.URL[] {jar.toUri().toURL()}, getClass().getClassLoader());
             PluginRegistry registry = new PluginLoader(appLoader, true).load(plugins());
             PluginRegistry without = new PluginLoader(appLoader, false).load(plugins())) {
            LoadedPlugin plugin = registry.find("embedded").orElseThrow().plugin();
            assertThat(plugin.id()).isEqualTo(LoadedPlugin.CLASSPATH_ID);
            assertThat(plugin.file()).isEqualTo(jar);
            assertThat(without.typeNames()).isEmpty();
        }
    }

    @Test
    void ignoresFilesThatAreNotJars() throws IOException {
        Path dir = plugins();
        Files.writeString(dir.resolve("README.txt"), "drop plugin JARs here");

        try (PluginRegistry registry = new PluginLoader(false).load(dir)) {
            assertThat(registry.problems()).isEmpty();
            assertThat(registry.warnings()).isEmpty();
            assertThat(registry.plugins()).isEmpty();
        }
    }
}
