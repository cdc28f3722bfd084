package dev.sluice.hubspot.catalog;

import java.util.Locale;
import java.util.regex.Pattern;

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

    private static final Pattern NOT_ALPHANUMERIC = Pattern.compile("[^a-z0-9]+");

    private PropertyKeys() {
    }

    public static String normalise(String key) {
        return NOT_ALPHANUMERIC.matcher(key.toLowerCase(Locale.ROOT)).replaceAll("_");
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
