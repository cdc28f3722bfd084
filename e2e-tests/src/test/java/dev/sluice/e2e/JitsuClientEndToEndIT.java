package dev.sluice.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.e2e.support.FreePort;
import dev.sluice.e2e.support.HostProcess;
import dev.sluice.e2e.support.HubSpotHostConfig;
import dev.sluice.e2e.support.HubSpotHostConfig.Destination;
import dev.sluice.e2e.support.JitsuSdk;
import dev.sluice.e2e.support.Poll;
import dev.sluice.emulator.EventProperty;
import dev.sluice.emulator.HubSpotEmulator;
import dev.sluice.emulator.PixelHit;
import dev.sluice.emulator.ReceivedEvent;
import dev.sluice.emulator.RecordedRequest;
import dev.sluice.emulator.StoredContact;
import dev.sluice.hubspot.schema.OpenApiRequestSchemas;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 5, point 3: the real {@code @jitsu/sdk-js} 3.1.5 in Node sends {@code id()} and
 * {@code track()} calls, flat and {@code compat_mode}, through a host process (the distribution with
 * the real HubSpot plugin JAR) to the HubSpot emulator; contacts and events arrive with the right
 * properties and names, for the 2026-03, v3 and legacy API generations. Every request the emulator
 * recorded for the modern API is also checked against HubSpot's OpenAPI request schemas.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JitsuClientEndToEndIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration ARRIVAL = Duration.ofSeconds(30);
    private static final String UUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    private static final Destination MODERN = Destination.of("hs_modern", "2026-03", 50);
    private static final Destination V3 = Destination.of("hs_v3", "v3", 50);
    private static final Destination LEGACY = Destination.of("hs_legacy", "legacy", 50);

    /** Kept when a test fails: the host log is in it. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path work;
    private HubSpotEmulator hubspot;
    private HostProcess host;
    private String hostUrl;

    /** One run of the SDK: which destination (through its key), which SDK mode, queue or one-by-one. */
    record Case(String name, Destination destination, JitsuSdk.Mode mode, Integer maxSendAttempts) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("modern-flat-queued", MODERN, JitsuSdk.Mode.FLAT, null),
                new Case("modern-compat-single", MODERN, JitsuSdk.Mode.COMPAT, 1),
                new Case("v3-flat-single", V3, JitsuSdk.Mode.FLAT, 1),
                new Case("v3-compat-queued", V3, JitsuSdk.Mode.COMPAT, null),
                new Case("legacy-flat-single", LEGACY, JitsuSdk.Mode.FLAT, 1),
                new Case("legacy-compat-queued", LEGACY, JitsuSdk.Mode.COMPAT, null));
    }

    @BeforeAll
    void startEmulatorAndHost() {
        List<Destination> destinations = List.of(MODERN, V3, LEGACY);
        hubspot = HubSpotEmulator.builder().acceptedTokens(HubSpotHostConfig.tokens(destinations)).build().start();
        hubspot.defineEvent("video_watched", List.of(EventProperty.text("video_title"), EventProperty.text("firstname"),
                EventProperty.text("company")));
        int port = FreePort.pick();
        Path config = HubSpotHostConfig.write(work, port, hubspot.baseUrl(), hubspot.hubId(), destinations);
        host = HostProcess.start(config, Optional.empty(), port, work.resolve("host.log"));
        hostUrl = "http://127.0.0.1:" + port;
    }

    @AfterAll
    void stop() {
        if (host != null) {
            Optional<Integer> exit = host.terminate(Duration.ofSeconds(30));
            assertThat(exit).as("host exit after SIGTERM").isPresent();
        }
        if (hubspot != null) {
            hubspot.close();
        }
    }

    @Order(1)
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void identifyAndTrackCallsArriveInHubSpot(Case c) throws Exception {
        String email = "Ada." + c.name() + "@Example.COM";
        String stored = email.toLowerCase();
        String purchaseId = c.name() + "-purchase-1";
        String calls = JSON.writeValueAsString(List.of(
                Map.of("call", "id", "props", new LinkedHashMap<>(Map.of(
                        "email", email, "firstname", "Ada", "lastname", "Lovelace", "company", "Analytical Engines",
                        "Company Name", "AE Ltd", "Shoe Size", 38, "Plan", "Pro", "Seats", 12, "Is Paying", true))),
                Map.of("call", "track", "type", "purchase", "payload", c.mode() == JitsuSdk.Mode.FLAT
                        ? Map.of("revenue", 49.9, "event_id", purchaseId)
                        : Map.of("conversion", Map.of("revenue", 49.9), "event_id", purchaseId)),
                Map.of("call", "track", "type", "video_watched", "payload",
                        Map.of("video_title", "Intro"))));

        List<JsonNode> sent = JitsuSdk.send(hostUrl, c.destination().serverSecret(), c.mode(), c.maxSendAttempts(),
                c.name(), calls);

        assertThat(sent).extracting(e -> e.path("event_type").asText())
                .containsExactly("user_identify", "purchase", "video_watched");
        if (c.mode() == JitsuSdk.Mode.COMPAT) {
            assertThat(sent).allSatisfy(e -> assertThat(e.path("eventn_ctx").path("user").path("email").asText())
                    .isEqualTo(email));
        } else {
            assertThat(sent).allSatisfy(e -> {
                assertThat(e.has("eventn_ctx")).isFalse();
                assertThat(e.path("user").path("email").asText()).isEqualTo(email);
            });
        }

        Poll.until(ARRIVAL, "contact " + stored, () -> hubspot.contact(stored).isPresent(),
                () -> "contacts: " + hubspot.contacts().stream().map(StoredContact::email).toList());
        StoredContact contact = hubspot.contact(stored).orElseThrow();
        assertThat(contact.properties())
                .containsEntry("email", stored)
                .containsEntry("firstname", "Ada")
                .containsEntry("lastname", "Lovelace")
                .containsEntry("company", "Analytical Engines")
                .containsEntry("company_name", "AE Ltd")
                .containsEntry("plan", "pro")
                .containsEntry("seats", "12")
                .containsEntry("is_paying", "true")
                .doesNotContainKeys("shoe_size", "Shoe Size", "anonymous_id", "hashed_anonymous_id");

        String prefix = "pe" + hubspot.hubId() + "_";
        if (c.destination() == LEGACY) {
            Poll.until(ARRIVAL, "two pixel hits for " + stored, () -> pixelHits(stored).size() >= 2,
                    () -> "pixel hits: " + hubspot.pixelHits());
            List<PixelHit> hits = pixelHits(stored);
            assertThat(hits).extracting(PixelHit::eventName).containsExactlyInAnyOrder("purchase", "video_watched");
            assertThat(hits).allSatisfy(hit -> {
                assertThat(hit.hubId()).isEqualTo(Long.toString(hubspot.hubId()));
                assertThat(hit.properties()).containsEntry("firstname", "Ada").containsEntry("company", "Analytical Engines");
            });
            assertThat(hits).filteredOn(h -> h.eventName().equals("purchase")).singleElement()
                    .satisfies(h -> assertThat(h.revenue()).isEqualTo("49.9"));
        } else {
            Poll.until(ARRIVAL, "two custom events for " + stored, () -> events(stored).size() >= 2,
                    () -> "events: " + hubspot.events());
            List<ReceivedEvent> events = events(stored);
            assertThat(events).hasSize(2);
            ReceivedEvent purchase = events.stream().filter(e -> e.eventName().equals(prefix + "purchase")).findFirst()
                    .orElseThrow(() -> new AssertionError("no " + prefix + "purchase in " + events));
            assertThat(purchase.uuid()).as("uuid = the event id the client gave").isEqualTo(purchaseId);
            assertThat(purchase.properties()).containsEntry("revenue", "49.9");
            assertThat(purchase.occurredAt()).isNotBlank();
            ReceivedEvent video = events.stream().filter(e -> e.eventName().equals(prefix + "video_watched")).findFirst()
                    .orElseThrow(() -> new AssertionError("no " + prefix + "video_watched in " + events));
            assertThat(video.uuid()).as("uuid = the id the host gave the event").matches(UUID_PATTERN);
            assertThat(video.properties()).containsEntry("firstname", "Ada").containsEntry("company", "Analytical Engines");
            assertThat(events).allSatisfy(e -> assertThat(e.endpoint()).startsWith("events.send"));
        }
    }

    @Order(2)
    @Test
    void noRequestOfTheRunWasRefusedByTheEmulator() {
        List<RecordedRequest> requests = hubspot.requests();
        assertThat(requests).isNotEmpty();
        assertThat(requests).allSatisfy(r -> assertThat(r.status()).as("%s %s", r.method(), r.path()).isBetween(200, 299));
    }

    @Order(3)
    @Test
    void everyModernRequestBodyMatchesHubSpotsOpenApiRequestSchema() throws Exception {
        Optional<Path> dir = OpenApiRequestSchemas.locate();
        assumeTrue(dir.isPresent(), "../shared/hubspot-openapi not found (or -D" + OpenApiRequestSchemas.DIR_PROPERTY
                + " points nowhere): skipping the OpenAPI check of recorded requests");
        OpenApiRequestSchemas schemas = OpenApiRequestSchemas.load(dir.get());
        List<String> checked = new ArrayList<>();
        for (RecordedRequest request : hubspot.requests()) {
            if (!request.method().equals("POST") || !schemas.defines(request.path())) {
                continue;
            }
            assertThat(schemas.validate(request.path(), JSON.readTree(request.body())))
                    .as("schema violations of POST %s", request.path()).isEmpty();
            checked.add(request.path());
        }
        assertThat(checked).as("modern POST requests validated").contains(
                "/crm/objects/2026-03/contacts/batch/upsert", "/crm/v3/objects/contacts/batch/upsert");
        assertThat(checked).anySatisfy(p -> assertThat(p).startsWith("/events/2026-03/send"));
        assertThat(checked).anySatisfy(p -> assertThat(p).startsWith("/events/v3/send"));
    }

    private List<ReceivedEvent> events(String email) {
        return hubspot.events().stream().filter(e -> email.equals(e.email())).toList();
    }

    private List<PixelHit> pixelHits(String email) {
        return hubspot.pixelHits().stream().filter(h -> email.equals(h.email())).toList();
    }
}
