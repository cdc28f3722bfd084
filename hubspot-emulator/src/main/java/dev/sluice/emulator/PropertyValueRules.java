package dev.sluice.emulator;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * HubSpot's checks of one contact property value against the catalog. An empty string clears a property and
 * passes every type check (but not the read-only one).
 */
final class PropertyValueRules {
    static final int MAX_STRING_LENGTH = 65_536;
    private static final long DAY_MILLIS = 86_400_000L;
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+$");
    private static final Pattern EPOCH_MILLIS = Pattern.compile("^-?\\d{1,19}$");
    private static final Pattern DECIMAL = Pattern.compile("^[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?$");

    private final PropertyCatalog catalog;

    PropertyValueRules(PropertyCatalog catalog) {
        this.catalog = Objects.requireNonNull(catalog);
    }

    static boolean isValidEmail(String email) {
        return email != null && email.length() <= 254 && EMAIL.matcher(email).matches();
    }

    static PropertyError invalidEmail(String value) {
        return new PropertyError("email", "INVALID_EMAIL", "Email address " + value + " is invalid");
    }

    Optional<PropertyError> check(String name, String value) {
        Optional<ContactProperty> found = catalog.find(name);
        if (found.isEmpty()) {
            return Optional.of(new PropertyError(name, "PROPERTY_DOESNT_EXIST",
                    "Property \"" + name + "\" does not exist"));
        }
        ContactProperty property = found.get();
        if (property.readOnly()) {
            return Optional.of(new PropertyError(name, "READ_ONLY_VALUE",
                    "\"" + name + "\" is a read only property; its value cannot be set."));
        }
        if (value.isEmpty()) {
            return Optional.empty();
        }
        if ("email".equals(name) && !isValidEmail(value)) {
            return Optional.of(invalidEmail(value));
        }
        switch (property.type()) {
            case "number":
                return checkNumber(name, value);
            case "date":
                return checkDate(name, value);
            case "datetime":
                return checkDatetime(name, value);
            case "bool":
                return checkOptions(name, value, property.optionValues().isEmpty()
                        ? List.of("true", "false") : property.optionValues(), false, true);
            case "enumeration":
                if (property.optionValues().isEmpty()) {
                    return Optional.empty();
                }
                return checkOptions(name, value, property.optionValues(), "checkbox".equals(property.fieldType()), false);
            default:
                return checkString(name, value);
        }
    }

    private static Optional<PropertyError> checkString(String name, String value) {
        if (value.length() > MAX_STRING_LENGTH) {
            return Optional.of(new PropertyError(name, "VALUE_TOO_LONG", "Value of property \"" + name + "\" is "
                    + value.length() + " characters long; the maximum is " + MAX_STRING_LENGTH));
        }
        return Optional.empty();
    }

    private static Optional<PropertyError> checkNumber(String name, String value) {
        if (DECIMAL.matcher(value.trim()).matches()) {
            try {
                new BigDecimal(value.trim());
                return Optional.empty();
            } catch (NumberFormatException ignored) {
                // fall through to the error
            }
        }
        return Optional.of(new PropertyError(name, "INVALID_INTEGER", value + " is not a valid number."));
    }

    private static Optional<PropertyError> checkDate(String name, String value) {
        Long millis = epochMillisOf(value);
        if (millis == null) {
            try {
                LocalDate.parse(value);
                return Optional.empty();
            } catch (DateTimeParseException ignored) {
                return Optional.of(new PropertyError(name, "INVALID_DATE", value + " is not a valid date:"
                        + " use epoch milliseconds at midnight UTC or YYYY-MM-DD"));
            }
        }
        if (Math.floorMod(millis, DAY_MILLIS) == 0) {
            return Optional.empty();
        }
        ZonedDateTime at = Instant.ofEpochMilli(millis).atZone(ZoneOffset.UTC);
        String time = at.getHour() + ":" + at.getMinute() + ":" + at.getSecond() + "." + (at.getNano() / 1_000_000);
        return Optional.of(new PropertyError(name, "INVALID_DATE", value + " is at " + time + " UTC, not midnight!"));
    }

    private static Optional<PropertyError> checkDatetime(String name, String value) {
        if (epochMillisOf(value) != null) {
            return Optional.empty();
        }
        try {
            LocalDate.parse(value);
            return Optional.empty();
        } catch (DateTimeParseException ignored) {
            // not a plain date
        }
        return Optional.of(new PropertyError(name, "INVALID_LONG", value + " was not a valid long."
                + " Use epoch milliseconds or an ISO-8601 instant."));
    }

    /** Epoch milliseconds from digits or an ISO-8601 instant/offset date-time, or null. */
    private static Long epochMillisOf(String value) {
        if (EPOCH_MILLIS.matcher(value).matches()) {
            try {
                return Long.parseLong(value);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        try {
            return OffsetDateTime.parse(value).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Optional<PropertyError> checkOptions(String name, String value, List<String> allowed,
                                                        boolean multiple, boolean ignoreCase) {
        String[] parts = multiple ? value.split(";") : new String[]{value};
        for (String part : parts) {
            String candidate = multiple ? part.trim() : part;
            if (multiple && candidate.isEmpty()) {
                continue;
            }
            boolean ok = ignoreCase
                    ? allowed.stream().anyMatch(a -> a.equalsIgnoreCase(candidate.toLowerCase(Locale.ROOT)))
                    : allowed.contains(candidate);
            if (!ok) {
                return Optional.of(new PropertyError(name, "INVALID_OPTION",
                        candidate + " was not one of the allowed options: " + allowed));
            }
        }
        return Optional.empty();
    }
}
