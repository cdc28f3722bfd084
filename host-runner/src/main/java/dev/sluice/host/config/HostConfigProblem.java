package dev.sluice.host.config;

import java.util.Objects;

/**
 * One thing wrong with a host config file. Printed as {@code file: where: message}, e.g.
 * {@code sluice.yaml: destination 'crm': config.hub_id: is required}. Never holds a secret value.
 *
 * @param file    the config file as the user named it
 * @param where   the place in the file: {@code server.port}, {@code api_keys[1]},
 *                {@code destination 'crm': mode}, {@code line 4, column 7}
 * @param message what is wrong and, where it helps, what to write instead
 */
public record HostConfigProblem(String file, String where, String message) {

    public HostConfigProblem {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(where, "where");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return file + ": " + (where.isEmpty() ? "" : where + ": ") + message;
    }
}
