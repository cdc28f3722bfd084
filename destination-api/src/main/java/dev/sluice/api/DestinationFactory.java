package dev.sluice.api;

import dev.sluice.api.config.ConfigField;
import dev.sluice.api.config.ConfigProblem;
import dev.sluice.api.config.DestinationConfig;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A destination type, discovered through {@link java.util.ServiceLoader}. See the
 * {@linkplain dev.sluice.api package documentation} for the lifecycle contract.
 *
 * <p>Implementations need a public no-argument constructor, must be thread-safe and must not do I/O
 * before {@link #create} (and no network I/O in {@link #create} either).
 */
public interface DestinationFactory {

    /** The mode in which events are pushed one stream at a time (Jitsu Classic's {@code stream}). */
    String MODE_STREAM = "stream";
    /** Jitsu Classic's {@code batch} mode; also what a destination without {@code mode} gets. */
    String MODE_BATCH = "batch";

    /** The type name used in config ({@code type: hubspot}): lower-case, unique among plugins. */
    String type();

    /** A human name for messages ({@code HubSpot}); defaults to {@link #type()}. */
    default String displayName() {
        return type();
    }

    /** The modes this type supports, e.g. {@code Set.of("stream")}. Never empty. */
    Set<String> supportedModes();

    /**
     * The message given when a destination is configured with a mode outside
     * {@link #supportedModes()}. The default reads
     * {@code "HubSpot destination doesn't support batch mode; supported: stream"}.
     */
    default String unsupportedModeMessage(String mode) {
        return displayName() + " destination doesn't support " + mode + " mode; supported: "
                + String.join(", ", supportedModes().stream().sorted().toList());
    }

    /** The config fields this type accepts, in the order to document them. */
    List<ConfigField> configFields();

    /**
     * The {@code table_name_template} used when a destination does not set one: an expression
     * whose empty, {@code null} or {@code false} result skips the event for this destination.
     * Empty means "keep every event".
     */
    default Optional<String> defaultTableNameTemplate() {
        return Optional.empty();
    }

    /**
     * Rules that span several fields (e.g. "one of {@code access_token} or {@code api_key}"), run
     * after the per-field checks have passed. Returns every problem found, empty when valid.
     */
    default List<ConfigProblem> validate(DestinationConfig config) {
        return List.of();
    }

    /**
     * Creates the destination for one configured id. Called once per destination, on the host's
     * main thread, with a config that passed {@link DestinationConfig#validate} and
     * {@link #validate}. Must not do network I/O: that belongs in {@link Destination#start()}.
     *
     * @throws DestinationException if the destination cannot be built from this config
     */
    Destination create(DestinationContext context);
}
