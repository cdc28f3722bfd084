package dev.sluice.api.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One declared config field. Build with {@link #of} and the {@code with}-style methods, e.g.
 * <pre>{@code
 * ConfigField.of("hub_id", FieldType.STRING).asRequired().pattern("[0-9]+", "digits only")
 *         .description("Your HubSpot Hub ID (portal id), e.g. 20546336")
 * }</pre>
 *
 * @param name          the key in the YAML {@code config:} section
 * @param type          the kind of value
 * @param required      whether a value must be given (a default does not count as given)
 * @param secret        masked in every message and {@code toString}; read with
 *                      {@link DestinationConfig#getSecret}
 * @param deprecation   when present, the field still works and this says what to use instead
 * @param defaultValue  the value used when none is given, already of the field's type
 * @param description   one sentence for the config reference
 * @param pattern       a regular expression a {@link FieldType#STRING} value must match in full
 * @param patternHint   what the pattern means, for messages ("digits only")
 * @param allowedValues when non-empty, the only values a {@link FieldType#STRING} may take
 */
public record ConfigField(
        String name,
        FieldType type,
        boolean required,
        boolean secret,
        Optional<String> deprecation,
        Optional<Object> defaultValue,
        String description,
        Optional<Pattern> pattern,
        String patternHint,
        List<String> allowedValues) {

    public ConfigField {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(deprecation, "deprecation");
        Objects.requireNonNull(defaultValue, "defaultValue");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(patternHint, "patternHint");
        allowedValues = List.copyOf(allowedValues);
        if (name.isBlank()) {
            throw new IllegalArgumentException("field name must not be blank");
        }
        if (secret && type != FieldType.STRING) {
            throw new IllegalArgumentException("secret field '" + name + "' must be a STRING");
        }
    }

    /** An optional, non-secret field with no default and no description yet. */
    public static ConfigField of(String name, FieldType type) {
        return new ConfigField(name, type, false, false, Optional.empty(), Optional.empty(), "",
                Optional.empty(), "", List.of());
    }

    public ConfigField asRequired() {
        return new ConfigField(name, type, true, secret, deprecation, defaultValue, description, pattern,
                patternHint, allowedValues);
    }

    public ConfigField asSecret() {
        return new ConfigField(name, type, required, true, deprecation, defaultValue, description, pattern,
                patternHint, allowedValues);
    }

    public ConfigField deprecated(String useInstead) {
        return new ConfigField(name, type, required, secret, Optional.of(useInstead), defaultValue, description,
                pattern, patternHint, allowedValues);
    }

    /**
     * The default, given in the field's type: {@code String}, {@code Long}, {@code Double},
     * {@code Boolean}, {@code java.time.Duration}, {@code List<String>} or {@code Map<String, String>}.
     */
    public ConfigField defaultValue(Object value) {
        return new ConfigField(name, type, required, secret, deprecation, Optional.of(value), description,
                pattern, patternHint, allowedValues);
    }

    public ConfigField description(String text) {
        return new ConfigField(name, type, required, secret, deprecation, defaultValue, text, pattern,
                patternHint, allowedValues);
    }

    public ConfigField pattern(String regex, String hint) {
        return new ConfigField(name, type, required, secret, deprecation, defaultValue, description,
                Optional.of(Pattern.compile(regex)), hint, allowedValues);
    }

    public ConfigField allowedValues(String... values) {
        return new ConfigField(name, type, required, secret, deprecation, defaultValue, description, pattern,
                patternHint, List.of(values));
    }

    /** Name, type and flags; never a value. */
    @Override
    public String toString() {
        return "ConfigField{" + name + ", " + type + (required ? ", required" : "") + (secret ? ", secret" : "")
                + deprecation.map(d -> ", deprecated").orElse("") + "}";
    }
}
