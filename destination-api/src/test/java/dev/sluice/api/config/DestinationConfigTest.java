package dev.sluice.api.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class DestinationConfigTest {

    private static final String TOKEN = "pat-na1-11111111-2222-3333-4444-555555555555";

    private static final List<ConfigField> FIELDS = List.of(
            ConfigField.of("access_token", FieldType.STRING).asSecret().description("bearer token"),
            ConfigField.of("hub_id", FieldType.STRING).asRequired().pattern("[0-9]+", "digits only")
                    .description("portal id"),
            ConfigField.of("region", FieldType.STRING).asRequired(),
            ConfigField.of("api_version", FieldType.STRING).allowedValues("2026-03", "v3").defaultValue("2026-03"),
            ConfigField.of("batch_size", FieldType.INTEGER).defaultValue(100L),
            ConfigField.of("ratio", FieldType.NUMBER),
            ConfigField.of("strict", FieldType.BOOLEAN).defaultValue(false),
            ConfigField.of("timeout", FieldType.DURATION).defaultValue(Duration.ofSeconds(30)),
            ConfigField.of("tags", FieldType.LIST),
            ConfigField.of("event_names", FieldType.MAP));

    @Test
    void reportsEveryProblemAtOnceEachNamingItsField() {
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("api_version", "v9");
        raw.put("batch_size", "lots");
        raw.put("hubid", "123");

        InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class,
                () -> DestinationConfig.validate(FIELDS, raw));

        assertThat(e.problems()).extracting(ConfigProblem::field)
                .containsExactlyInAnyOrder("hubid", "hub_id", "region", "api_version", "batch_size");
        assertThat(e.problems()).filteredOn(p -> p.field().equals("hub_id")).first()
                .extracting(ConfigProblem::message).asString().contains("is required").contains("portal id");
        assertThat(e.problems()).filteredOn(p -> p.field().equals("hubid")).first()
                .extracting(ConfigProblem::message).asString().contains("unknown field").contains("hub_id");
        assertThat(e.getMessage()).contains("api_version: must be one of 2026-03, v3, not 'v9'");
    }

    @Test
    void neverEchoesASecretValueInProblemsOrToString() {
        Map<String, Object> raw = Map.of("access_token", TOKEN, "hub_id", "12a", "region", "eu");

        InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class,
                () -> DestinationConfig.validate(FIELDS, raw));
        assertThat(e.getMessage()).doesNotContain(TOKEN).contains("hub_id: must be digits only, not '12a'");

        DestinationConfig ok = DestinationConfig.validate(FIELDS, Map.of("access_token", TOKEN, "hub_id", 42, "region", "eu"));
        assertThat(ok.toString()).doesNotContain(TOKEN).contains("access_token=****").contains("hub_id=42");
        DestinationConfig withHeaders = DestinationConfig.validate(
                List.of(ConfigField.of("headers", FieldType.MAP).description("request headers")),
                Map.of("headers", Map.of("X-Api-Key", "header-secret-9c1")));
        assertThat(withHeaders.toString()).isEqualTo("DestinationConfig{headers={X-Api-Key=****}}");
        assertThat(withHeaders.getMap("headers")).containsEntry("X-Api-Key", "header-secret-9c1");
        assertThat(ok.getSecret("access_token").orElseThrow().toString()).isEqualTo("****");
        assertThat(ok.getSecret("access_token").orElseThrow().reveal()).isEqualTo(TOKEN);
    }

    @Test
    void aSecretOfTheWrongShapeIsReportedWithoutItsValue() {
        List<ConfigField> fields = List.of(ConfigField.of("key", FieldType.STRING).asSecret().pattern("k-.*", "a k- key"));

        InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class,
                () -> DestinationConfig.validate(fields, Map.of("key", "oops-" + TOKEN)));

        assertThat(e.getMessage()).contains("key: must be a k- key, not the value given").doesNotContain(TOKEN);
    }

    @Test
    void convertsYamlScalarsToTheDeclaredTypesAndFillsDefaults() {
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("hub_id", 20546336);
        raw.put("region", "eu");
        raw.put("ratio", "0.5");
        raw.put("strict", "TRUE");
        raw.put("timeout", "250ms");
        raw.put("tags", "a, b ,c");
        raw.put("event_names", Map.of("purchase", "pe1_buy"));

        DestinationConfig config = DestinationConfig.validate(FIELDS, raw);

        assertThat(config.getString("hub_id")).contains("20546336");
        assertThat(config.getString("api_version")).contains("2026-03");
        assertThat(config.getLong("batch_size")).contains(100L);
        assertThat(config.getNumber("ratio")).contains(0.5);
        assertThat(config.getBoolean("strict")).contains(true);
        assertThat(config.getDuration("timeout")).contains(Duration.ofMillis(250));
        assertThat(config.getList("tags")).containsExactly("a", "b", "c");
        assertThat(config.getMap("event_names")).containsEntry("purchase", "pe1_buy");
        assertThat(config.has("access_token")).isFalse();
        assertThat(config.getSecret("access_token")).isEmpty();
    }

    @Test
    void blankValuesCountAsMissing() {
        InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class,
                () -> DestinationConfig.validate(FIELDS, Map.of("hub_id", "  ", "region", "eu")));

        assertThat(e.problems()).extracting(ConfigProblem::field).containsExactly("hub_id");
    }

    @Test
    void typedGettersRefuseTheWrongKindOfField() {
        DestinationConfig config = DestinationConfig.validate(FIELDS, Map.of("hub_id", "1", "region", "eu"));

        assertThatThrownBy(() -> config.getString("access_token")).hasMessageContaining("secret");
        assertThatThrownBy(() -> config.getLong("hub_id")).hasMessageContaining("STRING");
        assertThatThrownBy(() -> config.getString("nope")).hasMessageContaining("no config field 'nope'");
    }

    @Test
    void parsesDurationsInEveryDocumentedForm() {
        assertThat(DestinationConfig.parseDuration("10s")).contains(Duration.ofSeconds(10));
        assertThat(DestinationConfig.parseDuration("5m")).contains(Duration.ofMinutes(5));
        assertThat(DestinationConfig.parseDuration("2h")).contains(Duration.ofHours(2));
        assertThat(DestinationConfig.parseDuration("1d")).contains(Duration.ofDays(1));
        assertThat(DestinationConfig.parseDuration("PT3S")).contains(Duration.ofSeconds(3));
        assertThat(DestinationConfig.parseDuration(7)).contains(Duration.ofSeconds(7));
        assertThat(DestinationConfig.parseDuration("soon")).isEmpty();
        assertThat(DestinationConfig.parseDuration(-1)).isEmpty();
    }

    @Test
    void refusesDeclaringAFieldTwiceOrASecretThatIsNotText() {
        assertThatThrownBy(() -> DestinationConfig.validate(
                List.of(ConfigField.of("a", FieldType.STRING), ConfigField.of("a", FieldType.INTEGER)), Map.of()))
                .hasMessageContaining("declared twice");
        assertThatThrownBy(() -> ConfigField.of("n", FieldType.INTEGER).asSecret())
                .hasMessageContaining("must be a STRING");
    }
}
