package dev.sluice.host.config;

import java.util.Locale;
import java.util.Optional;

/**
 * {@code server.durability}: how hard a commit to the queue database is pushed to disk before
 * ingest answers {@code 200}.
 */
public enum Durability {
    /**
     * The default: a commit survives a crash or {@code SIGKILL} of the process; a power loss or OS
     * crash can lose the last commits (SQLite WAL with {@code synchronous=NORMAL}).
     */
    NORMAL,
    /**
     * Every group commit is fsynced before it is acknowledged, so it also survives a power loss or
     * OS crash; slower (SQLite WAL with {@code synchronous=FULL}).
     */
    FULL;

    /** The value as written in the config file. */
    public String configValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The level for a config value ({@code normal} or {@code full}, any case); empty for anything else. */
    public static Optional<Durability> parse(String value) {
        String v = value.trim().toUpperCase(Locale.ROOT);
        for (Durability d : values()) {
            if (d.name().equals(v)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }
}
