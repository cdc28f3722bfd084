package dev.sluice.host.config;

import java.util.List;
import java.util.Objects;

/**
 * A config file read without errors, with what deserves a warning (keys Sluice does not use,
 * such as Jitsu sections like {@code sources:} or {@code users_recognition:}).
 */
public record LoadedConfig(HostConfig config, List<HostConfigProblem> warnings) {

    public LoadedConfig {
        Objects.requireNonNull(config, "config");
        warnings = List.copyOf(warnings);
    }
}
