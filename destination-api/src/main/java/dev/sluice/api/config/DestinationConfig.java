package dev.sluice.api.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A destination's config after validation: every value converted to its field's type, defaults
 * filled in, secrets held as {@link Secret}. Immutable; {@link #toString()} masks secrets.
 */
public final class DestinationConfig {

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private final Map<String, ConfigField> fields;
    private final Map<String, Object> values;

    private DestinationConfig(Map<String, ConfigField> fields, Map<String, Object> values) {
        this.fields = fields;
        this.values = values;
    }

    /**
     * Validates raw values (as read from YAML: strings, numbers, booleans, lists, maps) against the
     * declared fields.
     *
     * @throws InvalidConfigException listing every problem: unknown fields, missing required
     *     fields, values of the wrong type, pattern or allowed-value mismatches
     */
    public static DestinationConfig validate(List<ConfigField> declared, Map<String, ?> raw) {
        Objects.requireNonNull(declared, "declared");
        Objects.requireNonNull(raw, "raw");
        Map<String, ConfigField> fields = new LinkedHashMap<>();
        for (ConfigField field : declared) {
            if (fields.put(field.name(), field) != null) {
                throw new IllegalArgumentException("config field '" + field.name() + "' declared twice");
            }
        }
        List<ConfigProblem> problems = new ArrayList<>();
        for (String key : raw.keySet()) {
            if (!fields.containsKey(key)) {
                problems.add(new ConfigProblem(key, "unknown field; known fields: "
                        + String.join(", ", fields.keySet())));
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (ConfigField field : fields.values()) {
            Object value = raw.get(field.name());
            if (value == null || (value instanceof String s && s.isBlank())) {
                if (field.required()) {
                    problems.add(new ConfigProblem(field.name(), "is required"
                            + (field.description().isEmpty() ? "" : " (" + field.description() + ")")));
                } else {
                    field.defaultValue().ifPresent(d -> values.put(field.name(), d));
                }
                continue;
            }
            try {
                values.put(field.name(), convert(field, value));
            } catch (IllegalArgumentException e) {
                problems.add(new ConfigProblem(field.name(), e.getMessage()));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
        return new DestinationConfig(Collections.unmodifiableMap(fields), Collections.unmodifiableMap(values));
    }

    private static Object convert(ConfigField field, Object value) {
        String shown = field.secret() ? "the value given" : "'" + value + "'";
        String must = "must be " + field.type().description() + ", not " + shown;
        switch (field.type()) {
            case STRING -> {
                if (value instanceof Map || value instanceof List) {
                    throw new IllegalArgumentException("must be a string, not a " + (value instanceof Map ? "map" : "list"));
                }
                String text = value instanceof BigDecimal b ? b.toPlainString() : String.valueOf(value);
                if (field.pattern().isPresent() && !field.pattern().get().matcher(text).matches()) {
                    throw new IllegalArgumentException("must be " + field.patternHint() + ", not " + shown);
                }
                if (!field.allowedValues().isEmpty() && !field.allowedValues().contains(text)) {
                    throw new IllegalArgumentException("must be one of " + String.join(", ", field.allowedValues())
                            + ", not " + shown);
                }
                return field.secret() ? Secret.of(text) : text;
            }
            case INTEGER -> {
                try {
                    if (value instanceof Number n && !(value instanceof Double || value instanceof Float)) {
                        return n.longValue();
                    }
                    if (value instanceof String s) {
                        return Long.parseLong(s.trim());
                    }
                } catch (NumberFormatException e) {
                    // falls through to the message below
                }
                throw new IllegalArgumentException(must);
            }
            case NUMBER -> {
                try {
                    if (value instanceof Number n) {
                        return n.doubleValue();
                    }
                    if (value instanceof String s) {
                        return Double.parseDouble(s.trim());
                    }
                } catch (NumberFormatException e) {
                    // falls through to the message below
                }
                throw new IllegalArgumentException(must);
            }
            case BOOLEAN -> {
                if (value instanceof Boolean b) {
                    return b;
                }
                if (value instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
                    return Boolean.parseBoolean(s);
                }
                throw new IllegalArgumentException(must);
            }
            case DURATION -> {
                return parseDuration(value).orElseThrow(() -> new IllegalArgumentException(must));
            }
            case LIST -> {
                List<String> list = new ArrayList<>();
                if (value instanceof List<?> items) {
                    for (Object item : items) {
                        if (item instanceof Map || item instanceof List || item == null) {
                            throw new IllegalArgumentException("must be a list of strings; an item is not a string");
                        }
                        list.add(String.valueOf(item));
                    }
                } else if (value instanceof String s) {
                    for (String part : s.split(",")) {
                        if (!part.isBlank()) {
                            list.add(part.trim());
                        }
                    }
                } else {
                    throw new IllegalArgumentException(must);
                }
                return List.copyOf(list);
            }
            case MAP -> {
                if (!(value instanceof Map<?, ?> map)) {
                    throw new IllegalArgumentException("must be " + field.type().description());
                }
                Map<String, String> copy = new LinkedHashMap<>();
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    if (e.getValue() instanceof Map || e.getValue() instanceof List || e.getValue() == null) {
                        throw new IllegalArgumentException("must map names to plain values; '" + e.getKey()
                                + "' is not a plain value");
                    }
                    copy.put(String.valueOf(e.getKey()), String.valueOf(e.getValue()));
                }
                return Collections.unmodifiableMap(copy);
            }
            default -> throw new IllegalStateException("unhandled type " + field.type());
        }
    }

    /** Parses {@code 250ms}, {@code 10s}, {@code 5m}, {@code 2h}, {@code 1d}, {@code PT10S} or a number of seconds. */
    public static Optional<Duration> parseDuration(Object value) {
        if (value instanceof Duration d) {
            return Optional.of(d);
        }
        if (value instanceof Number n && !(value instanceof Double || value instanceof Float)) {
            return n.longValue() >= 0 ? Optional.of(Duration.ofSeconds(n.longValue())) : Optional.empty();
        }
        if (!(value instanceof String s)) {
            return Optional.empty();
        }
        String text = s.trim().toLowerCase(Locale.ROOT);
        Matcher m = DURATION.matcher(text);
        if (m.matches()) {
            long amount = Long.parseLong(m.group(1));
            return Optional.of(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            });
        }
        if (text.matches("\\d+")) {
            return Optional.of(Duration.ofSeconds(Long.parseLong(text)));
        }
        try {
            Duration d = Duration.parse(s.trim());
            return d.isNegative() ? Optional.empty() : Optional.of(d);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** The declared fields, by name. */
    public Map<String, ConfigField> fields() {
        return fields;
    }

    /** True when the field has a value, given or default. */
    public boolean has(String name) {
        return values.containsKey(declared(name).name());
    }

    public Optional<String> getString(String name) {
        return typed(name, FieldType.STRING, String.class);
    }

    public Optional<Secret> getSecret(String name) {
        ConfigField field = declared(name);
        if (!field.secret()) {
            throw new IllegalArgumentException("field '" + name + "' is not secret; use getString");
        }
        return Optional.ofNullable((Secret) values.get(name));
    }

    public Optional<Long> getLong(String name) {
        return typed(name, FieldType.INTEGER, Long.class);
    }

    public Optional<Double> getNumber(String name) {
        return typed(name, FieldType.NUMBER, Double.class);
    }

    public Optional<Boolean> getBoolean(String name) {
        return typed(name, FieldType.BOOLEAN, Boolean.class);
    }

    public Optional<Duration> getDuration(String name) {
        return typed(name, FieldType.DURATION, Duration.class);
    }

    @SuppressWarnings("unchecked")
    public List<String> getList(String name) {
        return typed(name, FieldType.LIST, List.class).map(l -> (List<String>) l).orElse(List.of());
    }

    @SuppressWarnings("unchecked")
    public Map<String, String> getMap(String name) {
        return typed(name, FieldType.MAP, Map.class).map(m -> (Map<String, String>) m).orElse(Map.of());
    }

    private <T> Optional<T> typed(String name, FieldType type, Class<T> javaType) {
        ConfigField field = declared(name);
        if (field.type() != type) {
            throw new IllegalArgumentException("field '" + name + "' is " + field.type() + ", not " + type);
        }
        if (field.secret()) {
            throw new IllegalArgumentException("field '" + name + "' is secret; use getSecret");
        }
        return Optional.ofNullable(values.get(name)).map(javaType::cast);
    }

    private ConfigField declared(String name) {
        ConfigField field = fields.get(name);
        if (field == null) {
            throw new IllegalArgumentException("no config field '" + name + "' is declared");
        }
        return field;
    }

    /**
     * Every value, secrets as {@code ****}. {@link FieldType#MAP} values show their keys only
     * ({@code headers={X-Api-Key=****}}): maps often carry credentials (request headers) and cannot
     * be declared secret.
     */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("DestinationConfig{");
        String sep = "";
        for (Map.Entry<String, Object> e : values.entrySet()) {
            ConfigField field = fields.get(e.getKey());
            Object shown = field.secret() ? "****" : e.getValue();
            if (field.type() == FieldType.MAP && e.getValue() instanceof Map<?, ?> map) {
                Map<Object, String> masked = new LinkedHashMap<>();
                map.keySet().forEach(k -> masked.put(k, "****"));
                shown = masked;
            }
            out.append(sep).append(e.getKey()).append('=').append(shown);
            sep = ", ";
        }
        return out.append('}').toString();
    }
}
