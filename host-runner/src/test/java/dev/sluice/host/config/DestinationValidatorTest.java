package dev.sluice.host.config;

import dev.sluice.api.Destination;
import dev.sluice.api.DestinationContext;
import dev.sluice.api.DestinationFactory;
import dev.sluice.api.Outcome;
import dev.sluice.api.config.ConfigField;
import dev.sluice.api.config.ConfigProblem;
import dev.sluice.api.config.DestinationConfig;
import dev.sluice.api.config.FieldType;
import dev.sluice.host.plugins.LoadedPlugin;
import dev.sluice.host.plugins.PluginRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class DestinationValidatorTest {

    /** Like HubSpot: stream only, a required numeric id, two secrets of which one is needed. */
    static final class CrmFactory implements DestinationFactory {
        @Override
        public String type() {
            return "crm";
        }

        @Override
        public String displayName() {
            return "CRM";
        }

        @Override
        public Set<String> supportedModes() {
            return Set.of(MODE_STREAM);
        }

        @Override
        public List<ConfigField> configFields() {
            return List.of(
                    ConfigField.of("access_token", FieldType.STRING).asSecret(),
                    ConfigField.of("api_key", FieldType.STRING).asSecret().deprecated("use access_token"),
                    ConfigField.of("hub_id", FieldType.STRING).asRequired().pattern("[0-9]+", "digits only"),
                    ConfigField.of("region", FieldType.STRING).asRequired());
        }

        @Override
        public Optional<String> defaultTableNameTemplate() {
            return Optional.of("$.user?.email");
        }

        @Override
        public List<ConfigProblem> validate(DestinationConfig config) {
            if (config.getSecret("access_token").isEmpty() && config.getSecret("api_key").isEmpty()) {
                return List.of(new ConfigProblem("access_token, api_key", "'access_token' or 'api_key' must be provided"));
            }
            return List.of();
        }

        @Override
        public Destination create(DestinationContext context) {
            return events -> events.stream().map(e -> Outcome.delivered()).toList();
        }
    }

    static final class LogFactory implements DestinationFactory {
        @Override
        public String type() {
            return "log";
        }

        @Override
        public Set<String> supportedModes() {
            return Set.of(MODE_BATCH, MODE_STREAM);
        }

        @Override
        public List<ConfigField> configFields() {
            return List.of();
        }

        @Override
        public Destination create(DestinationContext context) {
            return events -> events.stream().map(e -> Outcome.delivered()).toList();
        }
    }

    @TempDir
    Path dir;

    private final PluginRegistry registry = PluginRegistry.builder()
            .add(new LoadedPlugin("crm-plugin", "1.0", Path.of("crm.jar"), List.of("crm"), getClass().getClassLoader()),
                    List.of(new CrmFactory()))
            .add(new LoadedPlugin("log-plugin", "1.0", Path.of("log.jar"), List.of("log"), getClass().getClassLoader()),
                    List.of(new LogFactory()))
            .build();

    private HostConfig config(String yaml) throws Exception {
        return new ConfigLoader(Map.of()).load(Files.writeString(dir.resolve("sluice.yaml"), yaml)).config();
    }

    private List<String> problems(String yaml) throws Exception {
        HostConfig config = config(yaml);
        InvalidHostConfigException e = catchThrowableOfType(InvalidHostConfigException.class,
                () -> new DestinationValidator(registry).validate(config));
        assertThat(e).as("expected the config to be refused").isNotNull();
        return e.problems().stream().map(HostConfigProblem::toString).toList();
    }

    private String file() {
        return dir.resolve("sluice.yaml").toString();
    }

    @Test
    void validatesADestinationIntoItsConfigFactoryAndTemplate() throws Exception {
        ValidatedHost host = new DestinationValidator(registry).validate(config("""
                api_keys: [{id: web, client_secret: s}]
                destinations:
                  my_crm:
                    type: crm
                    mode: stream
                    only_tokens: [web]
                    config: {access_token: pat-1, hub_id: 20546336, region: eu}
                """));

        ValidatedDestination d = host.destinations().get(0);
        assertThat(d.id()).isEqualTo("my_crm");
        assertThat(d.factory()).isInstanceOf(CrmFactory.class);
        assertThat(d.type().plugin().file()).isEqualTo(Path.of("crm.jar"));
        assertThat(d.config().getString("hub_id")).contains("20546336");
        assertThat(d.config().getSecret("access_token").orElseThrow().reveal()).isEqualTo("pat-1");
        assertThat(d.tableNameTemplate()).contains("$.user?.email");
        assertThat(d.context(java.time.Clock.systemUTC(), java.nio.file.Path.of("")).mode()).isEqualTo("stream");
        assertThat(host.warnings()).isEmpty();
    }

    @Test
    void theDestinationsOwnTemplateWinsOverThePluginDefault() throws Exception {
        ValidatedHost host = new DestinationValidator(registry).validate(config("""
                destinations:
                  d:
                    type: crm
                    mode: stream
                    config: {access_token: a, hub_id: "1", region: eu}
                    data_layout: {table_name_template: 'events'}
                """));

        assertThat(host.destinations().get(0).tableNameTemplate()).contains("events");
    }

    @Test
    void refusesATemplateThatDoesNotCompileNamingTheDestination() throws Exception {
        assertThat(problems("""
                destinations:
                  d:
                    type: crm
                    mode: stream
                    config: {access_token: a, hub_id: "1", region: eu}
                    data_layout: {table_name_template: '$.user?.email =='}
                """)).singleElement().asString()
                .startsWith(file() + ": destination 'd': data_layout.table_name_template: ");
    }

    @Test
    void readsTheTransformAndRunsItUnlessDisabled() throws Exception {
        ValidatedHost host = new DestinationValidator(registry).validate(config("""
                destinations:
                  on:
                    type: crm
                    mode: stream
                    config: {access_token: a, hub_id: "1", region: eu}
                    data_layout:
                      transform: 'return {...$, user: $.eventn_ctx?.user}'
                  off:
                    type: crm
                    mode: stream
                    config: {access_token: a, hub_id: "1", region: eu}
                    data_layout:
                      transform: 'return null'
                      transform_enabled: false
                """));

        assertThat(host.destinations().get(0).spec().transform()).contains("return {...$, user: $.eventn_ctx?.user}");
        assertThat(host.destinations().get(1).spec().transform()).isEmpty();
    }

    @Test
    void refusesATransformThatDoesNotCompileNamingDestinationFieldLineAndColumn() throws Exception {
        assertThat(problems("""
                destinations:
                  d:
                    type: crm
                    mode: stream
                    config: {access_token: a, hub_id: "1", region: eu}
                    data_layout:
                      transform: |
                        const user = $.eventn_ctx?.user;
                        return {...$, user: user,, x: 1};
                """)).singleElement().asString()
                .startsWith(file() + ": destination 'd': data_layout.transform: JavaScript does not compile at line 2, column 26: SyntaxError: Expected property id but found ,");
    }

    @Test
    void refusesATransformThatIsNotTextOrAnEnabledFlagThatIsNotABoolean() throws Exception {
        InvalidHostConfigException e = catchThrowableOfType(InvalidHostConfigException.class, () -> config("""
                destinations:
                  d:
                    type: crm
                    mode: stream
                    config: {access_token: a, hub_id: "1", region: eu}
                    data_layout:
                      transform: [1, 2]
                      transform_enabled: "yes"
                """));
        assertThat(e).as("expected the config to be refused").isNotNull();
        assertThat(e.problems().stream().map(HostConfigProblem::toString).toList()).hasSize(2)
                .anySatisfy(p -> assertThat(p).contains("data_layout.transform_enabled: must be true or false"))
                .anySatisfy(p -> assertThat(p).contains("data_layout.transform: must be text"));
    }

    @Test
    void refusesAnUnsupportedModeWithThePluginsMessage() throws Exception {
        assertThat(problems("""
                destinations:
                  my_crm:
                    type: crm
                    config: {access_token: a, hub_id: "1", region: eu}
                """)).containsExactly(file() + ": destination 'my_crm': mode: CRM destination doesn't support batch mode;"
                + " supported: stream");
    }

    @Test
    void listsEveryMissingRequiredField() throws Exception {
        assertThat(problems("""
                destinations:
                  my_crm:
                    type: crm
                    mode: stream
                    config: {access_token: a}
                """)).containsExactly(
                file() + ": destination 'my_crm': config.hub_id: is required",
                file() + ": destination 'my_crm': config.region: is required");
    }

    @Test
    void reportsTheCrossFieldRuleAlongsideMissingFields() throws Exception {
        assertThat(problems("""
                destinations:
                  my_crm:
                    type: crm
                    mode: stream
                    config: {region: eu}
                """)).containsExactly(
                file() + ": destination 'my_crm': config.hub_id: is required",
                file() + ": destination 'my_crm': config.access_token, config.api_key: "
                        + "'access_token' or 'api_key' must be provided");
    }

    @Test
    void reportsThePluginsCrossFieldRule() throws Exception {
        assertThat(problems("""
                destinations:
                  my_crm:
                    type: crm
                    mode: stream
                    config: {hub_id: "1", region: eu}
                """)).containsExactly(file() + ": destination 'my_crm': config.access_token, config.api_key: "
                + "'access_token' or 'api_key' must be provided");
    }

    @Test
    void anUnknownTypeListsTheTypesTheLoadedPluginsOffer() throws Exception {
        assertThat(problems("destinations:\n  x:\n    type: mixpanel\n")).containsExactly(
                file() + ": destination 'x': type: unknown destination type 'mixpanel'; the loaded plugins offer: crm, log");
    }

    @Test
    void aConflictingTypeNamesBothFiles() throws Exception {
        PluginRegistry conflicting = PluginRegistry.builder()
                .add(new LoadedPlugin("a", "1", Path.of("a.jar"), List.of("log"), getClass().getClassLoader()), List.of(new LogFactory()))
                .add(new LoadedPlugin("b", "1", Path.of("b.jar"), List.of("log"), getClass().getClassLoader()), List.of(new LogFactory()))
                .build();
        HostConfig config = config("destinations:\n  x:\n    type: log\n");

        InvalidHostConfigException e = catchThrowableOfType(InvalidHostConfigException.class,
                () -> new DestinationValidator(conflicting).validate(config));

        assertThat(e.problems()).singleElement().hasToString(file() + ": destination 'x': type: destination type 'log' "
                + "is offered by more than one plugin (a.jar and b.jar); remove all but one of them");
    }

    @Test
    void collectsEveryProblemOfEveryDestinationAtOnce() throws Exception {
        assertThat(problems("""
                api_keys: [{id: web, client_secret: a}, {id: web, server_secret: b}]
                destinations:
                  first:
                    type: crm
                    config: {hub_id: abc, region: eu, colour: red}
                  second:
                    type: nope
                    only_tokens: [mobile]
                  third:
                    type: log
                """)).containsExactlyInAnyOrder(
                file() + ": api_keys[1].id: id 'web' is already used by api_keys[0]; ids must be unique",
                file() + ": destination 'first': mode: CRM destination doesn't support batch mode; supported: stream",
                file() + ": destination 'first': config.colour: unknown field; known fields: access_token, api_key, hub_id, region",
                file() + ": destination 'first': config.hub_id: must be digits only, not 'abc'",
                file() + ": destination 'first': config.access_token, config.api_key: "
                        + "'access_token' or 'api_key' must be provided",
                file() + ": destination 'second': only_tokens: 'mobile' is not the id of any entry of api_keys",
                file() + ": destination 'second': type: unknown destination type 'nope'; the loaded plugins offer: crm, log");
    }

    @Test
    void secretsNeverAppearInProblems() throws Exception {
        String all = String.join("\n", problems("""
                api_keys: [plain-secret-token, plain-secret-token]
                destinations:
                  d:
                    type: crm
                    config: {access_token: [pat-secret-value], api_key: 42, hub_id: "1", region: eu}
                """));

        assertThat(all).contains("config.access_token").contains("api_keys[1].id: the same key is already used")
                .doesNotContain("pat-secret-value").doesNotContain("plain-secret-token");
    }

    @Test
    void warnsAboutDeprecatedFields() throws Exception {
        ValidatedHost host = new DestinationValidator(registry).validate(config("""
                destinations:
                  d:
                    type: crm
                    mode: stream
                    config: {api_key: k, hub_id: "1", region: eu}
                """));

        assertThat(host.warnings()).extracting(HostConfigProblem::toString)
                .containsExactly(file() + ": destination 'd': config.api_key: is deprecated; use access_token");
    }
}
