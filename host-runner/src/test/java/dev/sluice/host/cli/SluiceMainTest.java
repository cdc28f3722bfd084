package dev.sluice.host.cli;

import dev.sluice.host.plugins.PluginJarBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

class SluiceMainTest {

    private static final String TOKEN = "tok-very-secret-123";

    @TempDir
    Path dir;

    private Path plugins;
    private Path config;
    private final Map<String, String> env = new HashMap<>(Map.of("TESTDEST_TOKEN", TOKEN));
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private Optional<Path> home = Optional.empty();
    private CountDownLatch stop = new CountDownLatch(1);

    @BeforeEach
    void buildPlugin() throws IOException {
        plugins = Files.createDirectories(dir.resolve("plugins"));
        TestDestPlugin.build(plugins);
        config = dir.resolve("sluice.yaml");
    }

    private int sluice(String... args) {
        HostLauncher launcher = new HostLauncher(stop, false, Clock.systemUTC());
        return new SluiceMain(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env, home, launcher).run(args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private List<String> errLines() {
        return err().lines().toList();
    }

    private void config(String yaml) throws IOException {
        Files.writeString(config, yaml);
    }

    private static final String VALID = """
            api_keys:
              - id: web
                client_secret: js-secret
            destinations:
              my_dest:
                type: testdest
                mode: stream
                only_tokens: [web]
                config:
                  endpoint: https://example.com
                  token: ${env:TESTDEST_TOKEN}
            """;

    @Test
    void helpListsEveryCommand() {
        for (String help : List.of("--help", "help", "-h")) {
            out.reset();
            assertThat(sluice(help)).isZero();
            assertThat(out()).contains("run --config FILE [--plugins DIR]", "check --config FILE [--plugins DIR]",
                    "dead-letters list --config FILE [--destination ID]",
                    "dead-letters replay --config FILE [--destination ID]",
                    "Exit codes: 0 ok, 2 bad config or usage, 1 anything else.");
        }
    }

    @Test
    void badUsageExitsWithTwo() {
        assertThat(sluice()).isEqualTo(2);
        assertThat(sluice("serve")).isEqualTo(2);
        assertThat(sluice("check")).isEqualTo(2);
        assertThat(sluice("check", "--config")).isEqualTo(2);
        assertThat(sluice("check", "--config", "x.yaml", "--verbose")).isEqualTo(2);
        assertThat(errLines()).contains("sluice: no command given", "sluice: unknown command 'serve'",
                "sluice: check needs --config FILE", "sluice: --config needs a value",
                "sluice: unknown option '--verbose'");
    }

    @Test
    void checkPrintsPluginsAndDestinations() throws IOException {
        config(VALID);

        assertThat(sluice("check", "--config", config.toString(), "--plugins", plugins.toString())).isZero();

        assertThat(out()).contains("Config: " + config + " is valid")
                .contains("  testdest 1.2.0  types: testdest  file: " + plugins.resolve("testdest-plugin-1.2.0.jar"))
                .contains("  my_dest  type: testdest  mode: stream  only_tokens: web  template: $.user?.email");
        assertThat(out() + err()).doesNotContain(TOKEN);
    }

    @Test
    void checkFindsPluginsNextToTheConfigByDefault() throws IOException {
        config(VALID);

        assertThat(sluice("check", "--config", config.toString())).isZero();
        assertThat(out()).contains("Plugins folder: " + plugins.toAbsolutePath());
    }

    @Test
    void checkFallsBackToTheDistributionsPluginsFolder() throws IOException {
        Path elsewhere = Files.createDirectories(dir.resolve("etc"));
        Path file = Files.writeString(elsewhere.resolve("sluice.yaml"), VALID);
        home = Optional.of(dir);

        assertThat(sluice("check", "--config", file.toString())).isZero();
        assertThat(out()).contains("Plugins folder: " + plugins.toAbsolutePath()).contains("my_dest  type: testdest");
    }

    @Test
    void refusesBatchModeWithThePluginsMessage() throws IOException {
        config(VALID.replace("mode: stream", "mode: batch"));

        assertThat(sluice("check", "--config", config.toString())).isEqualTo(2);
        assertThat(errLines()).contains(config + ": destination 'my_dest': mode: TestDest destination doesn't support"
                + " batch mode; supported: stream");
        assertThat(out()).isEmpty();
    }

    @Test
    void aMissingModeIsBatchAndRefused() throws IOException {
        config(VALID.replace("    mode: stream\n", ""));

        assertThat(sluice("run", "--config", config.toString())).isEqualTo(2);
        assertThat(errLines()).contains(config + ": destination 'my_dest': mode: TestDest destination doesn't support"
                + " batch mode; supported: stream");
    }

    @Test
    void listsBothMissingRequiredFields() throws IOException {
        config("""
                destinations:
                  my_dest:
                    type: testdest
                    mode: stream
                    config: {}
                """);

        assertThat(sluice("check", "--config", config.toString())).isEqualTo(2);
        assertThat(errLines()).contains(
                config + ": destination 'my_dest': config.endpoint: is required (where events go)",
                config + ": destination 'my_dest': config.token: is required (the API token)",
                "sluice: 2 problems in " + config + "; nothing was started");
    }

    @Test
    void serverProblemsAreListedTogetherWithTheDestinationsProblems() throws IOException {
        config("""
                server:
                  port: 99999
                  durability: sometimes
                destinations:
                  my_dest:
                    type: testdest
                    mode: stream
                    config: {}
                  other:
                    type: mixpanel
                    mode: stream
                    delivery:
                      batch_size: many
                """);

        assertThat(sluice("check", "--config", config.toString())).isEqualTo(2);
        assertThat(errLines()).contains(
                config + ": server.port: must be a whole number from 0 to 65535, not '99999'",
                config + ": server.durability: must be normal or full, not 'sometimes'",
                config + ": destination 'other': delivery.batch_size: must be a whole number from 0 to "
                        + Integer.MAX_VALUE + ", not 'many'",
                config + ": destination 'my_dest': config.endpoint: is required (where events go)",
                config + ": destination 'my_dest': config.token: is required (the API token)",
                "sluice: 6 problems in " + config + "; nothing was started");
        assertThat(errLines()).anyMatch(line -> line.startsWith(
                config + ": destination 'other': type: unknown destination type 'mixpanel'"));
    }

    @Test
    void anUnsetEnvVariableIsReportedOnceNotAgainByThePluginsChecks() throws IOException {
        env.clear();
        config(VALID.replace("api_keys:", "server:\n  port: -1\napi_keys:"));

        assertThat(sluice("check", "--config", config.toString())).isEqualTo(2);
        assertThat(errLines()).containsExactlyInAnyOrder(
                config + ": server.port: must be a whole number from 0 to 65535, not '-1'",
                config + ": destination 'my_dest': config.token: environment variable"
                        + " TESTDEST_TOKEN is not set (referenced as ${env:TESTDEST_TOKEN})",
                "sluice: 2 problems in " + config + "; nothing was started");
    }

    @Test
    void anUnknownTypeListsTheAvailableTypes() throws IOException {
        config("destinations:\n  x:\n    type: mixpanel\n    mode: stream\n");

        assertThat(sluice("check", "--config", config.toString())).isEqualTo(2);
        assertThat(errLines()).contains(config + ": destination 'x': type: unknown destination type 'mixpanel';"
                + " the loaded plugins offer: testdest. Plugins were read from " + plugins.toAbsolutePath().normalize()
                + " only: --plugins, else server.plugins_dir (default plugins/ next to the config file), else the"
                + " distribution's plugins/; copy every plugin JAR you need into that one folder");
    }

    @Test
    void checkCreatesEachDestinationSoAMissingLibraryIsFoundBeforeRun() throws IOException {
        Files.delete(plugins.resolve("testdest-plugin-1.2.0.jar"));
        Path lib = PluginJarBuilder.compileLibrary(dir, "com.example.json.Mapper",
                "package com.example.json; public class Mapper { public static void init() { } }");
        Path jar = PluginJarBuilder.jar(plugins, "testdest-needs-lib.jar").compileAgainst(lib)
                .source("com.example.testdest.TestDestFactory", TestDestPlugin.SOURCE.replace(
                        "public Destination create(DestinationContext context) {",
                        "public Destination create(DestinationContext context) {\n com.example.json.Mapper.init();"))
                .build();
        config(VALID);

        assertThat(sluice("check", "--config", config.toString())).isEqualTo(2);
        assertThat(errLines()).contains(config + ": destination 'my_dest' (type testdest, from plugin JAR " + jar
                        + ") could not be created: it needs class com.example.json.Mapper, which is neither in the"
                        + " plugin JAR nor part of the JDK or the SPI; bundle that library into the plugin JAR (e.g."
                        + " with the shade plugin)",
                "sluice: 1 destination could not be created; nothing was started");
        assertThat(out()).doesNotContain("is valid");
    }

    @Test
    void checkCreatesAndClosesEachDestinationWithoutStartingIt() throws IOException {
        Path marker = dir.resolve("check-marker.txt");
        config(VALID + "      marker_file: " + marker + "\n");

        assertThat(sluice("check", "--config", config.toString())).isZero();
        assertThat(Files.readAllLines(marker)).containsExactly("created my_dest stream", "closed my_dest");
    }

    @Test
    void aYamlSyntaxErrorGivesTheLine() throws IOException {
        config("destinations:\n  x:\n    type: testdest\n   mode: stream\n");

        assertThat(sluice("check", "--config", config.toString())).isEqualTo(2);
        assertThat(errLines().get(0)).startsWith(config + ": line 4, column ").contains("YAML syntax error");
    }

    @Test
    void anUnsetEnvVariableIsAConfigError() throws IOException {
        env.clear();
        config(VALID);

        assertThat(sluice("check", "--config", config.toString())).isEqualTo(2);
        assertThat(errLines()).contains(config + ": destination 'my_dest': config.token: environment variable"
                + " TESTDEST_TOKEN is not set (referenced as ${env:TESTDEST_TOKEN})");
    }

    @Test
    void aBrokenPluginIsAWarningWhenNoDestinationNeedsIt() throws IOException {
        PluginJarBuilder.notAZip(plugins, "broken.jar");
        config(VALID);

        assertThat(sluice("check", "--config", config.toString())).isZero();
        assertThat(err()).contains("warning: plugin broken.jar: not a JAR (zip) file");
    }

    @Test
    void aDestinationWhosePluginFailedToLoadIsAConfigError() throws IOException {
        Files.delete(plugins.resolve("testdest-plugin-1.2.0.jar"));
        PluginJarBuilder.jar(plugins, "testdest-broken.jar")
                .source("com.example.testdest.TestDestFactory", TestDestPlugin.SOURCE.replace(
                        "public String type()", "public TestDestFactory() { throw new IllegalStateException(\"boom\"); }\n"
                                + "    public String type()"))
                .build();
        config(VALID);

        assertThat(sluice("check", "--config", config.toString())).isEqualTo(2);
        assertThat(err()).contains("warning: plugin testdest-broken.jar: factory com.example.testdest.TestDestFactory:"
                        + " its constructor threw: java.lang.IllegalStateException: boom (skipped)")
                .contains(config + ": destination 'my_dest': type: unknown destination type 'testdest';"
                        + " no destination plugin is loaded");
    }

    @Test
    void aMissingPluginsFolderOptionIsAUsageError() throws IOException {
        config(VALID);

        assertThat(sluice("check", "--config", config.toString(), "--plugins", dir.resolve("nope").toString()))
                .isEqualTo(2);
        assertThat(err()).contains("--plugins " + dir.resolve("nope") + " is not a folder");
    }

    @Test
    void runCreatesEveryDestinationAndClosesItOnStop() throws IOException {
        Path marker = dir.resolve("marker.txt");
        config("server:\n  port: 0\n  bind: 127.0.0.1\n" + VALID + "      marker_file: " + marker + "\n");
        stop.countDown();

        assertThat(sluice("run", "--config", config.toString())).isZero();
        assertThat(Files.readAllLines(marker)).containsExactly("created my_dest stream", "closed my_dest");
    }

    @Test
    void runRefusesAnInvalidConfigWithoutCreatingAnything() throws IOException {
        Path marker = dir.resolve("marker.txt");
        config(VALID.replace("mode: stream", "mode: batch") + "      marker_file: " + marker + "\n");

        assertThat(sluice("run", "--config", config.toString())).isEqualTo(2);
        assertThat(marker).doesNotExist();
    }

    @Test
    void deadLettersIsRoutedToItsCommand() throws IOException {
        config(VALID);

        assertThat(sluice("dead-letters", "list", "--config", config.toString(), "--destination", "my_dest")).isZero();
        assertThat(out()).contains("no dead letters");
        assertThat(sluice("dead-letters", "purge", "--config", config.toString())).isEqualTo(2);
    }
}
