package dev.sluice.host.health;

import dev.sluice.host.metrics.PluginMetrics;
import dev.sluice.host.delivery.DeliveryStats;
import dev.sluice.host.delivery.WorkerState;
import dev.sluice.host.routing.RouteCounts;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What the health and stats endpoints report about a running host, read live from its delivery
 * workers and its router. Thread-safe; every call reads the current counters (all in memory, no
 * database access), so it is cheap enough for an IO thread.
 *
 * <p>The host is healthy while it is not stopping and every delivery worker is
 * {@link WorkerState#STARTING starting} or {@link WorkerState#RUNNING running}.
 */
public final class HostStatus {

    /** The health of the host: healthy, or why not. */
    public record Health(boolean healthy, List<String> reasons) {
        public Health {
            reasons = List.copyOf(reasons);
        }
    }

    private final Instant startedAt;
    private final Supplier<List<DeliveryStats>> deliveries;
    private final Supplier<Map<String, RouteCounts>> routing;
    private final Map<String, String> startFailures;
    private final Map<String, PluginMetrics> plugins;
    private final Supplier<Optional<String>> storeProblem;
    private volatile boolean stopping;

    /**
     * @param startedAt     when the host started (the counters count from then)
     * @param deliveries    every destination's delivery counters and queue depth
     * @param routing       every destination's routing counters
     * @param startFailures the message of each destination whose {@code start()} failed for good,
     *                      filled in as that happens (a live, thread-safe map); plugin messages
     *                      never hold secrets (the SPI's contract)
     */
    public HostStatus(Instant startedAt, Supplier<List<DeliveryStats>> deliveries,
                      Supplier<Map<String, RouteCounts>> routing, Map<String, String> startFailures) {
        this(startedAt, deliveries, routing, startFailures, Map.of());
    }

    /**
     * {@link #HostStatus(Instant, Supplier, Supplier, Map)} that also shows what each destination's
     * plugin reported (calls, rate-limit waits, dropped values).
     */
    public HostStatus(Instant startedAt, Supplier<List<DeliveryStats>> deliveries,
                      Supplier<Map<String, RouteCounts>> routing, Map<String, String> startFailures,
                      Map<String, PluginMetrics> plugins) {
        this(startedAt, deliveries, routing, startFailures, plugins, Optional::empty);
    }

    /**
     * The full status: also whether the queue can store new events ({@code storeProblem}: why not,
     * when it cannot), which makes the host unhealthy while it lasts.
     */
    public HostStatus(Instant startedAt, Supplier<List<DeliveryStats>> deliveries,
                      Supplier<Map<String, RouteCounts>> routing, Map<String, String> startFailures,
                      Map<String, PluginMetrics> plugins, Supplier<Optional<String>> storeProblem) {
        this.plugins = Map.copyOf(plugins);
        this.storeProblem = Objects.requireNonNull(storeProblem, "storeProblem");
        this.startedAt = Objects.requireNonNull(startedAt, "startedAt");
        this.deliveries = Objects.requireNonNull(deliveries, "deliveries");
        this.routing = Objects.requireNonNull(routing, "routing");
        this.startFailures = Objects.requireNonNull(startFailures, "startFailures");
    }

    /** From now on the host reports itself unhealthy: it is stopping. */
    public void markStopping() {
        stopping = true;
    }

    /**
     * Healthy, or the reasons why not. The reasons name no destination (the health endpoint needs
     * no token); {@link #stats()} says which.
     */
    public Health health() {
        List<String> reasons = new ArrayList<>();
        if (stopping) {
            reasons.add("the host is stopping");
        }
        // No token on /health: say what, not where (paths and SQLite's text are in the stats and the log).
        storeProblem.get().ifPresent(p -> reasons.add("the queue cannot store events; see /api/v1/stats or the host log"));
        List<DeliveryStats> all = deliveries.get();
        long notRunning = all.stream().filter(s -> !isUp(s.state())).count();
        if (notRunning > 0 && !stopping) {
            reasons.add("delivery has stopped for " + notRunning + " of " + all.size()
                    + (all.size() == 1 ? " destination" : " destinations")
                    + "; see /api/v1/stats or the host log");
        }
        return new Health(reasons.isEmpty(), reasons);
    }

    private static boolean isUp(WorkerState state) {
        return state == WorkerState.STARTING || state == WorkerState.RUNNING;
    }

    /**
     * Per destination, in config order: worker state (and its start failure), queue depth, delivery
     * and routing counters since start; plus the health. A JSON-ready tree of maps, strings and
     * numbers.
     */
    public Map<String, Object> stats() {
        Health health = health();
        Map<String, DeliveryStats> byId = new LinkedHashMap<>();
        deliveries.get().forEach(s -> byId.put(s.destinationId(), s));
        Map<String, RouteCounts> routes = routing.get();
        Set<String> ids = new LinkedHashSet<>(routes.keySet());
        ids.addAll(byId.keySet());

        Map<String, Object> destinations = new LinkedHashMap<>();
        for (String id : ids) {
            Map<String, Object> d = new LinkedHashMap<>();
            DeliveryStats s = byId.get(id);
            d.put("state", s == null ? "none" : s.state().name().toLowerCase(Locale.ROOT));
            String failure = startFailures.get(id);
            if (failure != null) {
                d.put("start_failure", failure);
            }
            d.put("queue", ordered("events", s == null ? 0 : s.queuedEvents(), "bytes", s == null ? 0 : s.queuedBytes()));
            Map<String, Object> delivery = new LinkedHashMap<>();
            delivery.put("delivered", s == null ? 0 : s.delivered());
            delivery.put("skipped", s == null ? 0 : s.skipped());
            delivery.put("retried", s == null ? 0 : s.retried());
            delivery.put("dead_lettered", s == null ? 0 : s.deadLettered());
            if (s != null) {
                Map<String, Object> retried = ordered("transient", s.retriedTransient(), "asked_to_wait",
                        s.classes().retriedAskedToWait());
                retried.put("plugin_error", s.classes().retriedPluginError());
                delivery.put("retried_by_reason", retried);
                Map<String, Object> dead = ordered("rejected", s.classes().rejected(), "gave_up", s.classes().gaveUp());
                dead.put("unreadable", s.classes().unreadable());
                dead.put("transform_failed", s.classes().transformFailed());
                delivery.put("dead_lettered_by_reason", dead);
            }
            d.put("delivery", delivery);
            PluginMetrics reported = plugins.get(id);
            if (reported != null) {
                Map<String, Object> calls = new LinkedHashMap<>(reported.calls());
                d.put("calls", calls);
                d.put("rate_limit_wait_seconds", reported.rateLimitWaited().toMillis() / 1000.0);
                Map<String, Map<String, Long>> dropped = new LinkedHashMap<>();
                reported.dropped().forEach((key, n) ->
                        dropped.computeIfAbsent(key.field(), f -> new LinkedHashMap<>()).put(key.reason(), n));
                d.put("dropped_values", dropped);
            }
            RouteCounts r = routes.getOrDefault(id, new RouteCounts(0, 0, 0));
            Map<String, Object> routed = new LinkedHashMap<>();
            routed.put("routed", r.routed());
            routed.put("skipped", r.skipped());
            routed.put("failed", r.failed());
            routed.put("transform_skipped", r.transformSkipped());
            routed.put("transform_dead_lettered", r.transformDeadLettered());
            d.put("routing", routed);
            destinations.put(id, d);
        }
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("status", health.healthy() ? "ok" : "unavailable");
        if (!health.healthy()) {
            stats.put("reason", String.join("; ", health.reasons()));
        }
        stats.put("started_at", startedAt.toString());
        stats.put("queue_store", storeProblem.get().orElse("ok"));
        stats.put("destinations", destinations);
        return stats;
    }

    private static Map<String, Object> ordered(String k1, Object v1, String k2, Object v2) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(k1, v1);
        m.put(k2, v2);
        return m;
    }
}
