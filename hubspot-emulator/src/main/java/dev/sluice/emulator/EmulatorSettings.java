package dev.sluice.emulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The emulator's switches that may change while it runs (from tests or {@code POST /_emulator/settings}).
 * Thread-safe. Tokens are kept here only to compare; they are never printed.
 */
public final class EmulatorSettings {
    /** HubSpot's lowest plan (Free/Starter) allows 100 requests per rolling 10 s. */
    public static final int DEFAULT_RATE_LIMIT = 100;
    /** HubSpot's Free/Starter daily limit per account. */
    public static final long DEFAULT_DAILY_LIMIT = 250_000;
    /** Documented by HubSpot for {@code send/batch}; the OpenAPI document states no limit. */
    public static final int DEFAULT_MAX_EVENT_BATCH = 500;

    private volatile boolean multiStatus;
    private volatile int rateLimit = DEFAULT_RATE_LIMIT;
    private volatile long dailyLimit = DEFAULT_DAILY_LIMIT;
    private volatile boolean eventSendsAllowed = true;
    private volatile boolean eventSendsRateLimited;
    private volatile int maxEventBatch = DEFAULT_MAX_EVENT_BATCH;
    private volatile Set<String> acceptedTokens = Set.of();
    private final Map<String, Set<String>> scopesByToken = new ConcurrentHashMap<>();

    /** When on, a batch upsert with some bad inputs answers 207 with per-input errors instead of 400 for all. */
    public boolean multiStatus() {
        return multiStatus;
    }

    public EmulatorSettings multiStatus(boolean on) {
        this.multiStatus = on;
        return this;
    }

    public int rateLimit() {
        return rateLimit;
    }

    /** Requests allowed per token in any rolling 10 s window. */
    public EmulatorSettings rateLimit(int perTenSeconds) {
        if (perTenSeconds < 1) {
            throw new IllegalArgumentException("rate limit must be at least 1 per 10 s, got " + perTenSeconds);
        }
        this.rateLimit = perTenSeconds;
        return this;
    }

    public long dailyLimit() {
        return dailyLimit;
    }

    /** Requests allowed per account per UTC day. */
    public EmulatorSettings dailyLimit(long perDay) {
        if (perDay < 1) {
            throw new IllegalArgumentException("daily limit must be at least 1, got " + perDay);
        }
        this.dailyLimit = perDay;
        return this;
    }

    public boolean eventSendsAllowed() {
        return eventSendsAllowed;
    }

    /** False emulates a portal without an Enterprise plan: event sends answer 403. */
    public EmulatorSettings eventSendsAllowed(boolean allowed) {
        this.eventSendsAllowed = allowed;
        return this;
    }

    public boolean eventSendsRateLimited() {
        return eventSendsRateLimited;
    }

    /**
     * HubSpot's OpenAPI marks event sends exempt from the daily and ten-secondly limits, so by default they
     * are not counted; true counts them like any other call.
     */
    public EmulatorSettings eventSendsRateLimited(boolean limited) {
        this.eventSendsRateLimited = limited;
        return this;
    }

    public int maxEventBatch() {
        return maxEventBatch;
    }

    public EmulatorSettings maxEventBatch(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max event batch must be at least 1, got " + max);
        }
        this.maxEventBatch = max;
        return this;
    }

    /** Accept only these bearer tokens; an empty collection accepts any non-blank token. */
    public EmulatorSettings acceptedTokens(Collection<String> tokens) {
        Objects.requireNonNull(tokens, "tokens");
        this.acceptedTokens = Set.copyOf(new LinkedHashSet<>(tokens));
        return this;
    }

    boolean accepts(String token) {
        Set<String> accepted = acceptedTokens;
        return accepted.isEmpty() || accepted.contains(token);
    }

    /** Restrict a token to these scopes. Tokens without an entry hold every scope. */
    public EmulatorSettings grantScopes(String token, Collection<String> scopes) {
        Objects.requireNonNull(token, "token");
        scopesByToken.put(token, Set.copyOf(scopes));
        return this;
    }

    Set<String> scopesOf(String token) {
        return scopesByToken.getOrDefault(token, Set.copyOf(Endpoint.ALL_SCOPES));
    }

    ObjectNode toJson() {
        ObjectNode json = JsonCodec.object();
        json.put("multiStatus", multiStatus);
        json.put("rateLimit", rateLimit);
        json.put("dailyLimit", dailyLimit);
        json.put("eventSendsAllowed", eventSendsAllowed);
        json.put("eventSendsRateLimited", eventSendsRateLimited);
        json.put("maxEventBatch", maxEventBatch);
        json.put("acceptedTokenCount", acceptedTokens.size());
        ArrayNode restricted = json.putArray("restrictedTokens");
        scopesByToken.forEach((token, scopes) -> {
            ObjectNode entry = restricted.addObject();
            entry.put("token", TokenLabel.of(token));
            ArrayNode array = entry.putArray("scopes");
            List.copyOf(scopes).stream().sorted().forEach(array::add);
        });
        return json;
    }
}
