package dev.sluice.host.metrics;

import dev.sluice.host.delivery.DeliveryStats;
import dev.sluice.host.delivery.WorkerState;
import dev.sluice.host.queue.QueueListing;
import dev.sluice.host.routing.RouteCounts;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The host's Prometheus metrics, in its own registry (two hosts in one JVM do not share counts):
 * per destination the queue (events, bytes, age of the oldest event, dead letters stored), the
 * delivery counters by reason class and the worker's state, what the plugin reports (calls by
 * status class, rate-limit waits, dropped values); the HTTP requests by route and status; and the
 * JVM's basics. Delivery counters are read from the workers at scrape time, the stored queue with
 * two grouped reads of the database, once per scrape (so a scrape costs a few milliseconds on a large backlog).
 * Metric names are documented in {@code docs/operations.md}.
 */
public final class HostMetrics {

    private static final Logger LOG = LoggerFactory.getLogger(HostMetrics.class);

    /** Reads the stored queue, per destination; the host passes its database, tests a map. */
    @FunctionalInterface
    public interface StoredQueue {
        Map<String, QueueListing.Stored> read() throws SQLException;
    }

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final StoredQueue stored;
    /** The stored queue as read once for the scrape in progress on this thread (two gauges use it). */
    private final ThreadLocal<Optional<Map<String, QueueListing.Stored>>> scraping = new ThreadLocal<>();
    private final Counter requests;

    /**
     * @param destinations the configured destination ids, in config order
     * @param deliveries   every destination's delivery counters and queue depth, read at scrape time
     * @param routing      every destination's routing counters, read at scrape time
     * @param plugins      what each destination's plugin reports
     * @param stored       the stored queue's ages and dead letters
     * @param storeProblem why the queue cannot store new events now, if it cannot
     * @param clock        for the age of the oldest event
     */
    public HostMetrics(List<String> destinations, Supplier<List<DeliveryStats>> deliveries,
                       Supplier<Map<String, RouteCounts>> routing,
                       Map<String, PluginMetrics> plugins, StoredQueue stored,
                       Supplier<Optional<String>> storeProblem, Clock clock) {
        Objects.requireNonNull(destinations, "destinations");
        Objects.requireNonNull(deliveries, "deliveries");
        Objects.requireNonNull(routing, "routing");
        Objects.requireNonNull(plugins, "plugins");
        this.stored = Objects.requireNonNull(stored, "stored");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(storeProblem, "storeProblem");
        JvmMetrics.builder().register(registry);

        GaugeWithCallback.builder().name("sluice_queue_store_ok")
                .help("1 while the queue can store new events, 0 while it cannot (disk full, files removed; "
                        + "/health says why)")
                .callback(cb -> cb.call(storeProblem.get().isPresent() ? 0 : 1)).register(registry);

        requests = Counter.builder().name("sluice_http_requests_total")
                .help("HTTP requests answered, by route (client, s2s, health, stats, metrics, script, other) and status")
                .labelNames("route", "status").register(registry);

        GaugeWithCallback.builder().name("sluice_queue_events").help("Events queued now (waiting, in flight or "
                        + "waiting for a retry)").labelNames("destination")
                .callback(cb -> deliveries.get().forEach(s -> cb.call(s.queuedEvents(), s.destinationId())))
                .register(registry);
        GaugeWithCallback.builder().name("sluice_queue_bytes").help("Bytes of the events queued now")
                .labelNames("destination").unit(Unit.BYTES)
                .callback(cb -> deliveries.get().forEach(s -> cb.call(s.queuedBytes(), s.destinationId())))
                .register(registry);
        GaugeWithCallback.builder().name("sluice_queue_oldest_event_age_seconds")
                .help("How long the oldest queued event has been queued (0 when none is)")
                .labelNames("destination")
                .callback(cb -> {
                    Map<String, QueueListing.Stored> now = storedNow();
                    if (now == null) {
                        return;
                    }
                    Instant at = clock.instant();
                    for (String d : destinations) {
                        Optional<Instant> oldest = Optional.ofNullable(now.get(d))
                                .flatMap(QueueListing.Stored::oldestQueuedAt);
                        cb.call(oldest.map(o -> Math.max(0, Duration.between(o, at).toMillis()) / 1000.0).orElse(0.0),
                                d);
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("sluice_dead_letters")
                .help("Dead letters stored now (replay or delete them with sluice dead-letters)")
                .labelNames("destination")
                .callback(cb -> {
                    Map<String, QueueListing.Stored> now = storedNow();
                    if (now == null) {
                        return;
                    }
                    for (String d : destinations) {
                        cb.call(Optional.ofNullable(now.get(d)).map(QueueListing.Stored::deadLetters).orElse(0L), d);
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("sluice_destination_state")
                .help("1 for the delivery worker's current state (starting, running, failed, stopped), 0 for the others")
                .labelNames("destination", "state")
                .callback(cb -> deliveries.get().forEach(s -> {
                    for (WorkerState state : WorkerState.values()) {
                        cb.call(s.state() == state ? 1 : 0, s.destinationId(), state.name().toLowerCase(Locale.ROOT));
                    }
                })).register(registry);

        CounterWithCallback.builder().name("sluice_events_routed_total")
                .help("Events routed to the destination, by result: queued (stored for it), "
                        + "template_skipped (its table_name_template said no), template_failed, transform_skipped "
                        + "(its transform returned nothing), transform_dead_lettered (its transform failed); "
                        + "a destination's JavaScript decides when its events are delivered")
                .labelNames("destination", "result")
                .callback(cb -> routing.get().forEach((d, r) -> {
                    cb.call(r.routed(), d, "queued");
                    cb.call(r.skipped(), d, "template_skipped");
                    cb.call(r.failed(), d, "template_failed");
                    cb.call(r.transformSkipped(), d, "transform_skipped");
                    cb.call(r.transformDeadLettered(), d, "transform_dead_lettered");
                })).register(registry);
        CounterWithCallback.builder().name("sluice_events_delivered_total")
                .help("Events the destination acknowledged").labelNames("destination")
                .callback(cb -> deliveries.get().forEach(s -> cb.call(s.delivered(), s.destinationId())))
                .register(registry);
        CounterWithCallback.builder().name("sluice_events_skipped_total")
                .help("Events the destination skipped (nothing to send for them)").labelNames("destination")
                .callback(cb -> deliveries.get().forEach(s -> cb.call(s.skipped(), s.destinationId())))
                .register(registry);
        CounterWithCallback.builder().name("sluice_events_retried_total")
                .help("Event attempts that ended in a retry, by reason class: transient (an error that may pass), "
                        + "asked_to_wait (the destination said when, e.g. a rate limit), plugin_error (deliver threw "
                        + "or answered wrongly)")
                .labelNames("destination", "reason_class")
                .callback(cb -> deliveries.get().forEach(s -> {
                    cb.call(s.retriedTransient(), s.destinationId(), "transient");
                    cb.call(s.classes().retriedAskedToWait(), s.destinationId(), "asked_to_wait");
                    cb.call(s.classes().retriedPluginError(), s.destinationId(), "plugin_error");
                })).register(registry);
        CounterWithCallback.builder().name("sluice_events_rejected_total")
                .help("Events the destination rejected for good (each becomes a dead letter)").labelNames("destination")
                .callback(cb -> deliveries.get().forEach(s -> cb.call(s.classes().rejected(), s.destinationId())))
                .register(registry);
        CounterWithCallback.builder().name("sluice_events_dead_lettered_total")
                .help("Events moved to the dead-letter store, by reason class: rejected (by the destination), "
                        + "gave_up (still failing after retry_for), unreadable (stored bytes that are no event), "
                        + "transform_failed (its data_layout.transform failed when it was delivered)")
                .labelNames("destination", "reason_class")
                .callback(cb -> deliveries.get().forEach(s -> {
                    cb.call(s.classes().rejected(), s.destinationId(), "rejected");
                    cb.call(s.classes().gaveUp(), s.destinationId(), "gave_up");
                    cb.call(s.classes().unreadable(), s.destinationId(), "unreadable");
                    cb.call(s.classes().transformFailed(), s.destinationId(), "transform_failed");
                })).register(registry);

        CounterWithCallback.builder().name("sluice_destination_calls_total")
                .help("Calls the destination made to the outside system, by status class (2xx, 3xx, 4xx, 429, 5xx, "
                        + "other, no_answer)")
                .labelNames("destination", "status_class")
                .callback(cb -> plugins.values().forEach(p -> p.calls()
                        .forEach((statusClass, n) -> cb.call(n, p.destinationId(), statusClass))))
                .register(registry);
        CounterWithCallback.builder().name("sluice_destination_rate_limit_wait_seconds_total")
                .help("Time the destination waited for the outside system's rate limit before its calls")
                .labelNames("destination")
                .callback(cb -> plugins.values().forEach(p -> cb.call(p.rateLimitWaited().toNanos() / 1e9,
                        p.destinationId())))
                .register(registry);
        CounterWithCallback.builder().name("sluice_destination_dropped_values_total")
                .help("Event values the destination could not send, by field and reason (logged once per field and "
                        + "reason)")
                .labelNames("destination", "field", "reason")
                .callback(cb -> plugins.values().forEach(p -> p.dropped()
                        .forEach((key, n) -> cb.call(n, p.destinationId(), key.field(), key.reason()))))
                .register(registry);
    }

    /** The stored queue, or null (and a warning) when it cannot be read: then those gauges are left out. */
    private static Map<String, QueueListing.Stored> read(StoredQueue stored) {
        try {
            return stored.read();
        } catch (SQLException | RuntimeException e) {
            LOG.warn("metrics: cannot read the queue database for the queue age and dead letters: {}", e.getMessage());
            return null;
        }
    }

    /** Counts one answered HTTP request. */
    public void request(String route, int status) {
        requests.labelValues(route, Integer.toString(status)).inc();
    }

    /**
     * A snapshot of every metric, reading the stored queue once for it (not once per gauge that
     * shows it).
     */
    public MetricSnapshots scrape() {
        scraping.set(Optional.ofNullable(read(stored)));
        try {
            return registry.scrape();
        } finally {
            scraping.remove();
        }
    }

    /** The stored queue: this scrape's reading, or a fresh one outside {@link #scrape()}; null when unreadable. */
    private Map<String, QueueListing.Stored> storedNow() {
        Optional<Map<String, QueueListing.Stored>> now = scraping.get();
        return now != null ? now.orElse(null) : read(stored);
    }
}
