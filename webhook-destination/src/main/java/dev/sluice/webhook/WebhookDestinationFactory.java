package dev.sluice.webhook;

import com.google.auto.service.AutoService;
import dev.sluice.api.Destination;
import dev.sluice.api.DestinationContext;
import dev.sluice.api.DestinationFactory;
import dev.sluice.api.config.ConfigField;
import dev.sluice.api.config.ConfigProblem;
import dev.sluice.api.config.DestinationConfig;
import dev.sluice.api.config.FieldType;
import dev.sluice.api.config.InvalidConfigException;
import dev.sluice.api.config.Secret;
import okhttp3.HttpUrl;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code webhook} destination type: every event as JSON to one HTTP endpoint, in stream or
 * batch mode. Stateless and thread-safe; {@link #create} builds an HTTP client but does no I/O.
 */
@AutoService(DestinationFactory.class)
public final class WebhookDestinationFactory implements DestinationFactory {

    /** The {@code type:} of this destination in the host's config. */
    public static final String TYPE = "webhook";

    static final String URL = "url";
    static final String METHOD = "method";
    static final String HEADERS = "headers";
    static final String BEARER_TOKEN = "bearer_token";
    static final String BATCH_SIZE = "batch_size";
    static final String SIGNING_SECRET = "signing_secret";
    static final String SIGNATURE_HEADER = "signature_header";
    static final String CONNECT_TIMEOUT = "connect_timeout";
    static final String READ_TIMEOUT = "read_timeout";

    /** The default name of the signature header. */
    public static final String DEFAULT_SIGNATURE_HEADER = "X-Sluice-Signature";
    /** The largest {@code batch_size}. */
    public static final int MAX_BATCH_SIZE = 1000;

    private static final String URL_HINT = "an absolute http:// or https:// URL such as https://example.com/hooks/sluice";

    private static final List<ConfigField> FIELDS = List.of(
            ConfigField.of(URL, FieldType.STRING).asRequired()
                    .description("The endpoint that receives the events: " + URL_HINT),
            ConfigField.of(METHOD, FieldType.STRING).allowedValues("POST", "PUT", "PATCH").defaultValue("POST")
                    .description("HTTP method of every request: POST, PUT or PATCH"),
            ConfigField.of(HEADERS, FieldType.MAP)
                    .description("Extra request headers, name to value; values are treated as secrets and never"
                            + " shown"),
            ConfigField.of(BEARER_TOKEN, FieldType.STRING).asSecret()
                    .description("Sent as Authorization: Bearer <token>"),
            ConfigField.of(BATCH_SIZE, FieldType.INTEGER).defaultValue(1L)
                    .description("Events per request, 1 to " + MAX_BATCH_SIZE + ": 1 sends each event as a JSON"
                            + " object, more sends a JSON array of up to that many events"),
            ConfigField.of(SIGNING_SECRET, FieldType.STRING).asSecret()
                    .description("When set, every request is signed: HMAC-SHA256 of '<timestamp>.<body>' in"
                            + " signature_header, the Unix timestamp in " + HeaderRules.TIMESTAMP_HEADER),
            ConfigField.of(SIGNATURE_HEADER, FieldType.STRING).defaultValue(DEFAULT_SIGNATURE_HEADER)
                    .description("Header that carries the signature (sha256=<hex>) when signing_secret is set"),
            ConfigField.of(CONNECT_TIMEOUT, FieldType.DURATION).defaultValue(Duration.ofSeconds(10))
                    .description("TCP and TLS connect timeout"),
            ConfigField.of(READ_TIMEOUT, FieldType.DURATION).defaultValue(Duration.ofSeconds(30))
                    .description("How long to wait for the endpoint's answer (and to write the body); a timeout"
                            + " is retried"));

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String displayName() {
        return "Webhook";
    }

    @Override
    public Set<String> supportedModes() {
        return Set.of(MODE_STREAM, MODE_BATCH);
    }

    @Override
    public List<ConfigField> configFields() {
        return FIELDS;
    }

    /**
     * The checks the field declarations cannot express: the URL's form, the batch size's range,
     * positive timeouts, and which headers may be set. Messages name fields and header names,
     * never a header value, a secret or the URL's query string.
     */
    @Override
    public List<ConfigProblem> validate(DestinationConfig config) {
        List<ConfigProblem> problems = new ArrayList<>();
        config.getString(URL).ifPresent(url -> checkUrl(url.trim(), problems));
        config.getLong(BATCH_SIZE).filter(v -> v < 1 || v > MAX_BATCH_SIZE).ifPresent(v -> problems.add(
                new ConfigProblem(BATCH_SIZE, "must be between 1 and " + MAX_BATCH_SIZE + ", not " + v)));
        checkPositive(config, CONNECT_TIMEOUT, problems);
        checkPositive(config, READ_TIMEOUT, problems);
        config.getSecret(BEARER_TOKEN).map(Secret::reveal).filter(t -> !HeaderRules.isSendableValue(t))
                .ifPresent(t -> problems.add(new ConfigProblem(BEARER_TOKEN, "contains a character that cannot be"
                        + " sent in an HTTP header (a control or non-ASCII character, e.g. a line break)")));

        boolean signing = config.getSecret(SIGNING_SECRET).isPresent();
        String signatureHeader = config.getString(SIGNATURE_HEADER).orElse(DEFAULT_SIGNATURE_HEADER).trim();
        if (!HeaderRules.isValidName(signatureHeader)) {
            problems.add(new ConfigProblem(SIGNATURE_HEADER, "'" + signatureHeader + "' is not a valid HTTP header"
                    + " name (letters, digits and !#$%&'*+-.^_`|~ only)"));
        } else if (HeaderRules.managedReason(signatureHeader).isPresent()
                || signatureHeader.equalsIgnoreCase("Authorization")
                || signatureHeader.equalsIgnoreCase(HeaderRules.TIMESTAMP_HEADER)) {
            problems.add(new ConfigProblem(SIGNATURE_HEADER, "cannot be '" + signatureHeader + "': that header is"
                    + " already used; choose another name such as " + DEFAULT_SIGNATURE_HEADER));
        }

        Map<String, String> seen = new HashMap<>();
        for (Map.Entry<String, String> header : config.getMap(HEADERS).entrySet()) {
            String name = header.getKey();
            String key = name.toLowerCase(Locale.ROOT);
            if (!HeaderRules.isValidName(name)) {
                problems.add(new ConfigProblem(HEADERS, "'" + name + "' is not a valid HTTP header name (letters,"
                        + " digits and !#$%&'*+-.^_`|~ only)"));
                continue;
            }
            String earlier = seen.putIfAbsent(key, name);
            if (earlier != null) {
                problems.add(new ConfigProblem(HEADERS, "'" + earlier + "' and '" + name + "' are the same header"
                        + " (names are case-insensitive); keep one"));
            }
            Optional<String> managed = HeaderRules.managedReason(name);
            if (managed.isPresent()) {
                problems.add(new ConfigProblem(HEADERS, "header '" + name + "' " + managed.get() + "; remove it"));
            } else if (key.equals("authorization") && config.getSecret(BEARER_TOKEN).isPresent()) {
                problems.add(new ConfigProblem(BEARER_TOKEN + ", " + HEADERS, "set either bearer_token or an"
                        + " Authorization header, not both"));
            } else if (signing && (key.equals(signatureHeader.toLowerCase(Locale.ROOT))
                    || key.equals(HeaderRules.TIMESTAMP_HEADER.toLowerCase(Locale.ROOT)))) {
                problems.add(new ConfigProblem(HEADERS, "header '" + name + "' is set by the request signature"
                        + " (signing_secret); remove it"));
            }
            if (!HeaderRules.isSendableValue(header.getValue())) {
                problems.add(new ConfigProblem(HEADERS, "the value of header '" + name + "' contains a character"
                        + " that cannot be sent in an HTTP header (a control or non-ASCII character, e.g. a line"
                        + " break); the value is not shown"));
            }
        }
        return problems;
    }

    /**
     * Creates the destination. Runs {@link #validate} again, so that a config that skipped it
     * fails here with the same messages, and builds the HTTP client; no network I/O.
     *
     * @throws InvalidConfigException when the config breaks a rule of {@link #validate}
     */
    @Override
    public Destination create(DestinationContext context) {
        List<ConfigProblem> problems = validate(context.config());
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
        return new WebhookDestination(WebhookConfig.from(context.config()), context);
    }

    private static void checkUrl(String url, List<ConfigProblem> problems) {
        String lower = url.toLowerCase(Locale.ROOT);
        // OkHttp alone would read http:///x as host "x": the authority must follow "//" directly.
        HttpUrl parsed = lower.matches("https?://[^/\\\\?#@].*") ? HttpUrl.parse(url) : null;
        if (parsed == null || parsed.host().isEmpty()) {
            // The value is not echoed: a webhook URL may carry a key in its query or path.
            problems.add(new ConfigProblem(URL, "must be " + URL_HINT + " (the value given is not shown)"));
            return;
        }
        if (!parsed.username().isEmpty() || !parsed.password().isEmpty()) {
            problems.add(new ConfigProblem(URL, "must not contain user:password@ (it would not be sent); use"
                    + " bearer_token or an Authorization header in headers"));
        }
    }

    private static void checkPositive(DestinationConfig config, String field, List<ConfigProblem> problems) {
        config.getDuration(field).filter(d -> d.isZero() || d.isNegative())
                .ifPresent(d -> problems.add(new ConfigProblem(field, "must be longer than 0")));
    }

    @Override
    public String toString() {
        return "WebhookDestinationFactory{type=" + TYPE + "}";
    }
}
