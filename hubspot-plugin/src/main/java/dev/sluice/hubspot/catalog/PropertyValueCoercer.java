package dev.sluice.hubspot.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns a JSON value into the string HubSpot accepts for a property of a given type, or says why
 * it cannot. Reasons never contain the value (it may be personal data).
 *
 * <ul>
 *   <li>{@code null}, {@code ""} and an empty list are {@link Empty}: the property is left alone
 *       (an empty string would clear it in HubSpot).</li>
 *   <li>{@code string} (and {@code phone_number} and types we do not know): text as given; numbers
 *       and booleans as their JSON text; objects and arrays as JSON. More than 65,536 characters is
 *       dropped, not truncated: a cut value would be silently wrong.</li>
 *   <li>{@code number}: a JSON number, or text that is a decimal number ({@code "12.50"},
 *       {@code "1e3"} -> {@code 1000}); anything else is dropped.</li>
 *   <li>{@code bool}: {@code true}/{@code false}, and also the text {@code true/false/yes/no/1/0}
 *       (any case) and the numbers 1 and 0; HubSpot's own options for booleans are labelled
 *       Yes/No.</li>
 *   <li>{@code date}: {@code YYYY-MM-DD}, an ISO-8601 timestamp or epoch milliseconds, which must
 *       fall on midnight UTC; the result is epoch milliseconds. Another time of day is dropped, not
 *       truncated: HubSpot refuses it ({@code INVALID_DATE}) and cutting it could move the date.
 *       A timestamp without an offset is taken as UTC. Epoch seconds are not guessed at.</li>
 *   <li>{@code datetime}: epoch milliseconds, an ISO-8601 timestamp (UTC when it has no offset) or
 *       a date (its midnight UTC); the result is epoch milliseconds.</li>
 *   <li>{@code enumeration}: each value must match an option's {@code value}, exactly or ignoring
 *       case; failing that, an option's {@code label} ignoring case counts and is written as that
 *       option's value ({@code "Sales Qualified Lead"} -> {@code salesqualifiedlead}). Checkbox
 *       (multi-select) properties take a list or {@code ;}-separated text, written joined with
 *       {@code ;}; other enumerations take one value. If any value matches no option the whole
 *       value is dropped. An enumeration without options (external options such as owners) takes
 *       the text as given.</li>
 * </ul>
 */
public final class PropertyValueCoercer {

    /** HubSpot's limit for a string property value. */
    public static final int MAX_STRING_LENGTH = 65_536;

    private static final long DAY_MS = 86_400_000L;
    private static final Pattern DIGITS = Pattern.compile("-?\\d{1,19}");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a value became. */
    public sealed interface Coerced permits Value, Dropped, Empty {
    }

    /** The text to send. */
    public record Value(String text) implements Coerced {
    }

    /** Not sendable, and why (no value in the reason). */
    public record Dropped(String reason) implements Coerced {

        /**
         * The reason as a fixed text, without the property's name, its options or examples: what
         * drops are counted and told by ({@code "not an option"}, {@code "not a date"}).
         */
        public String kind() {
            if (reason.startsWith("several values")) {
                return "several values for a single option";
            }
            if (reason.startsWith("not an option")) {
                return "not an option";
            }
            if (reason.startsWith("not at midnight")) {
                return "date not at midnight UTC";
            }
            int cut = reason.indexOf(" (");
            return (cut < 0 ? reason : reason.substring(0, cut)).trim();
        }
    }

    /** Nothing to send: the property is left as it is. */
    public record Empty() implements Coerced {
    }

    private static final Empty EMPTY = new Empty();

    public Coerced coerce(ContactProperty property, Object value) {
        if (value == null || (value instanceof String s && s.isEmpty())
                || (value instanceof List<?> l && l.isEmpty())) {
            return EMPTY;
        }
        return switch (property.type()) {
            case "number" -> number(value);
            case "bool" -> bool(value);
            case "date" -> date(value);
            case "datetime" -> datetime(value);
            case "enumeration" -> enumeration(property, value);
            default -> string(value);
        };
    }

    private static Coerced string(Object value) {
        String text;
        if (value instanceof String s) {
            text = s;
        } else if (value instanceof Number n) {
            text = numberText(n).orElse(String.valueOf(n));
        } else if (value instanceof Boolean b) {
            text = b.toString();
        } else {
            try {
                text = JSON.writeValueAsString(value);
            } catch (JsonProcessingException e) {
                return new Dropped("cannot be written as JSON text");
            }
        }
        if (text.length() > MAX_STRING_LENGTH) {
            return new Dropped("longer than HubSpot's 65,536 characters");
        }
        return new Value(text);
    }

    private static Coerced number(Object value) {
        if (value instanceof Number n) {
            return numberText(n).<Coerced>map(Value::new).orElse(new Dropped("not a finite number"));
        }
        if (value instanceof String s) {
            String trimmed = s.trim();
            try {
                return new Value(new BigDecimal(trimmed).toPlainString());
            } catch (NumberFormatException e) {
                return new Dropped("not a number");
            }
        }
        return new Dropped("not a number");
    }

    /** Plain decimal text for a JSON number; empty for NaN and infinities. */
    static Optional<String> numberText(Number n) {
        if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte
                || n instanceof BigInteger) {
            return Optional.of(n.toString());
        }
        if (n instanceof BigDecimal b) {
            return Optional.of(b.toPlainString());
        }
        double d = n.doubleValue();
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return Optional.empty();
        }
        return Optional.of(BigDecimal.valueOf(d).stripTrailingZeros().toPlainString());
    }

    private static Coerced bool(Object value) {
        if (value instanceof Boolean b) {
            return new Value(b.toString());
        }
        if (value instanceof String s) {
            switch (s.trim().toLowerCase(Locale.ROOT)) {
                case "true", "yes", "1" -> {
                    return new Value("true");
                }
                case "false", "no", "0" -> {
                    return new Value("false");
                }
                default -> {
                    return new Dropped("not true or false");
                }
            }
        }
        if (value instanceof Number n && isIntegral(n)) {
            long v = n.longValue();
            if (v == 1 || v == 0) {
                return new Value(v == 1 ? "true" : "false");
            }
        }
        return new Dropped("not true or false");
    }

    private static Coerced date(Object value) {
        Optional<Long> millis = epochMillis(value);
        if (millis.isEmpty()) {
            return new Dropped("not a date (YYYY-MM-DD, ISO-8601 or epoch milliseconds)");
        }
        if (Math.floorMod(millis.get(), DAY_MS) != 0) {
            return new Dropped("not at midnight UTC; HubSpot date properties refuse other times (INVALID_DATE)");
        }
        return new Value(Long.toString(millis.get()));
    }

    private static Coerced datetime(Object value) {
        return epochMillis(value).<Coerced>map(ms -> new Value(Long.toString(ms)))
                .orElse(new Dropped("not a date-time (ISO-8601 or epoch milliseconds)"));
    }

    /** Epoch milliseconds from a number, digits, a date or an ISO-8601 timestamp. */
    static Optional<Long> epochMillis(Object value) {
        if (value instanceof Number n) {
            return isIntegral(n) ? Optional.of(n.longValue()) : Optional.empty();
        }
        if (!(value instanceof String s)) {
            return Optional.empty();
        }
        String text = s.trim();
        if (DIGITS.matcher(text).matches()) {
            try {
                return Optional.of(Long.parseLong(text));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        try {
            return Optional.of(LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli());
        } catch (DateTimeParseException notADate) {
            // try the timestamp forms below
        }
        try {
            return Optional.of(OffsetDateTime.parse(text).toInstant().toEpochMilli());
        } catch (DateTimeParseException notOffset) {
            // try without an offset
        }
        try {
            return Optional.of(LocalDateTime.parse(text).toInstant(ZoneOffset.UTC).toEpochMilli());
        } catch (DateTimeParseException notLocal) {
            // try an instant with other precision
        }
        try {
            return Optional.of(Instant.parse(text).toEpochMilli());
        } catch (DateTimeParseException notInstant) {
            return Optional.empty();
        }
    }

    private static boolean isIntegral(Number n) {
        if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte) {
            return true;
        }
        if (n instanceof BigInteger b) {
            return b.bitLength() < 64;
        }
        if (n instanceof BigDecimal b) {
            try {
                b.longValueExact();
                return true;
            } catch (ArithmeticException e) {
                return false;
            }
        }
        double d = n.doubleValue();
        return !Double.isNaN(d) && !Double.isInfinite(d) && d == Math.rint(d) && Math.abs(d) < 9.0e18;
    }

    private static Coerced enumeration(ContactProperty property, Object value) {
        List<Object> items = new ArrayList<>();
        if (value instanceof List<?> list) {
            items.addAll(list);
        } else if (value instanceof String s && property.multiValued()) {
            for (String part : s.split(";")) {
                if (!part.isBlank()) {
                    items.add(part.trim());
                }
            }
        } else {
            items.add(value);
        }
        if (items.isEmpty()) {
            return EMPTY;
        }
        if (!property.multiValued() && items.size() > 1) {
            return new Dropped("several values, but '" + property.name() + "' takes one option");
        }
        Set<String> chosen = new LinkedHashSet<>();
        for (Object item : items) {
            if (item == null || item instanceof Map || item instanceof List) {
                return new Dropped("not an option of '" + property.name() + "'" + optionsHint(property));
            }
            String text = item instanceof Number n ? numberText(n).orElse(String.valueOf(n)) : String.valueOf(item);
            if (property.options().isEmpty()) {
                if (!text.isEmpty()) {
                    chosen.add(text);
                }
                continue;
            }
            Optional<String> match = matchOption(property, text.trim());
            if (match.isEmpty()) {
                return new Dropped("not an option of '" + property.name() + "'" + optionsHint(property));
            }
            chosen.add(match.get());
        }
        if (chosen.isEmpty()) {
            return EMPTY;
        }
        return new Value(String.join(";", chosen));
    }

    private static Optional<String> matchOption(ContactProperty property, String text) {
        for (ContactProperty.Option o : property.options()) {
            if (o.value().equals(text)) {
                return Optional.of(o.value());
            }
        }
        for (ContactProperty.Option o : property.options()) {
            if (o.value().equalsIgnoreCase(text)) {
                return Optional.of(o.value());
            }
        }
        for (ContactProperty.Option o : property.options()) {
            if (o.label().trim().equalsIgnoreCase(text)) {
                return Optional.of(o.value());
            }
        }
        return Optional.empty();
    }

    private static String optionsHint(ContactProperty property) {
        if (property.options().isEmpty()) {
            return "";
        }
        List<String> values = property.options().stream().map(ContactProperty.Option::value).toList();
        String shown = values.stream().limit(10).collect(Collectors.joining(", "));
        return " (" + shown + (values.size() > 10 ? ", ..." : "") + ")";
    }
}
