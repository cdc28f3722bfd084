package dev.sluice.hubspot;

import dev.sluice.api.DestinationFactory;
import dev.sluice.api.config.ConfigField;
import dev.sluice.api.config.ConfigProblem;
import dev.sluice.api.config.DestinationConfig;
import dev.sluice.api.config.InvalidConfigException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HubSpotDestinationFactoryTest {

    private static final String TOKEN = "pat-na1-11111111-2222-3333-4444-555555555555";
    private static final String KEY = "hapi-key-secret-value-123";

    private final HubSpotDestinationFactory factory = new HubSpotDestinationFactory();

    private static Map<String, Object> raw(Object... pairs) {
        Map<String, Object> map = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }

    private DestinationConfig config(Map<String, Object> raw) {
        return DestinationConfig.validate(factory.configFields(), raw);
    }

    private List<ConfigProblem> problems(Map<String, Object> raw) {
        return factory.validate(config(raw));
    }

    @Test
    void isFoundByPlainClasspathServiceLoader() {
        List<DestinationFactory> found = ServiceLoader.load(DestinationFactory.class).stream()
                .map(ServiceLoader.Provider::get).toList();
        assertThat(found).anySatisfy(f -> {
            assertThat(f).isInstanceOf(HubSpotDestinationFactory.class);
            assertThat(f.type()).isEqualTo("hubspot");
        });
    }

    @Test
    void supportsStreamModeOnlyWithClearMessageForBatch() {
        assertThat(factory.supportedModes()).containsExactly("stream");
        assertThat(factory.displayName()).isEqualTo("HubSpot");
        assertThat(factory.unsupportedModeMessage("batch"))
                .isEqualTo("HubSpot destination doesn't support batch mode; supported: stream");
    }

    @Test
    void defaultTemplateSkipsEventsWithoutTopLevelUserEmail() {
        assertThat(factory.defaultTableNameTemplate()).contains("$.user?.email ?? $.eventn_ctx?.user?.email");
    }

    @Test
    void declaresEveryFieldWithSecretsMasked() {
        Map<String, ConfigField> fields = new HashMap<>();
        factory.configFields().forEach(f -> fields.put(f.name(), f));
        assertThat(fields.keySet()).containsExactlyInAnyOrder("access_token", "api_key", "hub_id", "api_version",
                "base_url", "track_base_url", "connect_timeout", "request_timeout", "requests_per_10s",
                "event_names", "catalog_refresh", "batch_size", "parallel_calls");
        assertThat(fields.get("access_token").secret()).isTrue();
        assertThat(fields.get("access_token").description())
                .contains("crm.objects.contacts.write", "crm.schemas.contacts.read", "analytics.behavioral_events.send");
        assertThat(fields.get("api_key").secret()).isTrue();
        assertThat(fields.get("api_key").deprecation()).contains("access_token");
        assertThat(fields.get("hub_id").required()).isTrue();
        assertThat(fields.get("api_version").allowedValues()).containsExactly("2026-03", "v3", "legacy");
    }

    @Test
    void appliesDefaults() {
        HubSpotSettings s = HubSpotDestinationFactory.settings(config(raw("access_token", TOKEN, "hub_id", "20546336")));
        assertThat(s.accessToken()).isPresent();
        assertThat(s.accessToken().get().reveal()).isEqualTo(TOKEN);
        assertThat(s.apiKey()).isEmpty();
        assertThat(s.hubId()).isEqualTo("20546336");
        assertThat(s.apiVersion()).isEqualTo(ApiVersion.V2026_03);
        assertThat(s.baseUrl()).isEqualTo("https://api.hubapi.com");
        assertThat(s.trackBaseUrl()).isEqualTo("https://track.hubspot.com");
        assertThat(s.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.requestTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.requestsPer10s()).isEqualTo(100);
        assertThat(s.eventNames()).isEmpty();
        assertThat(s.catalogRefresh()).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.batchSize()).isEqualTo(100);
    }

    @Test
    void readsEveryGivenValue() {
        HubSpotSettings s = HubSpotDestinationFactory.settings(config(raw(
                "api_key", KEY, "hub_id", 20546336L, "api_version", "legacy",
                "base_url", "http://127.0.0.1:8080/", "track_base_url", "http://127.0.0.1:8081",
                "connect_timeout", "2s", "request_timeout", "5s", "requests_per_10s", 50,
                "event_names", Map.of("purchase", "pe20546336_order_done"), "catalog_refresh", "5m",
                "batch_size", "10")));
        assertThat(s.accessToken()).isEmpty();
        assertThat(s.apiKey().orElseThrow().reveal()).isEqualTo(KEY);
        assertThat(s.hubId()).isEqualTo("20546336");
        assertThat(s.apiVersion()).isEqualTo(ApiVersion.LEGACY);
        assertThat(s.baseUrl()).isEqualTo("http://127.0.0.1:8080");
        assertThat(s.trackBaseUrl()).isEqualTo("http://127.0.0.1:8081");
        assertThat(s.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(s.requestTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.requestsPer10s()).isEqualTo(50);
        assertThat(s.eventNames()).containsExactly(Map.entry("purchase", "pe20546336_order_done"));
        assertThat(s.catalogRefresh()).isEqualTo(Duration.ofMinutes(5));
        assertThat(s.batchSize()).isEqualTo(10);
        assertThat(s.toString()).doesNotContain(KEY).contains("api_key=****");
    }

    @Test
    void acceptsValidConfigWithoutProblems() {
        assertThat(problems(raw("access_token", TOKEN, "hub_id", "20546336"))).isEmpty();
        assertThat(problems(raw("api_key", KEY, "hub_id", "20546336"))).isEmpty();
    }

    @Test
    void requiresAccessTokenOrApiKey() {
        assertThat(problems(raw("hub_id", "20546336")))
                .containsExactly(new ConfigProblem("access_token, api_key", "'access_token' or 'api_key' must be provided"));
    }

    @Test
    void requiresNumericHubId() {
        assertThatThrownBy(() -> config(raw("access_token", TOKEN)))
                .isInstanceOfSatisfying(InvalidConfigException.class, e ->
                        assertThat(e.problems()).extracting(ConfigProblem::field).containsExactly("hub_id"));
        assertThatThrownBy(() -> config(raw("access_token", TOKEN, "hub_id", "abc123")))
                .isInstanceOfSatisfying(InvalidConfigException.class, e ->
                        assertThat(e.problems()).singleElement().satisfies(p -> {
                            assertThat(p.field()).isEqualTo("hub_id");
                            assertThat(p.message()).contains("digits only");
                        }));
    }

    @Test
    void refusesUnknownApiVersion() {
        assertThatThrownBy(() -> config(raw("access_token", TOKEN, "hub_id", "1", "api_version", "v4")))
                .isInstanceOfSatisfying(InvalidConfigException.class, e ->
                        assertThat(e.problems()).singleElement().satisfies(p -> {
                            assertThat(p.field()).isEqualTo("api_version");
                            assertThat(p.message()).contains("2026-03, v3, legacy");
                        }));
    }

    @Test
    void refusesUrlsThatAreNotHttp() {
        List<ConfigProblem> problems = problems(raw("access_token", TOKEN, "hub_id", "1",
                "base_url", "ftp://example.com", "track_base_url", "not a url"));
        assertThat(problems).extracting(ConfigProblem::field).containsExactly("base_url", "track_base_url");
        assertThat(problems.get(0).message()).contains("http or https URL", "ftp://example.com");
        assertThat(problems(raw("access_token", TOKEN, "hub_id", "1", "base_url", "https://"))).hasSize(1);
    }

    @Test
    void checksRanges() {
        List<ConfigProblem> problems = problems(raw("access_token", TOKEN, "hub_id", "1",
                "batch_size", 101, "requests_per_10s", 0, "connect_timeout", "0s", "request_timeout", "0ms",
                "catalog_refresh", "0s"));
        assertThat(problems).extracting(ConfigProblem::field).containsExactlyInAnyOrder("batch_size",
                "requests_per_10s", "connect_timeout", "request_timeout", "catalog_refresh");
        assertThat(problems).filteredOn(p -> p.field().equals("batch_size")).singleElement()
                .extracting(ConfigProblem::message).isEqualTo("must be between 1 and 100, not 101");
        assertThat(problems(raw("access_token", TOKEN, "hub_id", "1", "batch_size", 0)))
                .extracting(ConfigProblem::field).containsExactly("batch_size");
        assertThat(problems(raw("access_token", TOKEN, "hub_id", "1", "batch_size", 1, "requests_per_10s", 1)))
                .isEmpty();
    }

    @Test
    void refusesEmptyEventNameMapping() {
        assertThat(problems(raw("access_token", TOKEN, "hub_id", "1", "event_names", Map.of("purchase", " "))))
                .singleElement().satisfies(p -> {
                    assertThat(p.field()).isEqualTo("event_names");
                    assertThat(p.message()).contains("purchase");
                });
    }

    @Test
    void createBuildsADestinationWithoutNetworkIo() throws Exception {
        try (mockwebserver3.MockWebServer server = new mockwebserver3.MockWebServer()) {
            server.start(java.net.InetAddress.getByName("127.0.0.1"), 0);
            String root = server.url("/").toString();
            DestinationConfig config = config(raw("access_token", TOKEN, "hub_id", "20546336", "base_url", root,
                    "batch_size", 25, "parallel_calls", 3));
            try (dev.sluice.api.Destination destination = factory.create(
                    dev.sluice.api.DestinationContext.of("crm", "stream", config, java.time.Clock.systemUTC()))) {
                // two batch calls' worth per parallel call
                assertThat(destination.maxBatchSize()).isEqualTo(150);
                assertThat(destination.toString()).doesNotContain(TOKEN);
            }
            assertThat(server.getRequestCount()).isZero();
        }
    }

    @Test
    void neverShowsTheTokenOrKey() {
        DestinationConfig config = config(raw("access_token", TOKEN, "api_key", KEY, "hub_id", "20546336",
                "base_url", "gopher://x"));
        assertThat(config.toString()).doesNotContain(TOKEN, KEY);
        HubSpotSettings settings = HubSpotDestinationFactory.settings(config);
        assertThat(settings.toString()).doesNotContain(TOKEN, KEY);
        assertThat(factory.validate(config)).isNotEmpty()
                .allSatisfy(p -> assertThat(p.toString()).doesNotContain(TOKEN, KEY));
        // a secret given where a non-secret is expected
        assertThatThrownBy(() -> config(raw("access_token", Map.of("x", TOKEN), "hub_id", "1")))
                .isInstanceOf(InvalidConfigException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(TOKEN));
        factory.configFields().forEach(f -> assertThat(f.toString()).doesNotContain(TOKEN, KEY));
    }
}
