package dev.sluice.distribution;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs the packaged distribution ({@code target/sluice}, laid out by {@code mvn package}) the way
 * a user does: {@code bin/sluice} in a separate process.
 */
class DistributionIT {

    private static final String TOKEN = "pat-na1-distribution-test-secret";
    private static Path home;

    @TempDir
    Path work;

    @BeforeAll
    static void findDistribution() {
        home = Path.of(System.getProperty("sluice.distribution", "target/sluice")).toAbsolutePath();
        assertThat(home.resolve("bin/sluice")).as("run mvn package first").isExecutable();
    }

    record Result(int exitCode, String out, String err) {
    }

    private Result sluice(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(home.resolve("bin/sluice").toString());
        Collections.addAll(command, args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile());
        builder.environment().remove("HUBSPOT_ACCESS_TOKEN");
        builder.environment().remove("SLUICE_CLIENT_SECRET");
        builder.environment().remove("SLUICE_SERVER_SECRET");
        builder.environment().putAll(env);
        Path out = work.resolve("out.txt");
        Path err = work.resolve("err.txt");
        builder.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("bin/sluice " + String.join(" ", args) + " did not finish within 60 s");
        }
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private static Map<String, String> secrets() {
        return Map.of("HUBSPOT_ACCESS_TOKEN", TOKEN, "SLUICE_CLIENT_SECRET", "client-s", "SLUICE_SERVER_SECRET", "server-s");
    }

    private static Path hubspotJar() throws IOException {
        try (Stream<Path> files = Files.list(home.resolve("plugins"))) {
            return files.filter(p -> p.getFileName().toString().startsWith("hubspot")).findFirst().orElse(null);
        }
    }

    @Test
    void helpListsTheCommands() throws Exception {
        Result result = sluice(Map.of(), "--help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("run --config FILE", "check --config FILE", "dead-letters list");
    }

    @Test
    void checkOfTheExampleConfigNamesTheUnsetVariable() throws Exception {
        Result result = sluice(Map.of("SLUICE_CLIENT_SECRET", "c", "SLUICE_SERVER_SECRET", "s"),
                "check", "--config", home.resolve("config/sluice.yaml").toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("destination 'my_hubspot': config.access_token: environment variable"
                + " HUBSPOT_ACCESS_TOKEN is not set");
    }

    @Test
    void checkOfTheExampleConfigPassesWithTheHubSpotPlugin() throws Exception {
        assumeTrue(hubspotJar() != null, "no HubSpot plugin JAR in " + home.resolve("plugins") + "; skipped");

        Result result = sluice(secrets(), "check", "--config", home.resolve("config/sluice.yaml").toString());

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("Plugins folder: " + home.resolve("plugins"))
                .contains("types: hubspot  file: " + hubspotJar())
                .contains("my_hubspot  type: hubspot  mode: stream  only_tokens: web  template: $.user?.email ?? $.eventn_ctx?.user?.email");
        assertThat(result.out() + result.err()).doesNotContain(TOKEN);
    }

    @Test
    void theDistributionShipsTheWebhookPluginAndCheckCreatesItsDestination() throws Exception {
        Path config = Files.writeString(work.resolve("webhook.yaml"), """
                destinations:
                  hook:
                    type: webhook
                    mode: stream
                    config:
                      url: http://127.0.0.1:9/in
                      headers:
                        X-Api-Key: ${env:HOOK_KEY}
                """);

        Result result = sluice(Map.of("HOOK_KEY", "hook-key-secret-4e2a"), "check", "--config", config.toString());

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("types: webhook  file: " + home.resolve("plugins"))
                .contains("hook  type: webhook  mode: stream");
        assertThat(result.out() + result.err()).doesNotContain("hook-key-secret-4e2a");
    }

    @Test
    void theRealHubSpotPluginRefusesBatchMode() throws Exception {
        assumeTrue(hubspotJar() != null, "no HubSpot plugin JAR in " + home.resolve("plugins") + "; skipped");
        Path config = Files.writeString(work.resolve("batch.yaml"), """
                destinations:
                  crm:
                    type: hubspot
                    mode: batch
                    config:
                      access_token: ${env:HUBSPOT_ACCESS_TOKEN}
                      hub_id: "20546336"
                """);

        Result result = sluice(secrets(), "check", "--config", config.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains(config + ": destination 'crm': mode: HubSpot destination doesn't support"
                + " batch mode; supported: stream");
    }

    @Test
    void twoMissingHubSpotFieldsAreBothListed() throws Exception {
        assumeTrue(hubspotJar() != null, "no HubSpot plugin JAR in " + home.resolve("plugins") + "; skipped");
        Path config = Files.writeString(work.resolve("empty.yaml"), """
                destinations:
                  crm:
                    type: hubspot
                    mode: stream
                    config: {}
                """);

        Result result = sluice(Map.of(), "check", "--config", config.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("destination 'crm': config.hub_id: is required")
                .contains("destination 'crm': config.access_token, config.api_key:");
    }

    @Test
    void theHubSpotPluginJarDeclaresItsFactoryAndLeavesTheSpiOut() throws Exception {
        assumeTrue(hubspotJar() != null, "no HubSpot plugin JAR in " + home.resolve("plugins") + "; skipped");
        try (JarFile jar = new JarFile(hubspotJar().toFile())) {
            assertThat(jar.getJarEntry("META-INF/services/dev.sluice.api.DestinationFactory")).isNotNull();
            assertThat(jar.stream().map(e -> e.getName()).filter(n -> n.startsWith("dev/sluice/api/"))).isEmpty();
            assertThat(jar.getManifest().getMainAttributes().getValue("Plugin-Id")).isEqualTo("hubspot");
        }
        try (Stream<Path> lib = Files.list(home.resolve("lib"))) {
            assertThat(lib.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("hubspot-plugin"));
        }
    }

    @Test
    void theDistributionShipsTheJitsuBrowserClientAndItsNotice() throws Exception {
        Path browserJar;
        try (Stream<Path> lib = Files.list(home.resolve("lib"))) {
            browserJar = lib.filter(p -> p.getFileName().toString().startsWith("browser-client-")).findFirst()
                    .orElseThrow(() -> new AssertionError("no browser-client JAR in " + home.resolve("lib")));
        }
        try (JarFile jar = new JarFile(browserJar.toFile())) {
            assertThat(jar.getJarEntry("dev/sluice/browser/lib.js")).isNotNull();
            assertThat(jar.getJarEntry("dev/sluice/browser/lib.js").getSize()).isGreaterThan(10_000);
        }
        assertThat(Files.readString(home.resolve("NOTICE"))).contains("@jitsu/sdk-js 3.1.5").contains("MIT License");
    }
}
