package dev.sluice.host.ingest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Adds Jitsu Classic's context fields to an accepted event, in place:
 * <ol>
 *   <li>{@code source_ip} = the client IP, unless the event has a non-blank one;</li>
 *   <li>client route: {@code user_agent} (or {@code eventn_ctx.user_agent} when the event has an
 *       {@code eventn_ctx} object) = the request's User-Agent, when it sent one; s2s route:
 *       {@code src} = {@code "api"} when missing or null;</li>
 *   <li>{@code user.hashed_anonymous_id} (or {@code eventn_ctx.user.hashed_anonymous_id}) = lower-case
 *       hex MD5 of client IP + User-Agent; the user object is created when missing, left alone when
 *       it is not an object;</li>
 *   <li>the event id: the first non-blank of {@code eventn_ctx.event_id}, {@code eventn_ctx_event_id},
 *       {@code event_id} (a string or a number), removed from there, else a new id; written as
 *       {@code eventn_ctx.event_id} when the event has an {@code eventn_ctx} object, else as
 *       {@code eventn_ctx_event_id};</li>
 *   <li>{@code api_key} = the id of the api key whose secret was used (Jitsu Classic wrote the
 *       secret itself; Sluice keeps secrets out of stored events);</li>
 *   <li>{@code _timestamp} = now, UTC ISO-8601 with milliseconds, when missing or null.</li>
 * </ol>
 * Thread-safe.
 */
public final class EventEnricher {

    static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final Clock clock;
    private final Supplier<String> ids;

    public EventEnricher(Clock clock, Supplier<String> ids) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ids = Objects.requireNonNull(ids, "ids");
    }

    /** With the system UTC clock and random UUIDs. */
    public static EventEnricher standard() {
        return new EventEnricher(Clock.systemUTC(), () -> UUID.randomUUID().toString());
    }

    /** Enriches the event in place and returns its id. */
    public String enrich(Map<String, Object> event, RequestFacts request) {
        Map<String, Object> context = objectAt(event, "eventn_ctx");
        String userAgent = request.userAgent().orElse("");

        if (!(event.get("source_ip") instanceof String ip) || ip.isBlank()) {
            event.put("source_ip", request.clientIp());
        }
        if (request.route() == IngestRoute.CLIENT) {
            if (request.userAgent().isPresent()) {
                (context != null ? context : event).put("user_agent", userAgent);
            }
        } else if (event.get("src") == null) {
            event.put("src", "api");
        }

        Map<String, Object> userParent = context != null ? context : event;
        Object user = userParent.get("user");
        if (user == null) {
            user = new LinkedHashMap<String, Object>();
            userParent.put("user", user);
        }
        if (user instanceof Map<?, ?>) {
            @SuppressWarnings("unchecked")
            Map<String, Object> userObject = (Map<String, Object>) user;
            userObject.put("hashed_anonymous_id", md5Hex(request.clientIp() + userAgent));
        }

        String id = takeId(context, event);
        if (context != null) {
            context.put("event_id", id);
        } else {
            event.put("eventn_ctx_event_id", id);
        }
        event.put("api_key", request.keyId());
        if (event.get("_timestamp") == null) {
            event.put("_timestamp", timestamp(clock.millis()));
        }
        return id;
    }

    /**
     * {@code millis} as {@code yyyy-MM-ddTHH:mm:ss.SSSZ} in UTC, as {@link #TIMESTAMP} writes it for
     * years 1-9999 (others through it), without the formatter's per-call work (it divides the fraction with BigDecimal).
     */
    static String timestamp(long millis) {
        long seconds = Math.floorDiv(millis, 1000L);
        int milli = (int) Math.floorMod(millis, 1000L);
        long days = Math.floorDiv(seconds, 86_400L);
        int secondOfDay = (int) Math.floorMod(seconds, 86_400L);
        java.time.LocalDate date = java.time.LocalDate.ofEpochDay(days);
        if (date.getYear() < 1 || date.getYear() > 9999) {
            return TIMESTAMP.format(java.time.Instant.ofEpochMilli(millis));
        }
        char[] out = new char[24];
        digits(out, 0, date.getYear(), 4);
        out[4] = '-';
        digits(out, 5, date.getMonthValue(), 2);
        out[7] = '-';
        digits(out, 8, date.getDayOfMonth(), 2);
        out[10] = 'T';
        digits(out, 11, secondOfDay / 3600, 2);
        out[13] = ':';
        digits(out, 14, secondOfDay / 60 % 60, 2);
        out[16] = ':';
        digits(out, 17, secondOfDay % 60, 2);
        out[19] = '.';
        digits(out, 20, milli, 3);
        out[23] = 'Z';
        return new String(out);
    }

    private static void digits(char[] out, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    private String takeId(Map<String, Object> context, Map<String, Object> event) {
        if (context != null) {
            String id = idText(context.get("event_id"));
            if (id != null) {
                context.remove("event_id");
                return id;
            }
        }
        for (String field : new String[] {"eventn_ctx_event_id", "event_id"}) {
            String id = idText(event.get(field));
            if (id != null) {
                event.remove(field);
                return id;
            }
        }
        return ids.get();
    }

    private static String idText(Object value) {
        if (value instanceof String s && !s.isBlank()) {
            return s;
        }
        if (value instanceof Number n) {
            return n.toString();
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> objectAt(Map<String, Object> event, String field) {
        return event.get(field) instanceof Map<?, ?> map ? (Map<String, Object>) map : null;
    }

    // Looking a digest up per call costs more than the digest of a short text.
    private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no MD5", e);
        }
    });

    /** Per thread, the last text hashed and its hash: a client sends many events with the same ip and agent. */
    private static final ThreadLocal<String[]> LAST_MD5 = ThreadLocal.withInitial(() -> new String[2]);

    static String md5Hex(String text) {
        String[] last = LAST_MD5.get();
        if (text.equals(last[0])) {
            return last[1];
        }
        String hex = HexFormat.of().formatHex(MD5.get().digest(text.getBytes(StandardCharsets.UTF_8)));
        last[0] = text;
        last[1] = hex;
        return hex;
    }
}
