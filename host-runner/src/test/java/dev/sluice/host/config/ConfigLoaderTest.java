package dev.sluice.host.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    private Path write(String yaml) throws IOException {
        return Files.writeString(dir.resolve("sluice.yaml"), yaml);
    }

    private LoadedConfig load(String yaml, Map<String, String> env) throws Exception {
        return new ConfigLoader(env).load(write(yaml));
    }

    private List<String> problems(String yaml, Map<String, String> env) throws IOException {
        Path file = write(yaml);
        InvalidHostConfigException e = catchThrowableOfType(InvalidHostConfigException.class,
                () -> new ConfigLoader(env).load(file));
        assertThat(e).as("expected the config to be refused").isNotNull();
        return e.problems().stream().map(HostConfigProblem::toString).toList();
    }

    private String file() {
        return dir.resolve("sluice.yaml").toString();
    }

    @Test
    void appliesJitsuDefaultsToAMinimalFile() throws Exception {
        HostConfig config = load("destinations: {}\n", Map.of()).config();

        assertThat(config.server()).isEqualTo(ServerConfig.defaults());
        assertThat(config.server().port()).isEqualTo(8001);
        assertThat(config.server().maxEventSize()).isEqualTo(51_200);
        assertThat(config.pluginsDir()).isEqualTo(dir.resolve("plugins").toAbsolutePath());
        assertThat(config.dataDir()).isEqualTo(dir.resolve("data").toAbsolutePath());
        assertThat(config.apiKeys()).isEmpty();
        assertThat(config.destinations()).isEmpty();
    }

    @Test
    void readsTheServerSection() throws Exception {
        HostConfig config = load("""
                server:
                  port: 9000
                  bind: 127.0.0.1
                  max_event_size: 1000
                  max_body_size: "20000"
                  plugins_dir: ext/plugins
                  data_dir: /var/lib/sluice
                """, Map.of()).config();

        assertThat(config.server()).isEqualTo(new ServerConfig("127.0.0.1", 9000, 1000, 20000));
        assertThat(config.pluginsDir()).isEqualTo(dir.resolve("ext/plugins").toAbsolutePath());
        assertThat(config.dataDir()).isEqualTo(Path.of("/var/lib/sluice"));
    }

    @Test
    void portZeroMeansAnyFreePort() throws Exception {
        assertThat(load("server:\n  port: 0\n", Map.of()).config().server().port()).isZero();
    }

    @Test
    void readsAJitsuDestinationWithConfigAndDataLayout() throws Exception {
        HostConfig config = load("""
                api_keys:
                  - id: web
                    client_secret: js-secret
                    server_secret: s2s-secret
                    origins: ["*example.com"]
                destinations:
                  my_hubspot:
                    type: hubspot
                    mode: stream
                    only_tokens: [web]
                    config:
                      access_token: pat-123
                      hub_id: 20546336
                    data_layout:
                      table_name_template: '$.user?.email'
                """, Map.of()).config();

        assertThat(config.apiKeys()).containsExactly(new ApiKey("web", Optional.of("js-secret"),
                Optional.of("s2s-secret"), List.of("*example.com")));
        DestinationSpec spec = config.destination("my_hubspot").orElseThrow();
        assertThat(spec.type()).isEqualTo("hubspot");
        assertThat(spec.mode()).isEqualTo("stream");
        assertThat(spec.onlyTokens()).containsExactly("web");
        assertThat(spec.rawConfig()).containsExactly(Map.entry("access_token", "pat-123"), Map.entry("hub_id", 20546336L));
        assertThat(spec.tableNameTemplate()).contains("$.user?.email");
        assertThat(spec.delivery()).isEqualTo(DeliverySettings.defaults());
    }

    @Test
    void aMissingModeIsBatchAsInJitsu() throws Exception {
        DestinationSpec spec = load("destinations:\n  d:\n    type: hubspot\n", Map.of()).config().destinations().get(0);

        assertThat(spec.mode()).isEqualTo("batch");
        assertThat(spec.rawConfig()).isEmpty();
        assertThat(spec.tableNameTemplate()).isEmpty();
    }

    @Test
    void acceptsASectionNamedAfterTheTypeWithTheTemplateInside() throws Exception {
        DestinationSpec spec = load("""
                destinations:
                  old_style:
                    type: hubspot
                    hubspot:
                      api_key: legacy
                      hub_id: "1"
                      table_name_template: '$.user?.email'
                """, Map.of()).config().destinations().get(0);

        assertThat(spec.rawConfig()).containsOnlyKeys("api_key", "hub_id");
        assertThat(spec.tableNameTemplate()).contains("$.user?.email");
    }

    @Test
    void refusesConfigAndATypeSectionTogether() throws IOException {
        assertThat(problems("""
                destinations:
                  crm:
                    type: hubspot
                    config: {hub_id: "1"}
                    hubspot: {hub_id: "2"}
                """, Map.of())).containsExactly(file() + ": destination 'crm': has both config: and hubspot: sections; keep only config:");
    }

    @Test
    void readsApiKeysGivenAsPlainStrings() throws Exception {
        assertThat(load("api_keys: single-token\n", Map.of()).config().apiKeys())
                .containsExactly(new ApiKey("single-token", Optional.of("single-token"), Optional.empty(), List.of()));
        assertThat(load("api_keys: [a-token, {id: s2s, server_secret: x}]\n", Map.of()).config().apiKeys())
                .extracting(ApiKey::id).containsExactly("a-token", "s2s");
    }

    @Test
    void reportsApiKeysWithoutIdOrSecret() throws IOException {
        assertThat(problems("api_keys:\n  - client_secret: abc\n  - id: empty\n", Map.of())).containsExactly(
                file() + ": api_keys[0].id: is required (destinations' only_tokens refer to keys by id)",
                file() + ": api_keys[1]: give client_secret, server_secret or both");
    }

    @Test
    void readsTheDeliverySection() throws Exception {
        DestinationSpec spec = load("""
                destinations:
                  d:
                    type: t
                    delivery:
                      batch_size: 50
                      linger: 500ms
                      retry_for: 1h
                      backoff_initial: 10s
                      backoff_max: 5m
                      max_queued_events: 1000
                      max_queued_bytes: 1048576
                """, Map.of()).config().destinations().get(0);

        assertThat(spec.delivery()).isEqualTo(new DeliverySettings(50, Duration.ofMillis(500), Duration.ofHours(1),
                Duration.ofSeconds(10), Duration.ofMinutes(5), 1000, 1_048_576));
    }

    @Test
    void reportsEveryBadDeliverySettingAtOnce() throws IOException {
        assertThat(problems("""
                destinations:
                  d:
                    type: t
                    delivery:
                      batch_size: -1
                      linger: soon
                      retries: 3
                """, Map.of())).containsExactlyInAnyOrder(
                file() + ": destination 'd': delivery.retries: unknown setting; known: backoff_initial, backoff_max, "
                        + "batch_size, linger, max_queued_bytes, max_queued_events, retry_for",
                file() + ": destination 'd': delivery.batch_size: must be a whole number from 0 to 2147483647, not '-1'",
                file() + ": destination 'd': delivery.linger: must be a duration such as 500ms, 10s, 5m or 1h, not 'soon'");
    }

    @Test
    void refusesABackoffThatCouldNeverGrow() throws IOException {
        assertThat(problems("""
                destinations:
                  d:
                    type: t
                    delivery:
                      backoff_initial: 0s
                  e:
                    type: t
                    delivery:
                      backoff_initial: 10m
                      backoff_max: 1m
                """, Map.of())).containsExactlyInAnyOrder(
                file() + ": destination 'd': delivery.backoff_initial: must be longer than 0, e.g. 1s",
                file() + ": destination 'e': delivery.backoff_initial: must not be longer than backoff_max (PT1M)");
    }

    @Test
    void replacesEnvReferencesInAnyString() throws Exception {
        HostConfig config = load("""
                server:
                  port: ${env:PORT}
                api_keys: ["${env:KEY}"]
                destinations:
                  d:
                    type: t
                    config:
                      access_token: ${env:TOKEN}
                      url: "https://${env:HOST}/api"
                """, Map.of("PORT", "9100", "KEY", "k1", "TOKEN", "pat-xyz", "HOST", "example.com")).config();

        assertThat(config.server().port()).isEqualTo(9100);
        assertThat(config.apiKeys().get(0).id()).isEqualTo("k1");
        assertThat(config.destinations().get(0).rawConfig())
                .containsEntry("access_token", "pat-xyz").containsEntry("url", "https://example.com/api");
    }

    @Test
    void anUnsetEnvVariableIsAnErrorNamingItAndWhere() throws IOException {
        assertThat(problems("""
                destinations:
                  crm:
                    type: hubspot
                    config:
                      access_token: ${env:HUBSPOT_ACCESS_TOKEN}
                """, Map.of())).containsExactly(file() + ": destination 'crm': config.access_token: environment "
                + "variable HUBSPOT_ACCESS_TOKEN is not set (referenced as ${env:HUBSPOT_ACCESS_TOKEN})");
    }

    @Test
    void anUnsetSecretIsReportedOnceWithoutFollowUpErrors() throws IOException {
        assertThat(problems("api_keys:\n  - id: web\n    server_secret: ${env:S2S}\n", Map.of())).containsExactly(
                file() + ": api_keys[0].server_secret: environment variable S2S is not set (referenced as ${env:S2S})");
    }

    @Test
    void aYamlSyntaxErrorGivesItsLine() throws IOException {
        List<String> problems = problems("""
                server:
                  port: 8001
                destinations:
                  crm:
                    type: hubspot
                   mode: stream
                """, Map.of());

        assertThat(problems).singleElement().satisfies(p ->
                assertThat(p).startsWith(file() + ": line 6, column ").contains("YAML syntax error"));
    }

    @Test
    void aYamlSyntaxErrorKeepsSnakeYamlsProblemWithItsLineAndColumn() throws IOException {
        List<String> problems = problems("destinations:\n  crm:\n    type: hubspot\n   mode: stream\n", Map.of());

        assertThat(problems).containsExactly(file() + ": line 4, column 4: YAML syntax error: expected <block end>,"
                + " but found '<block mapping start>' (while parsing a block mapping at line 2, column 3)");
    }

    @Test
    void aTabInTheIndentationIsNamed() throws IOException {
        List<String> problems = problems("destinations:\n  crm:\n\ttype: hubspot\n", Map.of());

        assertThat(problems).containsExactly(file() + ": line 3, column 1: YAML syntax error: found character"
                + " '\\t(TAB)' that cannot start any token. (Do not use \\t(TAB) for indentation)"
                + " (while scanning for the next token)");
    }

    @Test
    void aDuplicateKeyIsAnErrorWithItsLine() throws IOException {
        assertThat(problems("destinations:\n  a:\n    type: x\n    type: y\n", Map.of())).singleElement()
                .satisfies(p -> assertThat(p).startsWith(file() + ": line 4").contains("Duplicate field 'type'"));
    }

    @Test
    void warnsAboutJitsuSectionsItDoesNotUse() throws Exception {
        LoadedConfig loaded = load("""
                server:
                  port: 8001
                  log: {path: /tmp}
                sources: {}
                users_recognition: {enabled: true}
                destinations:
                  d:
                    type: t
                    staged: true
                """, Map.of());

        assertThat(loaded.warnings()).extracting(HostConfigProblem::toString).containsExactly(
                file() + ": sources: not used by Sluice; ignored",
                file() + ": users_recognition: not used by Sluice; ignored",
                file() + ": server.log: not used by Sluice; ignored",
                file() + ": destination 'd': staged: not used by Sluice; ignored");
    }

    @Test
    void reportsEveryStructuralProblemOfEveryDestination() throws IOException {
        assertThat(problems("""
                server:
                  port: 99999
                destinations:
                  no_type:
                    mode: stream
                  bad_config:
                    type: t
                    config: [1, 2]
                  not_a_map: 3
                """, Map.of())).containsExactlyInAnyOrder(
                file() + ": server.port: must be a whole number from 0 to 65535, not '99999'",
                file() + ": destination 'no_type': type: is required, e.g. type: hubspot",
                file() + ": destination 'bad_config': config: must be a map of the destination's settings",
                file() + ": destination 'not_a_map': must be a map with type:, mode:, config: ...");
    }

    @Test
    void aMissingFileIsAnError() {
        assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(dir.resolve("absent.yaml")))
                .isInstanceOf(InvalidHostConfigException.class).hasMessageContaining("absent.yaml: config file not found");
    }

    @Test
    void apiKeySecretsAreNotInProblemsOrToString() throws Exception {
        String yaml = "api_keys:\n  - id: web\n    client_secret: very-secret-1\n    origins: {bad: map}\n";
        assertThat(String.join("\n", problems(yaml, Map.of()))).doesNotContain("very-secret-1");
        ApiKey key = load("api_keys:\n  - id: web\n    client_secret: very-secret-1\n", Map.of()).config().apiKeys().get(0);
        assertThat(key.toString()).doesNotContain("very-secret-1");
    }
}
