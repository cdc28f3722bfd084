package dev.sluice.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Faults injected at run time into the API and pixel endpoints (never the admin API). A fault applies to the
 * next {@code count} matching requests, or to every matching request until a deadline, or until cleared.
 * Latency faults add their delay and let the request go on; the first matching terminal fault (respond, drop)
 * decides the answer. "Ignore body" faults make a batch upsert answer 200 COMPLETE with empty results.
 * Thread-safe.
 */
public final class FaultInjector {
    /** What a fault does. */
    public enum Kind {
        /** Answer with a fixed status, body and headers. */
        RESPOND,
        /** Close the connection without answering. */
        DROP,
        /** Wait before handling the request. */
        LATENCY,
        /** Answer a batch upsert with 200 COMPLETE and empty results, as HubSpot does for a body it ignored. */
        IGNORE_BODY
    }

    /**
     * One active fault as configured.
     *
     * @param id            handle to identify it in listings
     * @param kind          what it does
     * @param pathPattern   regular expression searched in the request path; null for every path
     * @param status        status for {@link Kind#RESPOND}
     * @param body          body for {@link Kind#RESPOND} (null: a HubSpot-style error body)
     * @param headers       extra headers for {@link Kind#RESPOND}
     * @param latencyMillis delay for {@link Kind#LATENCY}
     * @param remaining     requests it still applies to, or null for unlimited
     * @param until         deadline, or null for none
     */
    public record Fault(String id, Kind kind, String pathPattern, int status, String body, Map<String, String> headers,
                        long latencyMillis, Long remaining, Instant until) {
        ObjectNode toJson() {
            ObjectNode json = JsonCodec.object();
            json.put("id", id);
            json.put("type", kind.name());
            ReceivedEvent.putIfPresent(json, "path", pathPattern);
            if (kind == Kind.RESPOND) {
                json.put("status", status);
                ReceivedEvent.putIfPresent(json, "body", body);
            }
            if (kind == Kind.LATENCY) {
                json.put("millis", latencyMillis);
            }
            if (remaining != null) {
                json.put("remaining", remaining);
            }
            if (until != null) {
                json.put("until", until.toString());
            }
            return json;
        }
    }

    /** What the active faults decide for one request: a delay, and possibly the answer itself. */
    record Decision(long latencyMillis, ApiResponse response) {
    }

    private static final class Rule {
        final String id;
        final Kind kind;
        final Pattern pattern;
        final String patternText;
        final int status;
        final String body;
        final Map<String, String> headers;
        final long latencyMillis;
        Long remaining;
        final Instant until;

        Rule(String id, Kind kind, String pathPattern, int status, String body, Map<String, String> headers,
             long latencyMillis, Long remaining, Instant until) {
            this.id = id;
            this.kind = kind;
            this.patternText = pathPattern;
            this.pattern = pathPattern == null ? null : Pattern.compile(pathPattern);
            this.status = status;
            this.body = body;
            this.headers = Map.copyOf(headers);
            this.latencyMillis = latencyMillis;
            this.remaining = remaining;
            this.until = until;
        }

        boolean matches(String path) {
            return pattern == null || pattern.matcher(path).find();
        }

        boolean expired(Instant now) {
            return (remaining != null && remaining <= 0) || (until != null && !now.isBefore(until));
        }

        Fault snapshot() {
            return new Fault(id, kind, patternText, status, body, headers, latencyMillis, remaining, until);
        }
    }

    private final Clock clock;
    private final List<Rule> rules = new ArrayList<>();
    private final AtomicLong ids = new AtomicLong();

    FaultInjector(Clock clock) {
        this.clock = Objects.requireNonNull(clock);
    }

    /** The next {@code count} requests answer {@code status} with a HubSpot-style error body. */
    public String failNext(int count, int status) {
        return failNext(count, status, null, null);
    }

    /** The next {@code count} requests whose path matches {@code pathRegex} (null: all) answer status and body. */
    public String failNext(int count, int status, String body, String pathRegex) {
        requirePositive(count, "count");
        return add(Kind.RESPOND, pathRegex, status, body, Map.of(), 0, (long) count, null);
    }

    /** Every matching request answers {@code status} for the given time (measured on the emulator's clock). */
    public String failFor(Duration duration, int status, String body, String pathRegex) {
        return add(Kind.RESPOND, pathRegex, status, body, Map.of(), 0, null, clock.instant().plus(duration));
    }

    /** The general form behind the others, also used by the admin API. */
    public String add(Kind kind, String pathRegex, int status, String body, Map<String, String> headers,
                      long latencyMillis, Long count, Instant until) {
        Objects.requireNonNull(kind, "kind");
        if (kind == Kind.RESPOND && (status < 100 || status > 599)) {
            throw new IllegalArgumentException("status must be an HTTP status (100-599), got " + status);
        }
        if (kind == Kind.LATENCY && latencyMillis <= 0) {
            throw new IllegalArgumentException("latency must be positive, got " + latencyMillis + " ms");
        }
        String id = "fault-" + ids.incrementAndGet();
        Rule rule = new Rule(id, kind, pathRegex, status, body, headers == null ? Map.of() : headers, latencyMillis,
                count, until);
        synchronized (rules) {
            rules.add(rule);
        }
        return id;
    }

    /** Close the connection of the next {@code count} matching requests without answering. */
    public String dropNext(int count, String pathRegex) {
        requirePositive(count, "count");
        return add(Kind.DROP, pathRegex, 0, null, Map.of(), 0, (long) count, null);
    }

    /** Close the connection of every matching request for the given time. */
    public String dropFor(Duration duration, String pathRegex) {
        return add(Kind.DROP, pathRegex, 0, null, Map.of(), 0, null, clock.instant().plus(duration));
    }

    /** Delay matching requests; {@code count} null means until cleared. */
    public String addLatency(Duration latency, Long count, String pathRegex) {
        return add(Kind.LATENCY, pathRegex, 0, null, Map.of(), latency.toMillis(), count, null);
    }

    /** The next {@code count} batch upserts answer 200 COMPLETE with empty results and write nothing. */
    public String ignoreBodyNext(int count) {
        requirePositive(count, "count");
        return add(Kind.IGNORE_BODY, null, 0, null, Map.of(), 0, (long) count, null);
    }

    public void clear() {
        synchronized (rules) {
            rules.clear();
        }
    }

    public List<Fault> active() {
        Instant now = clock.instant();
        synchronized (rules) {
            rules.removeIf(r -> r.expired(now));
            return rules.stream().map(Rule::snapshot).toList();
        }
    }

    ArrayNode toJson() {
        ArrayNode array = JsonCodec.array();
        active().forEach(f -> array.add(f.toJson()));
        return array;
    }

    Decision evaluate(String path) {
        Instant now = clock.instant();
        long latency = 0;
        synchronized (rules) {
            for (Iterator<Rule> it = rules.iterator(); it.hasNext(); ) {
                Rule rule = it.next();
                if (rule.expired(now)) {
                    it.remove();
                    continue;
                }
                if (rule.kind == Kind.IGNORE_BODY || !rule.matches(path)) {
                    continue;
                }
                consume(rule);
                if (rule.kind == Kind.LATENCY) {
                    latency += rule.latencyMillis;
                } else if (rule.kind == Kind.DROP) {
                    return new Decision(latency, ApiResponse.drop());
                } else {
                    return new Decision(latency, response(rule));
                }
            }
        }
        return new Decision(latency, null);
    }

    boolean takeIgnoreBody(String path) {
        Instant now = clock.instant();
        synchronized (rules) {
            for (Rule rule : rules) {
                if (rule.kind == Kind.IGNORE_BODY && !rule.expired(now) && rule.matches(path)) {
                    consume(rule);
                    return true;
                }
            }
        }
        return false;
    }

    private static void consume(Rule rule) {
        if (rule.remaining != null) {
            rule.remaining--;
        }
    }

    private static ApiResponse response(Rule rule) {
        if (rule.body == null) {
            ApiResponse standard = rule.status == 429
                    ? ErrorBodies.rateLimited(RateLimitPolicy.TEN_SECONDLY_ROLLING)
                    : ApiResponse.json(rule.status, ErrorBodies.error(categoryOf(rule.status),
                    "Injected fault: HTTP " + rule.status));
            return standard.withHeaders(rule.headers);
        }
        String contentType = looksLikeJson(rule.body) ? ApiResponse.JSON : "text/plain;charset=utf-8";
        return new ApiResponse(rule.status, contentType, rule.body.getBytes(StandardCharsets.UTF_8), rule.headers,
                false);
    }

    private static boolean looksLikeJson(String body) {
        try {
            JsonNode node = JsonCodec.MAPPER.readTree(body);
            return node != null && (node.isObject() || node.isArray());
        } catch (Exception e) {
            return false;
        }
    }

    private static String categoryOf(int status) {
        return switch (status) {
            case 400 -> "VALIDATION_ERROR";
            case 401 -> "INVALID_AUTHENTICATION";
            case 403 -> "MISSING_SCOPES";
            case 404 -> "OBJECT_NOT_FOUND";
            case 409 -> "CONFLICT";
            case 423 -> "LOCKED";
            default -> status >= 500 ? "INTERNAL_ERROR" : "ERROR";
        };
    }

    private static void requirePositive(int count, String name) {
        if (count < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, got " + count);
        }
    }
}
