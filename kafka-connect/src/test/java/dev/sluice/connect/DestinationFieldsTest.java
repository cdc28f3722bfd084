package dev.sluice.connect;

import dev.sluice.api.config.ConfigField;
import dev.sluice.api.config.FieldType;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DestinationFieldsTest {

    private static final List<ConfigField> FIELDS = List.of(
            ConfigField.of("token", FieldType.STRING).asSecret().asRequired().description("the token"),
            ConfigField.of("limit", FieldType.INTEGER).defaultValue(100L),
            ConfigField.of("names", FieldType.MAP),
            ConfigField.of("tags", FieldType.LIST),
            ConfigField.of("name", FieldType.STRING));

    @Test
    void secretsArePasswordsAndTypesMapToConnectTypes() {
        ConfigDef def = DestinationFields.define(new ConfigDef().define("name", ConfigDef.Type.STRING,
                ConfigDef.Importance.HIGH, "Connect's own"), "demo", FIELDS);

        assertThat(def.configKeys().get("token").type).isEqualTo(ConfigDef.Type.PASSWORD);
        assertThat(def.configKeys().get("limit").type).isEqualTo(ConfigDef.Type.LONG);
        assertThat(def.configKeys().get("tags").type).isEqualTo(ConfigDef.Type.LIST);
        assertThat(def.configKeys().get("names").type).isEqualTo(ConfigDef.Type.STRING);
        assertThat(def.configKeys().get("limit").documentation).isEqualTo("[demo]  (default 100)");
        assertThat(def.configKeys().get("name").documentation).as("Connect's key is kept").isEqualTo("Connect's own");
    }

    @Test
    void rawValuesKeepDeclaredFieldsOnlyAndReadMapsFromJsonOrPairs() {
        Map<String, Object> raw = DestinationFields.rawValues(FIELDS, Map.of("token", "t-123456", "limit", " ",
                "names", "signup=pe1_signup, buy=pe1_buy", "connector.class", "x"));

        assertThat(raw).containsOnlyKeys("token", "names");
        assertThat(raw.get("names")).isEqualTo(Map.of("signup", "pe1_signup", "buy", "pe1_buy"));
        assertThat(DestinationFields.rawValues(FIELDS, Map.of("names", "{\"a\":\"b\"}")).get("names"))
                .isEqualTo(Map.of("a", "b"));
        assertThatThrownBy(() -> DestinationFields.rawValues(FIELDS, Map.of("names", "justtext")))
                .hasMessageContaining("'names' must be a JSON object or name=value pairs");
    }
}
