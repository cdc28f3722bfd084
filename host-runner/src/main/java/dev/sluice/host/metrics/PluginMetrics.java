package dev.sluice.host.metrics;

import dev.sluice.api.DestinationMetrics;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one destination reports through {@link DestinationMetrics}: calls by status class, time
 * waited for rate limits, values dropped by field and reason. Counts only; {@link HostMetrics}
 * exposes them and the stats endpoint shows them. Telling the user in the log is the plugin's part
 * (it knows the words: the HubSpot plugin names the closest property); this only counts. Thread-safe.
 */
public final class PluginMetrics implements DestinationMetrics {

    /** Bounds the label sets a misbehaving plugin could create (each field x reason is one series). */
    static final int MAX_DROPPED_SERIES = 1000;

    /** The status classes, in the order they are shown. */
    static final String[] STATUS_CLASSES = {"2xx", "3xx", "4xx", "429", "5xx", "other", "no_answer"};

    private final String destinationId;
    private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
    private final LongAdder waitedNanos = new LongAdder();
    private final Map<DroppedKey, LongAdder> dropped = new ConcurrentHashMap<>();

    /** A dropped value's field and reason. */
    public record DroppedKey(String field, String reason) {
    }

    /** Where drops beyond {@link #MAX_DROPPED_SERIES} distinct fields and reasons are counted. */
    static final DroppedKey OTHER = new DroppedKey("(other)", "(other)");

    public PluginMetrics(String destinationId) {
        this.destinationId = Objects.requireNonNull(destinationId, "destinationId");
    }

    public String destinationId() {
        return destinationId;
    }

    @Override
    public void callAnswered(int status) {
        calls.computeIfAbsent(statusClass(status), k -> new LongAdder()).increment();
    }

    @Override
    public void callFailed() {
        calls.computeIfAbsent("no_answer", k -> new LongAdder()).increment();
    }

    @Override
    public void rateLimitWait(Duration waited) {
        if (waited != null && !waited.isNegative()) {
            waitedNanos.add(waited.toNanos());
        }
    }

    @Override
    public void valueDropped(String field, String reason) {
        DroppedKey key = new DroppedKey(String.valueOf(field), String.valueOf(reason));
        if (!dropped.containsKey(key) && dropped.size() >= MAX_DROPPED_SERIES) {
            key = OTHER;
        }
        dropped.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    /** {@code 2xx}, {@code 3xx}, {@code 4xx} (but {@code 429}), {@code 5xx}, else {@code other}. */
    static String statusClass(int status) {
        if (status == 429) {
            return "429";
        }
        return switch (status / 100) {
            case 2 -> "2xx";
            case 3 -> "3xx";
            case 4 -> "4xx";
            case 5 -> "5xx";
            default -> "other";
        };
    }

    /** Calls so far by status class (only classes seen), in a stable order. */
    public Map<String, Long> calls() {
        Map<String, Long> out = new TreeMap<>();
        calls.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** Time waited for rate limits so far. */
    public Duration rateLimitWaited() {
        return Duration.ofNanos(waitedNanos.sum());
    }

    /** Dropped values so far by field and reason. */
    public Map<DroppedKey, Long> dropped() {
        Map<DroppedKey, Long> out = new TreeMap<>((a, b) -> a.field().equals(b.field())
                ? a.reason().compareTo(b.reason()) : a.field().compareTo(b.field()));
        dropped.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    @Override
    public String toString() {
        return "PluginMetrics{" + destinationId + "}";
    }
}
