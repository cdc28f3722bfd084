package dev.sluice.connect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.api.config.ConfigField;
import dev.sluice.api.config.FieldType;
import org.apache.kafka.common.config.ConfigDef;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A destination plugin's declared config fields as Connect config: the same names as in
 * {@code sluice.yaml}, secrets as {@link ConfigDef.Type#PASSWORD} (so Connect masks them in its
 * validation answers and logs), and the reverse: Connect's string values back into the raw values
 * {@link dev.sluice.api.config.DestinationConfig#validate} takes, so every problem is the same
 * sentence {@code sluice check} prints.
 *
 * <p>Fields are declared without a Connect default and not required at Connect's level: required
 * fields, defaults and value checks are the plugin's own rules, applied by {@code validate}.
 */
final class DestinationFields {

    private static final ObjectMapper JSON = new ObjectMapper();

    private DestinationFields() {
    }

    /** Adds the fields to {@code def}; a field whose name Connect or the connector already uses is left out. */
    static ConfigDef define(ConfigDef def, String type, List<ConfigField> fields) {
        for (ConfigField field : fields) {
            if (def.names().contains(field.name())) {
                continue;
            }
            String doc = "[" + type + "] " + field.description()
                    + field.defaultValue().map(d -> " (default " + shown(d) + ")").orElse("")
                    + (field.required() ? " (required)" : "")
                    + field.deprecation().map(d -> " Deprecated: use " + d + ".").orElse("");
            def.define(field.name(), connectType(field), null,
                    field.required() ? ConfigDef.Importance.HIGH : ConfigDef.Importance.MEDIUM, doc);
        }
        return def;
    }

    static ConfigDef.Type connectType(ConfigField field) {
        if (field.secret()) {
            return ConfigDef.Type.PASSWORD;
        }
        return switch (field.type()) {
            case INTEGER -> ConfigDef.Type.LONG;
            case NUMBER -> ConfigDef.Type.DOUBLE;
            case BOOLEAN -> ConfigDef.Type.BOOLEAN;
            case LIST -> ConfigDef.Type.LIST;
            case STRING, DURATION, MAP -> ConfigDef.Type.STRING;
        };
    }

    /**
     * The destination's raw values from connector (or task) properties: only declared fields, blank
     * values left out (so a default applies), {@link FieldType#MAP} values read from a JSON object
     * ({@code {"signup":"pe123_signup"}}) or {@code name=value} pairs separated by commas.
     *
     * @throws IllegalArgumentException naming the field when a map value cannot be read
     */
    static Map<String, Object> rawValues(List<ConfigField> fields, Map<String, String> props) {
        Map<String, Object> raw = new LinkedHashMap<>();
        for (ConfigField field : fields) {
            String value = props.get(field.name());
            if (value == null || value.isBlank()) {
                continue;
            }
            raw.put(field.name(), field.type() == FieldType.MAP ? parseMap(field.name(), value.trim()) : value);
        }
        return raw;
    }

    static Map<String, String> parseMap(String name, String text) {
        Map<String, String> map = new LinkedHashMap<>();
        if (text.startsWith("{")) {
            try {
                Map<?, ?> read = JSON.readValue(text, Map.class);
                read.forEach((k, v) -> map.put(String.valueOf(k), String.valueOf(v)));
                return map;
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("'" + name + "' is not a JSON object: " + e.getOriginalMessage());
            }
        }
        for (String pair : text.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("'" + name + "' must be a JSON object or name=value pairs"
                        + " separated by commas");
            }
            map.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        return map;
    }

    /** A field's default in the words of the docs. */
    private static String shown(Object value) {
        if (value instanceof Duration d) {
            return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
        }
        return String.valueOf(value);
    }

    /** The declared field of that name. */
    static Optional<ConfigField> find(List<ConfigField> fields, String name) {
        return fields.stream().filter(f -> f.name().equals(name)).findFirst();
    }
}
