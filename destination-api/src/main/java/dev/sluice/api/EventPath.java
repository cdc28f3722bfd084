package dev.sluice.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Jitsu-style path with alternatives: {@code /user/email||/eventn_ctx/user/email} means "the
 * value at {@code user.email}, or if there is none, the value at {@code eventn_ctx.user.email}".
 * A segment that is a number indexes a list. A {@code null} value counts as absent, so the next
 * alternative is tried. Instances are immutable; {@link #parse} caches them.
 */
public final class EventPath {

    private static final Map<String, EventPath> CACHE = new ConcurrentHashMap<>();
    private static final int CACHE_LIMIT = 1024;

    private final String text;
    private final List<List<String>> alternatives;

    private EventPath(String text, List<List<String>> alternatives) {
        this.text = text;
        this.alternatives = alternatives;
    }

    /**
     * Parses {@code /a/b||/c}. Leading and trailing slashes and blanks around {@code ||} are
     * ignored.
     *
     * @throws IllegalArgumentException for an empty path or an empty alternative
     */
    public static EventPath parse(String text) {
        Objects.requireNonNull(text, "path");
        EventPath cached = CACHE.get(text);
        if (cached != null) {
            return cached;
        }
        EventPath parsed = doParse(text);
        if (CACHE.size() < CACHE_LIMIT) {
            CACHE.put(text, parsed);
        }
        return parsed;
    }

    private static EventPath doParse(String text) {
        List<List<String>> alternatives = new ArrayList<>();
        for (String alternative : text.split("\\|\\|", -1)) {
            List<String> segments = new ArrayList<>();
            for (String segment : alternative.trim().split("/")) {
                if (!segment.isEmpty()) {
                    segments.add(segment);
                }
            }
            if (segments.isEmpty()) {
                throw new IllegalArgumentException("empty alternative in path '" + text + "'");
            }
            alternatives.add(List.copyOf(segments));
        }
        return new EventPath(text, List.copyOf(alternatives));
    }

    /** The alternatives, each as its list of segments. */
    public List<List<String>> alternatives() {
        return alternatives;
    }

    /** The first non-null value found along the alternatives, in order. */
    public Optional<Object> find(Map<String, ?> root) {
        for (List<String> segments : alternatives) {
            Object value = walk(root, segments);
            if (value != null) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }

    private static Object walk(Object node, List<String> segments) {
        for (String segment : segments) {
            if (node instanceof Map<?, ?> map) {
                node = map.get(segment);
            } else if (node instanceof List<?> list && isIndex(segment)) {
                int index = Integer.parseInt(segment);
                node = index < list.size() ? list.get(index) : null;
            } else {
                return null;
            }
            if (node == null) {
                return null;
            }
        }
        return node;
    }

    private static boolean isIndex(String segment) {
        if (segment.isEmpty() || segment.length() > 9) {
            return false;
        }
        for (int i = 0; i < segment.length(); i++) {
            if (!Character.isDigit(segment.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EventPath other && alternatives.equals(other.alternatives);
    }

    @Override
    public int hashCode() {
        return alternatives.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
