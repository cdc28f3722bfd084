package dev.sluice.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts of requests by endpoint and status, rate-limit refusals, and per token the most requests seen in any
 * rolling 10 s window (all requests carrying the token, refused ones included), overall and after its first 429.
 * Thread-safe; tokens appear only as labels.
 */
public final class TrafficStats {
    private final Map<String, Map<Integer, Long>> byEndpoint = new TreeMap<>();
    private final Map<Integer, Long> byStatus = new TreeMap<>();
    private final Map<RateLimitPolicy, Long> refusals = new EnumMap<>(RateLimitPolicy.class);
    private final Map<String, TokenTraffic> byToken = new TreeMap<>();
    private long total;
    private long dropped;

    private static final class TokenTraffic {
        final ArrayDeque<Long> window = new ArrayDeque<>();
        final ArrayDeque<Long> windowAfter429 = new ArrayDeque<>();
        long requests;
        long maxInWindow;
        long maxInWindowAfterFirst429;
        Instant first429;
        long rateLimited;
    }

    synchronized void record(Endpoint endpoint, int status, String tokenLabel, Instant at, RateLimitPolicy refusedBy) {
        total++;
        if (status == 0) {
            dropped++;
        }
        byEndpoint.computeIfAbsent(endpoint.statsName(), k -> new TreeMap<>()).merge(status, 1L, Long::sum);
        byStatus.merge(status, 1L, Long::sum);
        if (refusedBy != null) {
            refusals.merge(refusedBy, 1L, Long::sum);
        }
        if (tokenLabel == null) {
            return;
        }
        TokenTraffic traffic = byToken.computeIfAbsent(tokenLabel, k -> new TokenTraffic());
        long now = at.toEpochMilli();
        traffic.requests++;
        traffic.maxInWindow = Math.max(traffic.maxInWindow, slide(traffic.window, now));
        if (traffic.first429 != null) {
            traffic.maxInWindowAfterFirst429 = Math.max(traffic.maxInWindowAfterFirst429,
                    slide(traffic.windowAfter429, now));
        }
        if (status == 429) {
            traffic.rateLimited++;
            if (traffic.first429 == null) {
                traffic.first429 = at;
            }
        }
    }

    private static long slide(ArrayDeque<Long> window, long now) {
        window.addLast(now);
        while (window.peekFirst() <= now - RateLimiter.WINDOW_MILLIS) {
            window.pollFirst();
        }
        return window.size();
    }

    /** Requests to the endpoint (stats name such as {@code contacts.batchUpsert}) answered with the status. */
    public synchronized long count(String endpoint, int status) {
        return byEndpoint.getOrDefault(endpoint, Map.of()).getOrDefault(status, 0L);
    }

    /** Requests to the endpoint, any status. */
    public synchronized long count(String endpoint) {
        return byEndpoint.getOrDefault(endpoint, Map.of()).values().stream().mapToLong(Long::longValue).sum();
    }

    public synchronized long total() {
        return total;
    }

    /** 429 answers given by the rate limiter (injected 429 faults are not counted here). */
    public synchronized long rateLimited() {
        return refusals.values().stream().mapToLong(Long::longValue).sum();
    }

    public synchronized long rateLimited(String policyName) {
        return refusals.getOrDefault(RateLimitPolicy.valueOf(policyName), 0L);
    }

    /** The most requests carrying this token seen in any rolling 10 s window. */
    public synchronized long maxRequestsInTenSeconds(String token) {
        TokenTraffic traffic = byToken.get(TokenLabel.of(token));
        return traffic == null ? 0 : traffic.maxInWindow;
    }

    /** As {@link #maxRequestsInTenSeconds}, counting only requests after the token's first 429. */
    public synchronized long maxRequestsInTenSecondsAfterFirst429(String token) {
        TokenTraffic traffic = byToken.get(TokenLabel.of(token));
        return traffic == null ? 0 : traffic.maxInWindowAfterFirst429;
    }

    synchronized void clear() {
        byEndpoint.clear();
        byStatus.clear();
        refusals.clear();
        byToken.clear();
        total = 0;
        dropped = 0;
    }

    synchronized ObjectNode toJson(long duplicateEventUuids) {
        ObjectNode json = JsonCodec.object();
        json.put("total", total);
        ObjectNode endpoints = json.putObject("byEndpoint");
        byEndpoint.forEach((name, statuses) -> {
            ObjectNode entry = endpoints.putObject(name);
            statuses.forEach((status, count) -> entry.put(Integer.toString(status), count));
        });
        ObjectNode statuses = json.putObject("byStatus");
        byStatus.forEach((status, count) -> statuses.put(Integer.toString(status), count));
        json.put("rateLimited", rateLimited());
        ObjectNode policies = json.putObject("rateLimitedByPolicy");
        for (RateLimitPolicy policy : RateLimitPolicy.values()) {
            policies.put(policy.name(), refusals.getOrDefault(policy, 0L));
        }
        json.put("droppedConnections", dropped);
        json.put("duplicateEventUuidsIgnored", duplicateEventUuids);
        ObjectNode tokens = json.putObject("tokens");
        byToken.forEach((label, traffic) -> {
            ObjectNode entry = tokens.putObject(label);
            entry.put("requests", traffic.requests);
            entry.put("maxRequestsInTenSeconds", traffic.maxInWindow);
            entry.put("responses429", traffic.rateLimited);
            if (traffic.first429 != null) {
                entry.put("first429At", traffic.first429.toString());
                entry.put("maxRequestsInTenSecondsAfterFirst429", traffic.maxInWindowAfterFirst429);
            }
        });
        return json;
    }
}
