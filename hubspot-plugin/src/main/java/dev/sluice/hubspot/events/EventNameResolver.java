package dev.sluice.hubspot.events;

import dev.sluice.api.Event;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The HubSpot {@code eventName} of an event: {@code pe{hubId}_{name}}, where the name comes from the
 * configured {@code event_type} mapping when there is one (a fully qualified name is taken as is, a
 * short one gets the prefix) and otherwise from the {@code event_type} itself, normalised:
 * lower-case, every run of characters outside {@code [a-z0-9_-]} turned into {@code _}, leading and
 * trailing {@code _} removed. The name must then start with a letter and have at most 50
 * characters; an event type that cannot make such a name is rejected rather than truncated (two
 * long types would collide).
 */
public final class EventNameResolver {

    static final int MAX_NAME_LENGTH = 50;
    private static final Pattern INVALID_RUN = Pattern.compile("[^a-z0-9_-]+");
    private static final Pattern VALID = Pattern.compile("[a-z][a-z0-9_-]*");

    /** Either the fully qualified name or why there is none. */
    public sealed interface Result permits Named, Unnamed {
    }

    public record Named(String fullyQualifiedName) implements Result {
    }

    public record Unnamed(String reason) implements Result {
    }

    private final String prefix;
    private final Map<String, String> mapping;

    public EventNameResolver(String hubId, Map<String, String> mapping) {
        this.prefix = "pe" + Objects.requireNonNull(hubId, "hubId") + "_";
        this.mapping = Map.copyOf(mapping);
    }

    public Result resolve(Event event) {
        String type = event.eventType().orElse(null);
        if (type == null || type.isBlank()) {
            return new Unnamed("event has no event_type to name a HubSpot custom event after");
        }
        String mapped = mapping.get(type);
        if (mapped != null) {
            // A name pasted from HubSpot may differ in case or carry spaces; it must not get the prefix twice.
            String trimmed = mapped.trim();
            String shortName = trimmed.toLowerCase(Locale.ROOT).startsWith(prefix)
                    ? trimmed.substring(prefix.length()) : trimmed;
            return named(shortName, "event_type '" + type + "' is mapped to '" + mapped + "', which");
        }
        return named(type, "event_type '" + type + "'");
    }

    private Result named(String raw, String what) {
        String name = INVALID_RUN.matcher(raw.trim().toLowerCase(Locale.ROOT)).replaceAll("_");
        name = name.replaceAll("^_+|_+$", "");
        if (name.isEmpty() || !VALID.matcher(name).matches()) {
            return new Unnamed(what + " cannot make a HubSpot event name (it must start with a letter, then"
                    + " letters, digits, '_' or '-'); map it with event_names");
        }
        if (name.length() > MAX_NAME_LENGTH) {
            return new Unnamed(what + " makes a HubSpot event name of " + name.length() + " characters, more than "
                    + MAX_NAME_LENGTH + "; map it to a shorter name with event_names");
        }
        return new Named(prefix + name);
    }
}
