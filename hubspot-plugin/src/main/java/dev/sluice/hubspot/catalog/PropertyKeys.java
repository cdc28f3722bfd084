package dev.sluice.hubspot.catalog;

import java.util.Locale;

/**
 * Jitsu Classic's normalisation of user keys to HubSpot property names: lower-case, then every run
 * of characters other than {@code a-z} and {@code 0-9} becomes one {@code _}
 * ({@code "First Name"} -> {@code first_name}, {@code "firstName"} -> {@code firstname}).
 *
 * <p>Leading and trailing {@code _} are kept, as Jitsu kept them, so the result is exactly the
 * seed's; {@link #trimmed} gives the form without them, which {@link PropertyCatalog} tries only
 * when the portal has no property of the exact name (HubSpot names start with a letter, so
 * {@code " email "} -> {@code _email_} can only ever mean {@code email}).
 */
public final class PropertyKeys {

    private PropertyKeys() {
    }

    /**
     * The normalised key. A loop rather than a regular expression: it runs for every user key of
     * every event delivered, and a key that is already a property name (the common case) is
     * returned as it is.
     */
    public static String normalise(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        StringBuilder out = null;
        boolean inRun = false;
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                if (out != null) {
                    out.append(c);
                }
                inRun = false;
            } else {
                if (out == null) {
                    out = new StringBuilder(lower.length()).append(lower, 0, i);
                }
                if (!inRun) {
                    out.append('_');
                }
                inRun = true;
            }
        }
        return out == null ? lower : out.toString();
    }

    /** {@code name} without leading and trailing {@code _}. */
    public static String trimmed(String name) {
        int start = 0;
        int end = name.length();
        while (start < end && name.charAt(start) == '_') {
            start++;
        }
        while (end > start && name.charAt(end - 1) == '_') {
            end--;
        }
        return name.substring(start, end);
    }
}
