package dev.sluice.emulator;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The legacy HTTP events API {@code GET /v1/event?_a=&_n=&email=&_m=&...}: unauthenticated, always answers
 * 200 with a 1x1 GIF, and only records the hit (it writes no contact).
 */
final class PixelHandler {
    private static final Set<String> RESERVED = Set.of("_a", "_n", "email", "_m");
    private final EventLog log;
    private final Clock clock;

    PixelHandler(EventLog log, Clock clock) {
        this.log = Objects.requireNonNull(log);
        this.clock = Objects.requireNonNull(clock);
    }

    ApiResponse handle(ApiRequest request) {
        Map<String, String> properties = new LinkedHashMap<>();
        request.query().forEach((name, values) -> {
            if (!RESERVED.contains(name) && !values.isEmpty()) {
                properties.put(name, values.get(values.size() - 1));
            }
        });
        log.recordPixel(new PixelHit(request.queryParam("_a"), request.queryParam("_n"), request.queryParam("email"),
                request.queryParam("_m"), properties, clock.instant()));
        return ApiResponse.gif();
    }
}
