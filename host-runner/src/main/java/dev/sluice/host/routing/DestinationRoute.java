package dev.sluice.host.routing;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the router needs to know about one destination, as plain data.
 *
 * @param id         the destination's id
 * @param onlyTokens api key ids whose events go there; empty means every key
 * @param template   the effective {@code table_name_template}: the destination's own, else the
 *                   plugin's default; empty means every event is kept
 * @param transform  the JavaScript {@code data_layout.transform} to run before the template, when
 *                   set and enabled
 */
public record DestinationRoute(String id, List<String> onlyTokens, Optional<String> template, Optional<String> transform) {

    public DestinationRoute {
        Objects.requireNonNull(id, "id");
        onlyTokens = List.copyOf(onlyTokens);
        Objects.requireNonNull(template, "template");
        Objects.requireNonNull(transform, "transform");
    }

    /** A destination without a transform. */
    public DestinationRoute(String id, List<String> onlyTokens, Optional<String> template) {
        this(id, onlyTokens, template, Optional.empty());
    }

    /** Whether events sent with the api key of this id go to this destination. */
    public boolean accepts(String apiKeyId) {
        return onlyTokens.isEmpty() || onlyTokens.contains(apiKeyId);
    }
}
