package dev.sluice.webhook;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Which request headers a config may set, and which characters a header may carry. Messages name
 * headers, never their values: every configured header value is treated as a secret.
 */
final class HeaderRules {

    /** Sent with every signed request: the Unix time in seconds that the signature covers. */
    static final String TIMESTAMP_HEADER = "X-Sluice-Timestamp";

    /** Lower-case names the HTTP client manages, with why they cannot be configured. */
    private static final Map<String, String> MANAGED = Map.ofEntries(
            hopByHop("connection"), hopByHop("keep-alive"), hopByHop("proxy-authenticate"),
            hopByHop("proxy-authorization"), hopByHop("proxy-connection"), hopByHop("te"), hopByHop("trailer"),
            hopByHop("transfer-encoding"), hopByHop("upgrade"),
            Map.entry("host", "is set by the HTTP client from url"),
            Map.entry("content-length", "is set by the HTTP client from the body"),
            Map.entry("content-type", "cannot be overridden: the body is always application/json"),
            Map.entry("content-encoding", "cannot be set: the body is sent uncompressed"),
            Map.entry("expect", "cannot be set: the HTTP client does not support Expect: 100-continue"));

    private HeaderRules() {
    }

    private static Map.Entry<String, String> hopByHop(String name) {
        return Map.entry(name, "is a hop-by-hop header managed by the HTTP client");
    }

    /** Why {@code name} may not be configured, or empty when it may. */
    static Optional<String> managedReason(String name) {
        return Optional.ofNullable(MANAGED.get(name.toLowerCase(Locale.ROOT)));
    }

    /** True for a valid HTTP field name (an RFC 9110 token). */
    static boolean isValidName(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** True when every character can go into a header value as is: tab or printable ASCII. */
    static boolean isSendableValue(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != '\t' && (c < 0x20 || c > 0x7e)) {
                return false;
            }
        }
        return true;
    }
}
