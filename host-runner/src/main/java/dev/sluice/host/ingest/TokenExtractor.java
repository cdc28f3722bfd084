package dev.sluice.host.ingest;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Deque;
import java.util.Optional;

/**
 * Finds the token of a request, Jitsu's way, taking the first non-empty of: query {@code token},
 * header {@code X-Auth-Token}, header {@code api_key}, the first query parameter (in the order
 * of the query string) whose name starts with {@code p_}, the basic-auth user name.
 */
public final class TokenExtractor {

    private TokenExtractor() {
    }

    /** The request's token, by the rules above; empty when it has none. */
    public static Optional<String> extract(HttpServerExchange exchange) {
        Deque<String> query = exchange.getQueryParameters().get("token");
        String token = query == null ? null : query.peekFirst();
        if (isEmpty(token)) {
            token = exchange.getRequestHeaders().getFirst("X-Auth-Token");
        }
        if (isEmpty(token)) {
            token = exchange.getRequestHeaders().getFirst("api_key");
        }
        if (isEmpty(token)) {
            token = firstPrefixedParameter(exchange.getQueryString());
        }
        if (isEmpty(token)) {
            token = basicAuthUser(exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION));
        }
        return isEmpty(token) ? Optional.empty() : Optional.of(token);
    }

    static String firstPrefixedParameter(String queryString) {
        if (queryString == null || queryString.isEmpty()) {
            return null;
        }
        for (String pair : queryString.split("&")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String name = decode(pair.substring(0, eq));
            if (name.startsWith("p_")) {
                String value = decode(pair.substring(eq + 1));
                if (!value.isEmpty()) {
                    return value;
                }
            }
        }
        return null;
    }

    static String basicAuthUser(String authorization) {
        if (authorization == null || authorization.length() < 6
                || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
                    StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? decoded : decoded.substring(0, colon);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }

    private static boolean isEmpty(String token) {
        return token == null || token.isEmpty();
    }
}
