package dev.sluice.hubspot.catalog;

import java.lang.System.Logger.Level;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Counts the user keys left out of contact properties because the portal has no writable contact
 * property for them (none of that name, or read-only, or calculated), and logs each key once, with
 * the closest property name when one is close ({@code 'Last Name'} -> {@code last_name}, did you
 * mean {@code lastname}?). Keys, never values, are logged: values may be personal data.
 *
 * <p>Counts are per key as the user object spells it, and grow each time a user object with that
 * key is mapped (an identify, and each custom event, maps its user). At most {@link #MAX_KEYS}
 * distinct keys are kept, so a client sending random keys cannot grow memory or the log without
 * bound; further keys are counted together under {@link #OTHER_KEYS}. Thread-safe.
 */
public final class DroppedUserKeys {

    /** Distinct keys counted (and logged) one by one. */
    public static final int MAX_KEYS = 1000;
    /** The count of keys beyond {@link #MAX_KEYS}. */
    public static final String OTHER_KEYS = "(other keys)";
    /** Longest key text in a log line. */
    static final int MAX_LOGGED_KEY = 100;

    /**
     * Keys the Jitsu client and host put in every user object, which are no contact properties in a
     * usual portal: counted, logged only at DEBUG, since every site would see them.
     */
    static final Set<String> EXPECTED = Set.of("anonymous_id", "hashed_anonymous_id");

    private final System.Logger logger;
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final LongAdder other = new LongAdder();
    private final AtomicBoolean capLogged = new AtomicBoolean();

    public DroppedUserKeys(System.Logger logger) {
        this.logger = Objects.requireNonNull(logger, "logger");
    }

    /**
     * Counts one drop of {@code key}; the first time, logs it.
     *
     * @param key        the user key as sent ({@code Last Name})
     * @param normalised its normalised form ({@code last_name})
     * @param reason     why it was left out, naming no value
     *                   ({@code "no such contact property"}, {@code "contact property 'x' is read-only"})
     * @param candidates the writable contact property names, for the closest-name hint (only asked
     *                   for the first time a key is seen)
     */
    public void record(String key, String normalised, String reason, Supplier<? extends Collection<String>> candidates) {
        LongAdder count = counts.get(key);
        if (count == null) {
            if (counts.size() >= MAX_KEYS) {
                other.increment();
                if (capLogged.compareAndSet(false, true)) {
                    logger.log(Level.WARNING, "More than " + MAX_KEYS + " distinct user keys were left out of HubSpot"
                            + " contact properties; further new keys are counted together and not logged");
                }
                return;
            }
            LongAdder fresh = new LongAdder();
            count = counts.putIfAbsent(key, fresh);
            if (count == null) {
                count = fresh;
                log(key, normalised, reason, candidates);
            }
        }
        count.increment();
    }

    /** How often each key was left out, by key, sorted; keys beyond the cap under {@link #OTHER_KEYS}. */
    public Map<String, Long> counts() {
        Map<String, Long> snapshot = new TreeMap<>();
        counts.forEach((key, count) -> snapshot.put(key, count.sum()));
        long others = other.sum();
        if (others > 0) {
            snapshot.put(OTHER_KEYS, others);
        }
        return snapshot;
    }

    /** All drops counted so far. */
    public long total() {
        return counts.values().stream().mapToLong(LongAdder::sum).sum() + other.sum();
    }

    private void log(String key, String normalised, String reason, Supplier<? extends Collection<String>> candidates) {
        if (EXPECTED.contains(normalised)) {
            logger.log(Level.DEBUG, () -> "User key '" + key + "' is not sent to HubSpot contacts: " + reason);
            return;
        }
        String shown = printable(key);
        StringBuilder line = new StringBuilder("User key '").append(shown).append('\'');
        if (!normalised.equals(key)) {
            line.append(" (as HubSpot name '").append(printable(normalised)).append("')");
        }
        line.append(" is left out of HubSpot contact properties: ").append(reason).append('.');
        closest(normalised, candidates.get()).ifPresent(name ->
                line.append(" Did you mean '").append(name).append("'? Send that key instead (e.g. jitsu('id', {")
                        .append(name).append(": ...})) or create the property in HubSpot."));
        line.append(" Logged once per key; later drops are only counted.");
        logger.log(Level.WARNING, line.toString());
    }

    /**
     * The candidate closest to {@code name}: one equal to it but for {@code _} first
     * ({@code last_name} -> {@code lastname}), else the nearest by edit distance when that distance
     * is at most a quarter of the name's length (at least 1, at most 3); ties go to the
     * alphabetically first. Empty when nothing is that close.
     */
    static Optional<String> closest(String name, Collection<String> candidates) {
        String target = PropertyKeys.trimmed(name);
        if (target.isEmpty()) {
            return Optional.empty();
        }
        String bare = target.replace("_", "");
        int limit = Math.max(1, Math.min(3, target.length() / 4));
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            if (candidate.equals(target)) {
                continue;
            }
            int distance = candidate.replace("_", "").equals(bare) ? 0 : distance(target, candidate, limit);
            if (distance < bestDistance || distance == bestDistance && best != null && candidate.compareTo(best) < 0) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return bestDistance <= limit ? Optional.of(best) : Optional.empty();
    }

    /** Levenshtein distance, or {@code limit + 1} as soon as it must exceed {@code limit}. */
    static int distance(String a, String b, int limit) {
        if (Math.abs(a.length() - b.length()) > limit) {
            return limit + 1;
        }
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            int rowMin = current[0];
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
                rowMin = Math.min(rowMin, current[j]);
            }
            if (rowMin > limit) {
                return limit + 1;
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return Math.min(previous[b.length()], limit + 1);
    }

    /** The key without control characters (no forged log lines), cut to {@link #MAX_LOGGED_KEY}. */
    private static String printable(String key) {
        StringBuilder out = new StringBuilder();
        key.codePoints().limit(MAX_LOGGED_KEY).forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        if (key.codePointCount(0, key.length()) > MAX_LOGGED_KEY) {
            out.append("...");
        }
        return out.toString();
    }
}
