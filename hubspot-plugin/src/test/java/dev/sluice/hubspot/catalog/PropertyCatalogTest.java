package dev.sluice.hubspot.catalog;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.api.DestinationException;
import dev.sluice.hubspot.ApiVersion;
import dev.sluice.hubspot.http.OkHttpHubSpotTransport;
import dev.sluice.hubspot.http.RecordingLogger;
import dev.sluice.hubspot.http.TestSettings;
import dev.sluice.hubspot.ratelimit.MutableClock;
import dev.sluice.hubspot.ratelimit.RateLimiter;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.sluice.hubspot.http.TestSettings.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PropertyCatalogTest {

    private static final Instant START = Instant.parse("2026-03-02T10:00:00Z");
    private static final Duration REFRESH = Duration.ofSeconds(60);

    private final MockWebServer server = new MockWebServer();
    private final MutableClock clock = new MutableClock(START);
    private final RecordingLogger logger = new RecordingLogger();
    private OkHttpHubSpotTransport transport;

    @BeforeEach
    void start() throws IOException {
        server.start(InetAddress.getByName("127.0.0.1"), 0);
    }

    @AfterEach
    void stop() {
        if (transport != null) {
            transport.close();
        }
        server.close();
    }

    private PropertyCatalog catalog(ApiVersion version) {
        return catalog(version, dev.sluice.api.DestinationMetrics.NONE);
    }

    private PropertyCatalog catalog(ApiVersion version, dev.sluice.api.DestinationMetrics metrics) {
        transport = OkHttpHubSpotTransport.withLimiter(TestSettings.bearer(TestSettings.root(server), version),
                RateLimiter.per10Seconds(100, clock, clock), clock, logger);
        return new PropertyCatalog(transport, version, REFRESH, clock, logger, metrics);
    }

    private void enqueueFixture() {
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                .body(Fixtures.read("contact-properties.json")).build());
    }

    private void enqueue(int status, String body) {
        server.enqueue(new MockResponse.Builder().code(status).addHeader("Content-Type", "application/json")
                .body(body).build());
    }

    private RecordedRequest take() throws InterruptedException {
        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request).as("a request reached the server").isNotNull();
        return request;
    }

    private static Map<String, Object> user(Object... pairs) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }

    @Test
    void readsTheDateVersionedPropertyListWithTheToken() throws Exception {
        enqueueFixture();
        PropertyCatalog catalog = catalog(ApiVersion.V2026_03);
        catalog.load();
        RecordedRequest request = take();
        assertThat(request.getMethod()).isEqualTo("GET");
        assertThat(request.getTarget()).isEqualTo("/crm/properties/2026-03/contacts");
        assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);
        assertThat(request.getHeaders().get("User-Agent")).startsWith("Sluice-HubSpot/");
        assertThat(catalog.properties()).containsKeys("email", "firstname", "lifecyclestage", "signup_date")
                .hasSize(39);
    }

    @Test
    void readsTheV3PropertyList() throws Exception {
        enqueueFixture();
        catalog(ApiVersion.V3).load();
        assertThat(take().getTarget()).isEqualTo("/crm/v3/properties/contacts");
    }

    @Test
    void readsTheLegacyBareArray() throws Exception {
        ObjectMapper json = new ObjectMapper();
        String modern = Fixtures.read("contact-properties.json");
        String bareArray = json.writeValueAsString(json.readTree(modern).get("results"));
        enqueue(200, bareArray.replace("\"name\":\"company\",", "\"name\":\"company\",\"readOnlyValue\":true,"));
        PropertyCatalog catalog = catalog(ApiVersion.LEGACY);
        catalog.load();
        assertThat(take().getTarget()).isEqualTo("/properties/v1/contacts/properties");
        assertThat(catalog.properties()).hasSize(39);
        assertThat(catalog.properties().get("company").readOnly()).as("top-level readOnlyValue of v1").isTrue();
    }

    @Test
    void mapsNormalisedKeysToWritablePropertiesInKeyOrder() throws Exception {
        enqueueFixture();
        PropertyCatalog catalog = catalog(ApiVersion.V2026_03);
        catalog.load();
        MappedProperties mapped = catalog.map(user(
                "email", "john@example.com",
                "firstName", "John",
                "Last-Name", "Doe",
                "First Name", "Johnny",
                " Company ", "Acme",
                "Lifecycle Stage", "Customer",
                "lifecyclestage", "Sales Qualified Lead",
                "seats", "12",
                "signup_date", "2015-05-01",
                "is_paying", "yes",
                "favorite_features", List.of("Reports", "exports"),
                "last_login", "2026-01-20T21:14:16.512Z"));
        assertThat(mapped.properties()).containsExactly(
                Map.entry("email", "john@example.com"),
                Map.entry("firstname", "John"),
                Map.entry("company", "Acme"),
                Map.entry("lifecyclestage", "salesqualifiedlead"),
                Map.entry("seats", "12"),
                Map.entry("signup_date", "1430438400000"),
                Map.entry("is_paying", "true"),
                Map.entry("favorite_features", "reports;exports"),
                Map.entry("last_login", "1768943656512"));
        assertThat(mapped.dropped()).containsExactly(
                "'Last-Name': no such contact property",
                "'First Name': no such contact property",
                "'Lifecycle Stage': no such contact property");
    }

    @Test
    void droppedKeysAreCountedAndEachLoggedOnceWithTheClosestPropertyName() throws Exception {
        enqueueFixture();
        Map<String, Integer> reported = new java.util.TreeMap<>();
        PropertyCatalog catalog = catalog(ApiVersion.V2026_03, new dev.sluice.api.DestinationMetrics() {
            @Override
            public void valueDropped(String field, String reason) {
                reported.merge(field + ": " + reason, 1, Integer::sum);
            }
        });
        catalog.load();
        for (int i = 0; i < 3; i++) {
            catalog.map(user("email", "a@example.com", "Last Name", "Lovelace", "hs_object_id", "1",
                    "seats", "not-a-number", "anonymous_id", "anon-1"));
        }
        catalog.map(user("Shoe Size", 38L));

        assertThat(catalog.droppedUserKeys().counts()).containsExactly(
                Map.entry("Last Name", 3L), Map.entry("Shoe Size", 1L), Map.entry("anonymous_id", 3L),
                Map.entry("hs_object_id", 3L));
        assertThat(catalog.droppedUserKeys().total()).isEqualTo(10);
        List<String> warnings = logger.entries().stream().filter(e -> e.level() == System.Logger.Level.WARNING)
                .map(RecordingLogger.Entry::message).toList();
        assertThat(warnings).containsExactly(
                "User key 'Last Name' (as HubSpot name 'last_name') is left out of HubSpot contact properties: no such"
                        + " contact property. Did you mean 'lastname'? Send that key instead (e.g. jitsu('id',"
                        + " {lastname: ...})) or create the property in HubSpot. Logged once per key; later drops"
                        + " are only counted.",
                "User key 'hs_object_id' is left out of HubSpot contact properties: contact property 'hs_object_id'"
                        + " is read-only. Logged once per key; later drops are only counted.",
                "Values of contact property 'seats' (number) are dropped: not a number. Logged once per property and"
                        + " reason; counted in /api/v1/stats and /metrics (dropped_values)",
                "User key 'Shoe Size' (as HubSpot name 'shoe_size') is left out of HubSpot contact properties: no such"
                        + " contact property. Logged once per key; later drops are only counted.");
        assertThat(logger.all()).as("values are never logged").doesNotContain("Lovelace", "anon-1", "not-a-number");
        // Every drop reaches the host's metrics, by property (or normalised key) and a fixed reason.
        assertThat(reported).containsExactly(
                Map.entry("anonymous_id: no such contact property", 3),
                Map.entry("hs_object_id: read-only contact property", 3),
                Map.entry("last_name: no such contact property", 3),
                Map.entry("seats: not a number", 3),
                Map.entry("shoe_size: no such contact property", 1));
    }

    @Test
    void dropsReadOnlyCalculatedAndUncoercibleValuesWithReasonsButNeverValues() throws Exception {
        enqueueFixture();
        PropertyCatalog catalog = catalog(ApiVersion.V2026_03);
        catalog.load();
        MappedProperties mapped = catalog.map(user(
                "hs_object_id", "999",
                "createdate", "2020-01-01",
                "hs_email_domain", "example.com",
                "num_notes", 3L,
                "seats", "secret-seat-count",
                "signup_date", "2015-05-01T13:01:00Z",
                "plan", "platinum",
                "shoe size", 44L,
                "phone", null,
                "city", ""));
        assertThat(mapped.properties()).isEmpty();
        assertThat(mapped.dropped()).containsExactly(
                "'hs_object_id': contact property 'hs_object_id' is read-only",
                "'createdate': contact property 'createdate' is read-only",
                "'hs_email_domain': contact property 'hs_email_domain' is calculated by HubSpot",
                "'num_notes': contact property 'num_notes' is calculated by HubSpot",
                "'seats': not a number",
                "'signup_date': not at midnight UTC; HubSpot date properties refuse other times (INVALID_DATE)",
                "'plan': not an option of 'plan' (free, pro, enterprise)",
                "'shoe size': no such contact property");
        assertThat(String.join("\n", mapped.dropped())).doesNotContain("secret-seat-count", "platinum", "13:01");
    }

    @Test
    void laterKeyForTheSamePropertyWinsAndTheEarlierIsListed() throws Exception {
        enqueueFixture();
        PropertyCatalog catalog = catalog(ApiVersion.V2026_03);
        catalog.load();
        MappedProperties mapped = catalog.map(user("firstName", "John", "firstname", "Johnny", "FIRSTNAME", ""));
        assertThat(mapped.properties()).containsExactly(Map.entry("firstname", "Johnny"));
        assertThat(mapped.dropped()).containsExactly("'firstName': overridden by 'firstname' (both are contact property"
                + " 'firstname')");
    }

    @Test
    void coercesOneValueForANamedProperty() throws Exception {
        enqueueFixture();
        PropertyCatalog catalog = catalog(ApiVersion.V2026_03);
        catalog.load();
        assertThat(catalog.coerce("seats", 4L)).contains("4");
        assertThat(catalog.coerce("seats", "four")).isEmpty();
        assertThat(catalog.coerce("hs_object_id", "1")).as("read-only").isEmpty();
        assertThat(catalog.coerce("nope", "1")).isEmpty();
        assertThat(catalog.coerce("firstname", null)).isEmpty();
    }

    @Test
    void rereadsAfterTheRefreshIntervalOnTheNextUse() throws Exception {
        enqueueFixture();
        PropertyCatalog catalog = catalog(ApiVersion.V2026_03);
        catalog.load();
        clock.advance(Duration.ofSeconds(59));
        catalog.map(user("firstname", "a"));
        assertThat(server.getRequestCount()).isEqualTo(1);
        enqueue(200, "{\"results\":[{\"name\":\"firstname\",\"type\":\"string\",\"fieldType\":\"text\",\"options\":[]},"
                + "{\"name\":\"shoe_size\",\"type\":\"number\",\"fieldType\":\"number\",\"options\":[]}]}");
        clock.advance(Duration.ofSeconds(1));
        MappedProperties mapped = catalog.map(user("shoe size", 44L));
        assertThat(server.getRequestCount()).isEqualTo(2);
        assertThat(mapped.properties()).containsExactly(Map.entry("shoe_size", "44"));
    }

    @Test
    void invalidateRereadsAtTheNextUse() throws Exception {
        enqueueFixture();
        PropertyCatalog catalog = catalog(ApiVersion.V2026_03);
        catalog.load();
        enqueue(200, "{\"results\":[{\"name\":\"shoe_size\",\"type\":\"number\",\"fieldType\":\"number\",\"options\":[]}]}");
        catalog.invalidate();
        assertThat(server.getRequestCount()).as("nothing read before the next use").isEqualTo(1);
        assertThat(catalog.map(user("shoe_size", 1L, "firstname", "a")).properties())
                .containsExactly(Map.entry("shoe_size", "1"));
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void failedRereadKeepsTheOldCatalogLogsAndWaitsAnotherInterval() throws Exception {
        enqueueFixture();
        PropertyCatalog catalog = catalog(ApiVersion.V2026_03);
        catalog.load();
        enqueue(503, "{\"message\":\"down\",\"category\":\"SERVICE_UNAVAILABLE\"}");
        clock.advance(REFRESH);
        assertThat(catalog.map(user("firstname", "a")).properties()).containsExactly(Map.entry("firstname", "a"));
        assertThat(server.getRequestCount()).isEqualTo(2);
        assertThat(logger.messages()).singleElement().satisfies(m -> assertThat(m)
                .contains("Re-reading HubSpot's contact properties failed", "keeping the 39 known ones", "503"));
        clock.advance(REFRESH.minusSeconds(1));
        catalog.map(user("firstname", "a"));
        assertThat(server.getRequestCount()).as("no new attempt before another interval").isEqualTo(2);
    }

    @Test
    void mappingWithoutAnyCatalogFailsTheBatch() {
        enqueue(503, "{}");
        PropertyCatalog catalog = catalog(ApiVersion.V2026_03);
        assertThatThrownBy(() -> catalog.map(user("firstname", "a")))
                .isInstanceOf(CatalogUnavailableException.class).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("503");
    }

    @Test
    void invalidTokenIsNotRetriable() {
        enqueue(401, "{\"status\":\"error\",\"message\":\"Authentication credentials not found.\","
                + "\"correlationId\":\"c\",\"category\":\"INVALID_AUTHENTICATION\"}");
        assertThatThrownBy(() -> catalog(ApiVersion.V2026_03).load())
                .isInstanceOfSatisfying(DestinationException.class, e -> {
                    assertThat(e.retriable()).isFalse();
                    assertThat(e.getMessage()).contains("access token is invalid", "401 INVALID_AUTHENTICATION")
                            .doesNotContain(TOKEN);
                });
    }

    @Test
    void missingScopeIsNotRetriableAndNamed() {
        enqueue(403, "{\"status\":\"error\",\"message\":\"This app hasn't been granted all required scopes to make this"
                + " call.\",\"category\":\"MISSING_SCOPES\"}");
        assertThatThrownBy(() -> catalog(ApiVersion.V2026_03).load())
                .isInstanceOfSatisfying(DestinationException.class, e -> {
                    assertThat(e.retriable()).isFalse();
                    assertThat(e.getMessage()).contains("crm.schemas.contacts.read", "403 MISSING_SCOPES");
                });
    }

    @Test
    void outagesRateLimitsAndConnectionFailuresAreRetriable() throws Exception {
        PropertyCatalog catalog = catalog(ApiVersion.V2026_03);
        enqueue(502, "<html>bad gateway</html>");
        assertThatThrownBy(catalog::load).isInstanceOfSatisfying(DestinationException.class,
                e -> assertThat(e.retriable()).isTrue());
        enqueue(429, "{\"policyName\":\"TEN_SECONDLY_ROLLING\"}");
        assertThatThrownBy(catalog::load).isInstanceOfSatisfying(DestinationException.class,
                e -> assertThat(e.retriable()).isTrue());
        enqueue(200, "not json");
        assertThatThrownBy(catalog::load).isInstanceOfSatisfying(DestinationException.class,
                e -> assertThat(e.retriable()).isTrue());
        server.close();
        assertThatThrownBy(catalog::load).isInstanceOfSatisfying(DestinationException.class, e -> {
            assertThat(e.retriable()).isTrue();
            assertThat(e.getMessage()).contains("could not read contact properties").doesNotContain(TOKEN);
        });
    }

    @Test
    void wrongBaseUrlIsNotRetriable() {
        enqueue(404, "{\"status\":\"error\",\"message\":\"not found\"}");
        assertThatThrownBy(() -> catalog(ApiVersion.V2026_03).load())
                .isInstanceOfSatisfying(DestinationException.class, e -> {
                    assertThat(e.retriable()).isFalse();
                    assertThat(e.getMessage()).contains("404", "base_url");
                });
    }
}
