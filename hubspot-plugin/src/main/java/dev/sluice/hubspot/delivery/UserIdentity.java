package dev.sluice.hubspot.delivery;

import dev.sluice.api.Event;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The user of an event as the seed reads it: the object at {@code /user||/eventn_ctx/user} and the
 * email at {@code /user/email||/eventn_ctx/user/email}, lower-cased and trimmed (HubSpot treats
 * emails case-insensitively, and the email is the id of the upsert).
 */
public final class UserIdentity {

    public static final String USER_PATH = "/user||/eventn_ctx/user";
    public static final String EMAIL_PATH = "/user/email||/eventn_ctx/user/email";

    private static final int MAX_EMAIL_LENGTH = 254;
    private static final int MAX_LOCAL_LENGTH = 64;
    // A pragmatic subset of RFC 5321: dot-atom local part, a domain of DNS labels with a dot in it.
    private static final Pattern LOCAL = Pattern.compile("[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*");
    private static final Pattern DOMAIN = Pattern.compile(
            "([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    private UserIdentity() {
    }

    /** Either the user with a valid email, or why there is none. */
    public sealed interface Result permits Found, Missing {
    }

    /** @param email normalised (trimmed, lower-case) and syntactically valid */
    public record Found(String email, Map<String, Object> user) implements Result {
        public Found {
            Objects.requireNonNull(email, "email");
            Objects.requireNonNull(user, "user");
        }
    }

    /** @param reason why the event has no usable email, free of the email itself */
    public record Missing(String reason) implements Result {
        public Missing {
            Objects.requireNonNull(reason, "reason");
        }
    }

    public static Result of(Event event) {
        Object raw = event.get(EMAIL_PATH).orElse(null);
        if (raw == null) {
            return new Missing("no email at " + EMAIL_PATH);
        }
        if (!(raw instanceof String text)) {
            return new Missing("the email at " + EMAIL_PATH + " is not a string");
        }
        String email = normalise(text);
        if (email.isEmpty()) {
            return new Missing("the email at " + EMAIL_PATH + " is empty");
        }
        if (!isValid(email)) {
            return new Missing("the email at " + EMAIL_PATH + " is not a valid email address");
        }
        Map<String, Object> user = event.getObject(USER_PATH).orElse(Map.of());
        return new Found(email, user);
    }

    public static String normalise(String email) {
        return email.trim().toLowerCase(Locale.ROOT);
    }

    /** Syntax only, on an already normalised address. */
    public static boolean isValid(String email) {
        if (email.length() > MAX_EMAIL_LENGTH) {
            return false;
        }
        int at = email.lastIndexOf('@');
        if (at <= 0 || at == email.length() - 1) {
            return false;
        }
        String local = email.substring(0, at);
        String domain = email.substring(at + 1);
        return local.length() <= MAX_LOCAL_LENGTH && LOCAL.matcher(local).matches()
                && DOMAIN.matcher(domain).matches();
    }
}
