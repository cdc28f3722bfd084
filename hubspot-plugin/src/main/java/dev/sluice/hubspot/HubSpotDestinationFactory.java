package dev.sluice.hubspot;

import com.google.auto.service.AutoService;
import dev.sluice.api.Destination;
import dev.sluice.api.DestinationContext;
import dev.sluice.api.DestinationFactory;
import dev.sluice.api.config.ConfigField;
import dev.sluice.api.config.ConfigProblem;
import dev.sluice.api.config.DestinationConfig;
import dev.sluice.api.config.FieldType;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code hubspot} destination type: contacts by email and custom behavioral events, stream
 * mode only. Stateless and thread-safe; {@link #create} does no I/O.
 */
@AutoService(DestinationFactory.class)
public final class HubSpotDestinationFactory implements DestinationFactory {

    public static final String TYPE = "hubspot";

    static final String ACCESS_TOKEN = "access_token";
    static final String API_KEY = "api_key";
    static final String HUB_ID = "hub_id";
    static final String API_VERSION = "api_version";
    static final String BASE_URL = "base_url";
    static final String TRACK_BASE_URL = "track_base_url";
    static final String CONNECT_TIMEOUT = "connect_timeout";
    static final String REQUEST_TIMEOUT = "request_timeout";
    static final String REQUESTS_PER_10S = "requests_per_10s";
    static final String EVENT_NAMES = "event_names";
    static final String CATALOG_REFRESH = "catalog_refresh";
    static final String BATCH_SIZE = "batch_size";
    static final String PARALLEL_CALLS = "parallel_calls";
    static final int MAX_PARALLEL_CALLS = 10;

    /** HubSpot's batch endpoints take at most 100 inputs. */
    static final int MAX_BATCH_SIZE = 100;
    /** Far above any HubSpot plan's burst limit (190 per 10 s for the largest ones, per app). */
    static final int MAX_REQUESTS_PER_10S = 1_000;

    private static final List<ConfigField> FIELDS = List.of(
            ConfigField.of(ACCESS_TOKEN, FieldType.STRING).asSecret()
                    .description("Bearer token: a private-app access token, a service key or an OAuth access token,"
                            + " with the scopes crm.objects.contacts.write, crm.schemas.contacts.read and"
                            + " analytics.behavioral_events.send"),
            ConfigField.of(API_KEY, FieldType.STRING).asSecret().deprecated(ACCESS_TOKEN)
                    .description("Legacy HubSpot API key, sent as the hapikey query parameter; HubSpot has refused"
                            + " API keys since 2022-11-30: use access_token"),
            ConfigField.of(HUB_ID, FieldType.STRING).asRequired().pattern("[0-9]+", "digits only")
                    .description("Your HubSpot Hub ID (portal id), e.g. 20546336"),
            ConfigField.of(API_VERSION, FieldType.STRING)
                    .allowedValues(ApiVersion.V2026_03.configValue(), ApiVersion.V3.configValue(),
                            ApiVersion.LEGACY.configValue())
                    .defaultValue(ApiVersion.V2026_03.configValue())
                    .description("HubSpot API generation: 2026-03 (date-versioned, default), v3, or legacy for"
                            + " Jitsu Classic's exact calls (contacts v1 and the track.hubspot.com pixel)"),
            ConfigField.of(BASE_URL, FieldType.STRING).defaultValue("https://api.hubapi.com")
                    .description("HubSpot API root URL (change it only for the emulator or tests)"),
            ConfigField.of(TRACK_BASE_URL, FieldType.STRING).defaultValue("https://track.hubspot.com")
                    .description("Root URL of the legacy event pixel, used with api_version legacy"),
            ConfigField.of(CONNECT_TIMEOUT, FieldType.DURATION).defaultValue(Duration.ofSeconds(10))
                    .description("TCP connect timeout for calls to HubSpot"),
            ConfigField.of(REQUEST_TIMEOUT, FieldType.DURATION).defaultValue(Duration.ofSeconds(30))
                    .description("Timeout for a whole call to HubSpot, from connect to the end of the answer"),
            ConfigField.of(REQUESTS_PER_10S, FieldType.INTEGER).defaultValue(100L)
                    .description("Requests per rolling 10 seconds allowed per access token (100 is the lowest"
                            + " HubSpot plan's limit); tightened further by HubSpot's rate-limit headers"),
            ConfigField.of(EVENT_NAMES, FieldType.MAP)
                    .description("Explicit mapping from event_type to a HubSpot event name, fully qualified"
                            + " (pe20546336_purchase) or short (purchase)"),
            ConfigField.of(CATALOG_REFRESH, FieldType.DURATION).defaultValue(Duration.ofSeconds(60))
                    .description("How often the contact property catalog and event definitions are re-read"),
            ConfigField.of(BATCH_SIZE, FieldType.INTEGER).defaultValue((long) MAX_BATCH_SIZE)
                    .description("Inputs per HubSpot batch call, 1 to 100"),
            ConfigField.of(PARALLEL_CALLS, FieldType.INTEGER).defaultValue(8L)
                    .description("Batch calls in flight at once for one destination, 1 to 10: one at a time cannot"
                            + " use HubSpot's budget at real call latencies; the rate limit still paces them all"));

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String displayName() {
        return "HubSpot";
    }

    /** The default filter: events with an email at {@code /user/email||/eventn_ctx/user/email}. */
    public static final String DEFAULT_TABLE_NAME_TEMPLATE = "$.user?.email ?? $.eventn_ctx?.user?.email";

    @Override
    public Set<String> supportedModes() {
        return Set.of(MODE_STREAM);
    }

    @Override
    public List<ConfigField> configFields() {
        return FIELDS;
    }

    /**
     * Keeps events with an email where the plugin reads it: {@code user.email} (flat events, as
     * Jitsu Classic's default {@code $.user?.email}) or {@code eventn_ctx.user.email} (compat-mode
     * clients), so compat-mode events are not skipped by default.
     */
    @Override
    public Optional<String> defaultTableNameTemplate() {
        return Optional.of(DEFAULT_TABLE_NAME_TEMPLATE);
    }

    @Override
    public List<ConfigProblem> validate(DestinationConfig config) {
        List<ConfigProblem> problems = new ArrayList<>();
        if (config.getSecret(ACCESS_TOKEN).isEmpty() && config.getSecret(API_KEY).isEmpty()) {
            problems.add(new ConfigProblem(ACCESS_TOKEN + ", " + API_KEY, "'access_token' or 'api_key' must be provided"));
        }
        checkUrl(config, BASE_URL, problems);
        checkUrl(config, TRACK_BASE_URL, problems);
        checkPositive(config, CONNECT_TIMEOUT, problems);
        checkPositive(config, REQUEST_TIMEOUT, problems);
        checkPositive(config, CATALOG_REFRESH, problems);
        checkRange(config, REQUESTS_PER_10S, 1, MAX_REQUESTS_PER_10S, problems);
        checkRange(config, BATCH_SIZE, 1, MAX_BATCH_SIZE, problems);
        checkRange(config, PARALLEL_CALLS, 1, MAX_PARALLEL_CALLS, problems);
        for (Map.Entry<String, String> e : config.getMap(EVENT_NAMES).entrySet()) {
            if (e.getValue().isBlank()) {
                problems.add(new ConfigProblem(EVENT_NAMES, "the HubSpot event name for '" + e.getKey()
                        + "' must not be empty"));
            }
        }
        return problems;
    }

    @Override
    public Destination create(DestinationContext context) {
        return HubSpotDestinationAssembler.assemble(context, settings(context.config()));
    }

    /** The typed settings of a config that passed {@link DestinationConfig#validate} and {@link #validate}. */
    public static HubSpotSettings settings(DestinationConfig config) {
        return new HubSpotSettings(
                config.getSecret(ACCESS_TOKEN),
                config.getSecret(API_KEY),
                config.getString(HUB_ID).orElseThrow(),
                ApiVersion.fromConfig(config.getString(API_VERSION).orElse(ApiVersion.V2026_03.configValue())),
                stripTrailingSlash(config.getString(BASE_URL).orElseThrow()),
                stripTrailingSlash(config.getString(TRACK_BASE_URL).orElseThrow()),
                config.getDuration(CONNECT_TIMEOUT).orElseThrow(),
                config.getDuration(REQUEST_TIMEOUT).orElseThrow(),
                Math.toIntExact(config.getLong(REQUESTS_PER_10S).orElseThrow()),
                config.getMap(EVENT_NAMES),
                config.getDuration(CATALOG_REFRESH).orElseThrow(),
                Math.toIntExact(config.getLong(BATCH_SIZE).orElseThrow()),
                Math.toIntExact(config.getLong(PARALLEL_CALLS).orElseThrow()));
    }

    private static String stripTrailingSlash(String url) {
        String trimmed = url.trim();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed;
    }

    private static void checkUrl(DestinationConfig config, String field, List<ConfigProblem> problems) {
        Optional<String> value = config.getString(field);
        if (value.isEmpty()) {
            return;
        }
        String text = value.get().trim();
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null
                    || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                problems.add(new ConfigProblem(field, "must be an http or https URL such as https://api.hubapi.com,"
                        + " not '" + text + "'"));
            }
        } catch (URISyntaxException e) {
            problems.add(new ConfigProblem(field, "must be an http or https URL such as https://api.hubapi.com,"
                    + " not '" + text + "'"));
        }
    }

    private static void checkPositive(DestinationConfig config, String field, List<ConfigProblem> problems) {
        config.getDuration(field).filter(d -> d.isZero() || d.isNegative())
                .ifPresent(d -> problems.add(new ConfigProblem(field, "must be longer than 0")));
    }

    private static void checkRange(DestinationConfig config, String field, long min, long max,
                                   List<ConfigProblem> problems) {
        config.getLong(field).filter(v -> v < min || v > max)
                .ifPresent(v -> problems.add(new ConfigProblem(field, "must be between " + min + " and " + max
                        + ", not " + v)));
    }
}
