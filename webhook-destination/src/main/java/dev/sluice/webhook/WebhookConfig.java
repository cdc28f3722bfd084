package dev.sluice.webhook;

import dev.sluice.api.config.DestinationConfig;
import dev.sluice.api.config.Secret;
import okhttp3.HttpUrl;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The typed settings of one webhook destination, read from a config that passed
 * {@link DestinationConfig#validate} and {@link WebhookDestinationFactory#validate}.
 *
 * <p>Header values, the bearer token, the signing secret and the URL's query string may all hold
 * credentials: {@link #toString()} shows none of them, and {@link #endpoint()} is the form of the
 * URL that may appear in messages.
 *
 * @param url             where requests go, query string included
 * @param method          {@code POST}, {@code PUT} or {@code PATCH}
 * @param headers         extra request headers, in config order; values are secret
 * @param bearerToken     sent as {@code Authorization: Bearer ...} when present
 * @param batchSize       1 = one event object per request; more = a JSON array of up to this many
 * @param signingSecret   the HMAC-SHA256 key, when requests are signed
 * @param signatureHeader the header that carries the signature
 * @param connectTimeout  TCP (and TLS) connect timeout
 * @param readTimeout     how long to wait for the answer (and to write the body)
 */
public record WebhookConfig(
        HttpUrl url,
        String method,
        Map<String, String> headers,
        Optional<Secret> bearerToken,
        int batchSize,
        Optional<Secret> signingSecret,
        String signatureHeader,
        Duration connectTimeout,
        Duration readTimeout) {

    /** Masked values shorter than this are left alone: they cannot be credentials, only noise. */
    static final int MIN_MASKED_LENGTH = 4;

    public WebhookConfig {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(method, "method");
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        Objects.requireNonNull(bearerToken, "bearerToken");
        Objects.requireNonNull(signingSecret, "signingSecret");
        Objects.requireNonNull(signatureHeader, "signatureHeader");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(readTimeout, "readTimeout");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, not " + batchSize);
        }
    }

    /** Reads a validated config. */
    public static WebhookConfig from(DestinationConfig config) {
        String url = config.getString(WebhookDestinationFactory.URL).orElseThrow().trim();
        HttpUrl parsed = HttpUrl.parse(url);
        if (parsed == null) {
            throw new IllegalArgumentException("url is not an http or https URL");
        }
        return new WebhookConfig(
                parsed,
                config.getString(WebhookDestinationFactory.METHOD).orElse("POST"),
                config.getMap(WebhookDestinationFactory.HEADERS),
                config.getSecret(WebhookDestinationFactory.BEARER_TOKEN),
                Math.toIntExact(config.getLong(WebhookDestinationFactory.BATCH_SIZE).orElse(1L)),
                config.getSecret(WebhookDestinationFactory.SIGNING_SECRET),
                config.getString(WebhookDestinationFactory.SIGNATURE_HEADER)
                        .orElse(WebhookDestinationFactory.DEFAULT_SIGNATURE_HEADER).trim(),
                config.getDuration(WebhookDestinationFactory.CONNECT_TIMEOUT).orElse(Duration.ofSeconds(10)),
                config.getDuration(WebhookDestinationFactory.READ_TIMEOUT).orElse(Duration.ofSeconds(30)));
    }

    /** {@code scheme://host:port/path} of {@link #url()}: no user info, no query, no fragment. */
    public String endpoint() {
        return endpoint(url);
    }

    /** {@code scheme://host:port/path} of any URL: the form that may appear in messages. */
    static String endpoint(HttpUrl url) {
        String host = url.host().contains(":") ? "[" + url.host() + "]" : url.host();
        return url.scheme() + "://" + host + ":" + url.port() + url.encodedPath();
    }

    /**
     * Every text that must never appear in a message: header values, the bearer token, the signing
     * secret, the URL's user info and query string (encoded and decoded), longest first.
     */
    List<String> secretForms() {
        List<String> forms = new ArrayList<>(headers.values());
        bearerToken.map(Secret::reveal).ifPresent(forms::add);
        signingSecret.map(Secret::reveal).ifPresent(forms::add);
        addIfPresent(forms, url.encodedUsername());
        addIfPresent(forms, url.username());
        addIfPresent(forms, url.encodedPassword());
        addIfPresent(forms, url.password());
        addIfPresent(forms, url.encodedQuery());
        addIfPresent(forms, url.query());
        for (int i = 0; i < url.querySize(); i++) {
            addIfPresent(forms, url.queryParameterValue(i));
        }
        forms.removeIf(form -> form == null || form.length() < MIN_MASKED_LENGTH);
        forms.sort((a, b) -> Integer.compare(b.length(), a.length()));
        return List.copyOf(new LinkedHashSet<>(forms));
    }

    private static void addIfPresent(List<String> forms, String value) {
        if (value != null && !value.isEmpty()) {
            forms.add(value);
        }
    }

    /** Endpoint, method, sizes and header names; never a header value, token, secret or query. */
    @Override
    public String toString() {
        return "WebhookConfig{endpoint=" + endpoint() + (url.encodedQuery() == null ? "" : "?****")
                + ", method=" + method + ", batch_size=" + batchSize
                + ", headers=" + headers.keySet()
                + ", bearer_token=" + (bearerToken.isPresent() ? "****" : "none")
                + ", signing=" + (signingSecret.isPresent() ? signatureHeader : "off")
                + ", connect_timeout=" + connectTimeout + ", read_timeout=" + readTimeout + "}";
    }
}
