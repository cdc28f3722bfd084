package dev.sluice.api.config;

/** The kinds of value a config field takes, and what each accepts from YAML. */
public enum FieldType {
    /** Text. Numbers and booleans written without quotes in YAML are taken as their text. */
    STRING("a string"),
    /** A whole number, written as a number or as digits in quotes. */
    INTEGER("a whole number"),
    /** A decimal number. */
    NUMBER("a number"),
    /** {@code true} or {@code false}. */
    BOOLEAN("true or false"),
    /** A duration: {@code 250ms}, {@code 10s}, {@code 5m}, {@code 2h}, {@code 1d}, ISO-8601 {@code PT10S}, or a number of seconds. */
    DURATION("a duration such as 500ms, 10s, 5m or 1h"),
    /** A list of strings, as a YAML list or comma-separated text. */
    LIST("a list of strings"),
    /** A map of string keys to string values. */
    MAP("a map of names to values");

    private final String description;

    FieldType(String description) {
        this.description = description;
    }

    /** How a valid value is described in problem messages ("must be a whole number"). */
    public String description() {
        return description;
    }
}
