package dev.sluice.host.config;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of {@code destinations:} as written in the file, before the plugin validated its
 * {@code config}. {@link #toString()} leaves the raw config out (it holds secrets).
 *
 * @param id                the key under {@code destinations:}
 * @param type              {@code type:}
 * @param mode              {@code mode:}; Jitsu's default when missing is {@code batch}
 * @param onlyTokens        {@code only_tokens:} api key ids; empty means every key
 * @param rawConfig         {@code config:} (or the section named after the type), values as YAML gave them
 * @param tableNameTemplate {@code data_layout.table_name_template} (or {@code table_name_template}
 *                          inside the config section), empty when not set
 * @param delivery          {@code delivery:} settings for the queue and the worker
 * @param transform         {@code data_layout.transform}, the JavaScript run on each event before
 *                          the template; empty when not set or when
 *                          {@code data_layout.transform_enabled} is {@code false}
 */
public record DestinationSpec(
        String id,
        String type,
        String mode,
        List<String> onlyTokens,
        Map<String, Object> rawConfig,
        Optional<String> tableNameTemplate,
        DeliverySettings delivery,
        Optional<String> transform) {

    public DestinationSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(mode, "mode");
        onlyTokens = List.copyOf(onlyTokens);
        Objects.requireNonNull(rawConfig, "rawConfig");
        Objects.requireNonNull(tableNameTemplate, "tableNameTemplate");
        Objects.requireNonNull(delivery, "delivery");
        Objects.requireNonNull(transform, "transform");
    }

    /** A destination without a transform. */
    public DestinationSpec(String id, String type, String mode, List<String> onlyTokens, Map<String, Object> rawConfig,
                           Optional<String> tableNameTemplate, DeliverySettings delivery) {
        this(id, type, mode, onlyTokens, rawConfig, tableNameTemplate, delivery, Optional.empty());
    }

    @Override
    public String toString() {
        return "DestinationSpec{id=" + id + ", type=" + type + ", mode=" + mode + ", only_tokens=" + onlyTokens
                + ", table_name_template=" + tableNameTemplate.orElse("-") + ", delivery=" + delivery + (transform.isPresent() ? ", transform=" + transform.get().length() + " chars" : "")
                + "}";
    }
}
