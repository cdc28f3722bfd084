package dev.sluice.host.config;

import java.util.List;
import java.util.Objects;

/**
 * A config file as read, with what deserves a warning (keys Sluice does not use, such as Jitsu
 * sections like {@code sources:} or {@code users_recognition:}) and, from
 * {@link ConfigLoader#read}, the problems found (none from {@link ConfigLoader#load}). With
 * problems, a value in error is left at its default, a broken api key or destination is left out.
 */
public record LoadedConfig(HostConfig config, List<HostConfigProblem> warnings, List<HostConfigProblem> errors) {

    public LoadedConfig {
        Objects.requireNonNull(config, "config");
        warnings = List.copyOf(warnings);
        errors = List.copyOf(errors);
    }

    /** Read without errors. */
    public LoadedConfig(HostConfig config, List<HostConfigProblem> warnings) {
        this(config, warnings, List.of());
    }
}
