package dev.sluice.host.health;

import dev.sluice.host.metrics.HostMetrics;
import io.undertow.server.HttpHandler;
import java.util.LinkedHashMap;
import java.util.Map;

/** The paths of the health, stats and metrics endpoints (each also with a trailing {@code /}) and their handlers. */
public final class HealthRoutes {

    public static final String HEALTH = "/health";
    public static final String STATS = "/api/v1/stats";
    public static final String METRICS = "/metrics";

    private HealthRoutes() {
    }

    /** Exact request paths to handlers, for the Events API server. */
    public static Map<String, HttpHandler> of(HostStatus status, StatsAccess access) {
        HttpHandler health = new HealthHandler(status);
        HttpHandler stats = new StatsHandler(status, access);
        Map<String, HttpHandler> routes = new LinkedHashMap<>();
        routes.put(HEALTH, health);
        routes.put(HEALTH + "/", health);
        routes.put(STATS, stats);
        routes.put(STATS + "/", stats);
        return Map.copyOf(routes);
    }

    /** {@link #of(HostStatus, StatsAccess)} plus {@code /metrics}, guarded like the stats. */
    public static Map<String, HttpHandler> of(HostStatus status, StatsAccess access, HostMetrics metrics) {
        Map<String, HttpHandler> routes = new LinkedHashMap<>(of(status, access));
        HttpHandler handler = new MetricsHandler(metrics, access);
        routes.put(METRICS, handler);
        routes.put(METRICS + "/", handler);
        return Map.copyOf(routes);
    }
}
