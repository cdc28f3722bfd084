package dev.sluice.host.routing;

import java.util.List;
import java.util.Objects;

/**
 * Where one event goes.
 *
 * @param destinations ids of the destinations that keep the event, in config order
 * @param skipped      ids of destinations whose template skipped it
 * @param failed       ids of destinations whose template failed for it
 */
public record Routing(List<String> destinations, List<String> skipped, List<String> failed) {

    public Routing {
        destinations = List.copyOf(destinations);
        skipped = List.copyOf(skipped);
        failed = List.copyOf(failed);
    }

    public static Routing none() {
        return new Routing(List.of(), List.of(), List.of());
    }

    static Routing of(List<String> destinations, List<String> skipped, List<String> failed) {
        Objects.requireNonNull(destinations, "destinations");
        return new Routing(destinations, skipped, failed);
    }
}
