package dev.sluice.emulator;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * HubSpot's two limits: a rolling 10 s window per token and a daily budget per account (UTC day).
 * Rejected calls use neither budget.
 */
final class RateLimiter {
    static final long WINDOW_MILLIS = 10_000;

    private final Clock clock;
    private final EmulatorSettings settings;
    private final Map<String, ArrayDeque<Long>> windows = new HashMap<>();
    private LocalDate day;
    private long usedToday;

    RateLimiter(Clock clock, EmulatorSettings settings) {
        this.clock = Objects.requireNonNull(clock);
        this.settings = Objects.requireNonNull(settings);
    }

    /** The result of one check: the header values, and the policy that refused the call or null. */
    record Decision(int max, int remaining, long daily, long dailyRemaining, RateLimitPolicy refusedBy) {
        Map<String, String> headers() {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("X-HubSpot-RateLimit-Max", Integer.toString(max));
            headers.put("X-HubSpot-RateLimit-Remaining", Integer.toString(Math.max(0, remaining)));
            headers.put("X-HubSpot-RateLimit-Interval-Milliseconds", Long.toString(WINDOW_MILLIS));
            headers.put("X-HubSpot-RateLimit-Daily", Long.toString(daily));
            headers.put("X-HubSpot-RateLimit-Daily-Remaining", Long.toString(Math.max(0, dailyRemaining)));
            return headers;
        }
    }

    synchronized Decision acquire(String tokenKey) {
        return decide(tokenKey, true);
    }

    synchronized Decision peek(String tokenKey) {
        return decide(tokenKey, false);
    }

    synchronized void reset() {
        windows.clear();
        usedToday = 0;
        day = null;
    }

    private Decision decide(String tokenKey, boolean consume) {
        long now = clock.millis();
        LocalDate today = clock.instant().atZone(ZoneOffset.UTC).toLocalDate();
        if (!today.equals(day)) {
            day = today;
            usedToday = 0;
        }
        ArrayDeque<Long> window = windows.computeIfAbsent(tokenKey, k -> new ArrayDeque<>());
        while (!window.isEmpty() && window.peekFirst() <= now - WINDOW_MILLIS) {
            window.pollFirst();
        }
        int max = settings.rateLimit();
        long daily = settings.dailyLimit();
        if (!consume) {
            return new Decision(max, max - window.size(), daily, daily - usedToday, null);
        }
        if (usedToday >= daily) {
            return new Decision(max, max - window.size(), daily, 0, RateLimitPolicy.DAILY);
        }
        if (window.size() >= max) {
            return new Decision(max, 0, daily, daily - usedToday, RateLimitPolicy.TEN_SECONDLY_ROLLING);
        }
        window.addLast(now);
        usedToday++;
        return new Decision(max, max - window.size(), daily, daily - usedToday, null);
    }
}
