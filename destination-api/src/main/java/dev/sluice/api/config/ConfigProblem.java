package dev.sluice.api.config;

import java.util.Objects;

/**
 * One thing wrong with a destination's config. {@code field} is the config field's name (or a
 * comma-separated list of names for a rule over several fields); the message never contains a
 * secret value.
 */
public record ConfigProblem(String field, String message) {

    public ConfigProblem {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return field + ": " + message;
    }
}
