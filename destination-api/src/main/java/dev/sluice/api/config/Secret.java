package dev.sluice.api.config;

import java.util.Objects;

/**
 * A secret config value (token, key). {@link #toString()} is masked; only {@link #reveal()} gives
 * the value, at the one place that must send it.
 */
public final class Secret {

    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    public static Secret of(String value) {
        return new Secret(Objects.requireNonNull(value, "value"));
    }

    /** The plain value. Call it only where the value is sent, never to log or format it. */
    public String reveal() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret other && value.equals(other.value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return "****";
    }
}
