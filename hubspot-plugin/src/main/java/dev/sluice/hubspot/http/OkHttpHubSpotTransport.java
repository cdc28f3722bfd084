package dev.sluice.hubspot.http;

import dev.sluice.api.DestinationContext;
import dev.sluice.api.DestinationMetrics;
import dev.sluice.api.config.Secret;
import dev.sluice.hubspot.HubSpotSettings;
import dev.sluice.hubspot.credential.CredentialKey;
import dev.sluice.hubspot.credential.SharedPerCredential;
import dev.sluice.hubspot.ratelimit.RateLimiter;
import dev.sluice.hubspot.ratelimit.SharedRateLimiters;
import dev.sluice.hubspot.ratelimit.Sleeper;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.lang.System.Logger.Level;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;

/**
 * {@link HubSpotTransport} over OkHttp. Adds {@code Authorization: Bearer <access_token>} (or, for
 * the deprecated {@code api_key} alone, the URL-encoded {@code hapikey} query parameter), a
 * {@code User-Agent} naming Sluice, and the configured timeouts; paces API calls with the
 * credential's shared {@link RateLimiter} and feeds it HubSpot's rate-limit headers and 429s.
 * Calls to the legacy pixel ({@link HubSpotRequest.Target#TRACK}, unauthenticated) carry no
 * credentials and are never paced. The custom behavioral event sends ({@link HubSpotRequest#metered()}
 * false: HubSpot's OpenAPI marks them exempt from its limits) are not paced either, so a DAILY limit on
 * the CRM APIs does not hold back events, until a portal shows that it counts them (an answer with
 * {@code X-HubSpot-RateLimit-*} headers or a 429): from then on the credential's limiter paces them
 * with every other call ({@link RateLimiter#exemptCallsCounted()}), learned from the answers, no setting.
 *
 * <p>Secrets never leave this class: exception messages and answer bodies are masked, and the
 * original OkHttp exception (whose message may hold the URL) is not kept as a cause.
 */
public final class OkHttpHubSpotTransport implements HubSpotTransport {

    /** {@code Sluice-HubSpot/<plugin version> (+https://github.com/sluice)}. */
    public static final String USER_AGENT = "Sluice-HubSpot/" + pluginVersion() + " (+https://github.com/sluice)";

    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
    private static final String MASK = "****";
    /** Waits for the limiter shorter than this are not reported as rate-limit waits. */
    private static final Duration REPORTED_WAIT = Duration.ofMillis(1);

    private final HubSpotSettings settings;
    private final RateLimiter limiter;
    private final AutoCloseable limiterLease;
    private final SharedHttpClients.Lease clientLease;
    private final RetrySchedule schedule;
    private final Optional<String> bearer;
    private final Optional<String> hapikey;
    private final List<String> secretForms = new ArrayList<>();
    private final DestinationMetrics metrics;
    private final Clock clock;
    private volatile boolean closed;

    private OkHttpHubSpotTransport(HubSpotSettings settings, RateLimiter limiter, AutoCloseable limiterLease,
                                   Clock clock, System.Logger logger, DestinationMetrics metrics) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.limiter = Objects.requireNonNull(limiter, "limiter");
        this.limiterLease = limiterLease;
        this.schedule = new RetrySchedule(clock);
        this.bearer = settings.accessToken().map(Secret::reveal);
        this.hapikey = bearer.isPresent() ? Optional.empty() : settings.apiKey().map(Secret::reveal);
        bearer.ifPresent(secretForms::add);
        settings.apiKey().map(Secret::reveal).ifPresent(key -> {
            secretForms.add(key);
            secretForms.add(encode(key));
            secretForms.add(URLEncoder.encode(key, StandardCharsets.UTF_8));
        });
        secretForms.removeIf(String::isEmpty);
        this.clientLease = SharedHttpClients.lease(credentialKey(settings), settings.connectTimeout(),
                settings.requestTimeout());
        if (settings.apiKey().isPresent()) {
            logger.log(Level.WARNING, bearer.isPresent()
                    ? "api_key is deprecated and ignored because access_token is set; remove api_key"
                    : "api_key is deprecated: HubSpot has refused API keys since 2022-11-30. Create a private app"
                            + " and set access_token instead");
        }
    }

    /**
     * The transport of one destination: the credential's shared limiter (paced to
     * {@code requests_per_10s}) and connection pool, the destination's clock and logger.
     */
    public static OkHttpHubSpotTransport create(HubSpotSettings settings, DestinationContext context) {
        SharedPerCredential.Lease<RateLimiter> lease = SharedRateLimiters.lease(credentialKey(settings),
                settings.requestsPer10s(), context.clock(), Sleeper.SYSTEM);
        return new OkHttpHubSpotTransport(settings, lease.value(), lease, context.clock(), context.logger(),
                context.metrics());
    }

    /** A transport paced by the given limiter, not shared (for tests and tools). */
    public static OkHttpHubSpotTransport withLimiter(HubSpotSettings settings, RateLimiter limiter, Clock clock,
                                                     System.Logger logger) {
        return new OkHttpHubSpotTransport(settings, limiter, null, clock, logger, DestinationMetrics.NONE);
    }

    /** A transport paced by the given limiter, not shared, reporting its calls to {@code metrics}. */
    public static OkHttpHubSpotTransport withLimiter(HubSpotSettings settings, RateLimiter limiter, Clock clock,
                                                     System.Logger logger, DestinationMetrics metrics) {
        return new OkHttpHubSpotTransport(settings, limiter, null, clock, logger, metrics);
    }

    /** The key of the credential the transport sends: the token when set, else the API key. */
    public static CredentialKey credentialKey(HubSpotSettings settings) {
        return settings.accessToken().map(t -> CredentialKey.of("bearer", t.reveal()))
                .orElseGet(() -> CredentialKey.of("hapikey", settings.apiKey().orElseThrow().reveal()));
    }

    /** The limiter pacing this transport's API calls. */
    public RateLimiter limiter() {
        return limiter;
    }

    @Override
    public HubSpotResponse send(HubSpotRequest request) throws IOException, InterruptedException {
        Objects.requireNonNull(request, "request");
        if (closed) {
            throw new IllegalStateException("transport is closed");
        }
        Request call = build(request);
        boolean paced = request.metered() || (request.target() == HubSpotRequest.Target.API
                && request.authenticated() && limiter.exemptCallsCounted());
        RateLimiter.Permit permit = null;
        if (paced) {
            Instant before = clock.instant();
            permit = limiter.acquire();
            Duration waited = Duration.between(before, clock.instant());
            // Taking a free slot costs microseconds; only a real wait (on the limiter's clock) is reported.
            if (waited.compareTo(REPORTED_WAIT) >= 0) {
                metrics.rateLimitWait(waited);
            }
        }
        try (Response response = clientLease.client().newCall(call).execute()) {
            if (permit != null) {
                // HubSpot has received the call once its answer starts: the slot's window runs from here,
                // not from the end of reading the body.
                permit.release();
            }
            metrics.callAnswered(response.code());
            HubSpotResponse answer = new HubSpotResponse(response.code(), response.headers().toMultimap(),
                    mask(readBody(response.body())));
            if (paced) {
                observe(permit, answer);
            } else if (request.target() == HubSpotRequest.Target.API && request.authenticated()
                    && countsAgainstLimits(answer)) {
                // HubSpot documents this call as exempt, but this portal counts it: pace such calls
                // from now on, with the same limiter, and take in what the answer says.
                limiter.exemptCallsAreCounted();
                observe(null, answer);
            }
            return answer;
        } catch (IOException e) {
            metrics.callFailed();
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while calling HubSpot " + describe(request));
            }
            throw sanitised(e, request);
        } finally {
            if (permit != null) {
                permit.release();
            }
        }
    }

    /** An answer that shows HubSpot counted the call: a 429, or rate-limit headers. */
    static boolean countsAgainstLimits(HubSpotResponse answer) {
        return answer.status() == 429 || answer.header("X-HubSpot-RateLimit-Remaining").isPresent()
                || answer.header("X-HubSpot-RateLimit-Max").isPresent();
    }

    private Request build(HubSpotRequest request) throws CallFailedException {
        String root = request.target() == HubSpotRequest.Target.API ? settings.baseUrl() : settings.trackBaseUrl();
        HttpUrl url = HttpUrl.parse(root + request.pathAndQuery());
        if (url == null) {
            throw new CallFailedException(CallFailedException.Kind.OTHER, "not a valid URL for HubSpot call "
                    + describe(request));
        }
        Request.Builder builder = new Request.Builder().header("User-Agent", USER_AGENT);
        if (request.authenticated()) {
            if (bearer.isPresent()) {
                builder.header("Authorization", "Bearer " + bearer.get());
            } else if (hapikey.isPresent()) {
                url = url.newBuilder().addEncodedQueryParameter("hapikey", encode(hapikey.get())).build();
            }
        }
        builder.url(url);
        if (request.target() == HubSpotRequest.Target.API) {
            builder.header("Accept", "application/json");
        }
        RequestBody body = request.jsonBody().map(json -> RequestBody.create(json, JSON)).orElse(null);
        if (body == null && (request.method().equals("POST") || request.method().equals("PUT")
                || request.method().equals("PATCH"))) {
            body = RequestBody.create(new byte[0], JSON);
        }
        return builder.method(request.method(), body).build();
    }

    private void observe(RateLimiter.Permit permit, HubSpotResponse answer) {
        limiter.observe(permit, intHeader(answer, "X-HubSpot-RateLimit-Max"), intHeader(answer, "X-HubSpot-RateLimit-Remaining"),
                RetrySchedule.interval(answer));
        if (answer.status() == 429) {
            limiter.pauseUntil(schedule.afterRateLimit(answer));
        }
        OptionalInt dailyRemaining = intHeader(answer, "X-HubSpot-RateLimit-Daily-Remaining");
        if (dailyRemaining.isPresent() && dailyRemaining.getAsInt() <= 0) {
            limiter.pauseUntil(RetrySchedule.nextFullHour(schedule.now()));
        }
    }

    private static OptionalInt intHeader(HubSpotResponse answer, String name) {
        return RetrySchedule.intHeader(answer, name).map(OptionalInt::of).orElse(OptionalInt.empty());
    }

    private static String readBody(ResponseBody body) throws IOException {
        return body == null ? "" : body.string();
    }

    CallFailedException sanitised(IOException e, HubSpotRequest request) {
        CallFailedException.Kind kind;
        if (e instanceof SocketTimeoutException
                || (e instanceof InterruptedIOException && "timeout".equalsIgnoreCase(String.valueOf(e.getMessage())))) {
            kind = CallFailedException.Kind.TIMEOUT;
        } else if (e instanceof ConnectException || e instanceof UnknownHostException
                || e instanceof NoRouteToHostException || e instanceof SocketException) {
            kind = CallFailedException.Kind.CONNECTION;
        } else {
            kind = CallFailedException.Kind.OTHER;
        }
        String detail = e.getMessage() == null ? "" : ": " + mask(e.getMessage());
        CallFailedException failure = new CallFailedException(kind, e.getClass().getSimpleName() + " calling HubSpot "
                + describe(request) + detail);
        failure.setStackTrace(e.getStackTrace());
        return failure;
    }

    /** Method, target and path, without the query, and with path segments that hold an email masked. */
    static String describe(HubSpotRequest request) {
        String path = request.pathAndQuery().replaceAll("\\?.*", "");
        path = path.replaceAll("[^/]*(@|%40)[^/]*", "{email}");
        return request.method() + " " + request.target() + " " + path;
    }

    private String mask(String text) {
        String masked = text;
        for (String secret : secretForms) {
            if (masked.contains(secret)) {
                masked = masked.replace(secret, MASK);
            }
        }
        return masked;
    }

    /** URL-encodes a query value; spaces as {@code %20}, never {@code +}. */
    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        clientLease.close();
        if (limiterLease != null) {
            try {
                limiterLease.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing the rate limiter lease failed", e);
            }
        }
    }

    @Override
    public String toString() {
        return "OkHttpHubSpotTransport{" + settings + "}";
    }

    private static String pluginVersion() {
        try (InputStream in = OkHttpHubSpotTransport.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version", "");
                if (!v.isBlank() && !v.startsWith("${")) {
                    return v.trim();
                }
            }
        } catch (IOException e) {
            // fall through to the default below
        }
        return "dev";
    }
}
