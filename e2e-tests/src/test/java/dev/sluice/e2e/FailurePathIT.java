package dev.sluice.e2e;

import dev.sluice.e2e.support.EventsApi;
import dev.sluice.e2e.support.FreePort;
import dev.sluice.e2e.support.HostProcess;
import dev.sluice.e2e.support.HubSpotHostConfig;
import dev.sluice.e2e.support.HubSpotHostConfig.Destination;
import dev.sluice.e2e.support.Poll;
import dev.sluice.emulator.HubSpotEmulator;
import dev.sluice.emulator.StoredContact;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 5, point 3, failures on the whole path: a host process with the real HubSpot plugin,
 * against the emulator, through an outage, a burst of 429s, a poisoned contact in a batch and the
 * DAILY limit. Every accepted event ends delivered or dead-lettered with a reason, none lost, and
 * after the first 429 the plugin stays under its rate limit. Each scenario has its own destination,
 * api key and access token, so their traffic can be told apart.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FailurePathIT {

    private static final Duration SETTLE = Duration.ofSeconds(45);
    private static final int BURST_LIMIT = 4;

    private static final Destination OUTAGE = Destination.of("hs_outage", "2026-03", 50);
    private static final Destination BURST = Destination.of("hs_burst", "2026-03", BURST_LIMIT).withPluginBatchSize(1);
    private static final Destination POISON = Destination.of("hs_poison", "2026-03", 50);
    private static final Destination DAILY = Destination.of("hs_daily", "2026-03", 50);
    private static final List<Destination> DESTINATIONS = List.of(OUTAGE, BURST, POISON, DAILY);

    /** An accepted event: what to look for in the emulator or among the dead letters. */
    record Sent(String destination, String eventId, String type, String email) {
    }

    private final List<Sent> accepted = new CopyOnWriteArrayList<>();
    /** Kept when a test fails: the host log is in it. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path work;
    private Path config;
    private int port;
    private HubSpotEmulator hubspot;
    private HostProcess host;

    @BeforeAll
    void startEmulatorAndHost() {
        hubspot = HubSpotEmulator.builder().acceptedTokens(HubSpotHostConfig.tokens(DESTINATIONS)).build().start();
        port = FreePort.pick();
        config = HubSpotHostConfig.write(work, port, hubspot.baseUrl(), hubspot.hubId(), DESTINATIONS);
        host = HostProcess.start(config, Optional.empty(), port, work.resolve("host.log"));
        awaitDestinationsStarted();
    }

    /** Each destination reads the property catalog and the event definitions in start(), after "ready". */
    private void awaitDestinationsStarted() {
        Poll.until(Duration.ofSeconds(30), "every destination's catalog reads",
                () -> hubspot.stats().count("properties.list", 200) >= DESTINATIONS.size()
                        && hubspot.stats().count("eventDefinitions.list", 200) >= DESTINATIONS.size(),
                () -> "properties.list 200: " + hubspot.stats().count("properties.list", 200)
                        + ", eventDefinitions.list 200: " + hubspot.stats().count("eventDefinitions.list", 200));
    }

    @AfterAll
    void stop() {
        if (host != null) {
            host.terminate(Duration.ofSeconds(30));
        }
        if (hubspot != null) {
            hubspot.close();
        }
    }

    @Order(1)
    @Test
    void eventsSentWhileHubSpotIsDownAreDeliveredAfterIt() throws Exception {
        Duration outage = Duration.ofSeconds(6);
        Instant outageEnds = Instant.now().plus(outage);
        hubspot.faults().failFor(outage, 503, null, null);

        List<Sent> sent = send(OUTAGE, "outage", 4, 3);

        Poll.until(Duration.ofSeconds(10), "a delivery answered 503",
                () -> hubspot.stats().count("contacts.batchUpsert", 503) + hubspot.stats().count("events.sendBatch", 503) > 0,
                () -> "requests: " + hubspot.stats().total());
        awaitDelivered(sent);
        for (Sent s : sent) {
            if (s.type().equals("user_identify")) {
                assertThat(hubspot.contact(s.email()).orElseThrow().createdAt())
                        .as("written after the outage ended").isAfterOrEqualTo(outageEnds.minusMillis(500));
            }
        }
        assertThat(deadLetters(OUTAGE)).as("dead letters of the outage destination").isEmpty();
    }

    @Order(2)
    @Test
    void afterABurstOf429sEverythingIsDeliveredWithinTheRateLimit() throws Exception {
        hubspot.faults().failNext(2, 429, null, "batch/upsert");

        List<Sent> sent = send(BURST, "burst", 8, 0);

        awaitDelivered(sent);
        assertThat(hubspot.stats().count("contacts.batchUpsert", 429)).as("429s answered").isEqualTo(2);
        long afterFirst429 = hubspot.stats().maxRequestsInTenSecondsAfterFirst429(BURST.accessToken());
        System.out.printf("E2E-429 burst=2 requests_per_10s=%d max_requests_in_10s_after_first_429=%d%n", BURST_LIMIT,
                afterFirst429);
        assertThat(afterFirst429).as("most requests in any 10 s after the first 429").isBetween(1L, (long) BURST_LIMIT);
        assertThat(deadLetters(BURST)).isEmpty();
    }

    @Order(3)
    @Test
    void aPoisonedContactIsDeadLetteredWithHubSpotsReasonAndTheRestOfItsBatchDelivered() throws Exception {
        hubspot.seedContact("owner@example.com", Map.of("firstname", "Owner"));
        hubspot.addSecondaryEmail("owner@example.com", "alias@example.com");
        List<String> events = new ArrayList<>();
        List<Sent> good = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Sent s = new Sent(POISON.id(), "poison-" + i, "user_identify", "poison" + i + "@example.com");
            good.add(s);
            events.add(identify(s));
        }
        Sent bad = new Sent(POISON.id(), "poison-alias", "user_identify", "alias@example.com");
        events.add(3, identify(bad));
        post(POISON, "[" + String.join(",", events) + "]");
        accepted.addAll(good);
        accepted.add(bad);

        awaitDelivered(good);
        Poll.until(SETTLE, "the poisoned contact's dead letter", () -> deadLetters(POISON).containsKey(bad.eventId()),
                () -> "dead letters: " + deadLetters(POISON));
        String reason = deadLetters(POISON).get(bad.eventId());
        assertThat(reason).contains("Contact already exists");
        assertThat(hubspot.contact("owner@example.com").orElseThrow().properties())
                .as("the contact that owns the alias is untouched").containsEntry("firstname", "Owner");
    }

    @Order(4)
    @Test
    void underTheDailyLimitEventsWaitWithoutHammeringAndAreDeliveredOnceItIsLifted() throws Exception {
        long dailyBefore = hubspot.settings().dailyLimit();
        hubspot.settings().dailyLimit(1);

        List<Sent> sent = send(DAILY, "daily", 3, 2);
        List<Sent> contacts = sent.stream().filter(s -> s.type().equals("user_identify")).toList();
        List<Sent> customEvents = sent.stream().filter(s -> !s.type().equals("user_identify")).toList();

        Poll.until(Duration.ofSeconds(15), "a DAILY 429", () -> hubspot.stats().rateLimited("DAILY") > 0);
        // Custom behavioral event sends are exempt from HubSpot's limits: they go through while the
        // contacts wait. Once they are in, nothing else may call HubSpot for this destination.
        awaitDelivered(customEvents);
        long callsAtFirst = dailyDestinationCalls();
        Instant windowEnds = Instant.now().plusSeconds(6);
        while (Instant.now().isBefore(windowEnds)) {
            Thread.sleep(200); // an observation window: nothing should happen in it
        }
        long callsInWindow = dailyDestinationCalls() - callsAtFirst;
        System.out.printf("E2E-DAILY requests_in_6s_after_first_daily_429=%d%n", callsInWindow);
        assertThat(callsInWindow).as("calls in the 6 s after the first DAILY 429").isZero();
        assertThat(deadLetters(DAILY)).as("nothing is dead-lettered for a daily limit").isEmpty();
        assertThat(contacts).noneMatch(this::delivered);
        assertThat(host.log()).contains("daily API limit is used up");

        // The contacts wait, durably, for the next full UTC hour (when HubSpot's daily budget may have
        // been reset). Stop the host and look at its queue: every one of them is there, due then.
        assertThat(host.terminate(Duration.ofSeconds(30))).isPresent();
        Instant nextHour = Instant.now().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
        Map<String, Long> dueAt = queued(DAILY);
        assertThat(dueAt.keySet()).containsExactlyInAnyOrderElementsOf(contacts.stream().map(Sent::eventId).toList());
        assertThat(dueAt.values()).allSatisfy(at -> assertThat(at).isGreaterThanOrEqualTo(nextHour.toEpochMilli()));

        // Lift the limit, and let that hour come: shift the queued events' times back by the wait,
        // as if the clock had reached it, then start the host again.
        hubspot.settings().dailyLimit(dailyBefore);
        shiftQueueTimes(DAILY, Duration.between(Instant.now(), nextHour).plusSeconds(1));
        host = HostProcess.start(config, Optional.empty(), port, work.resolve("host.log"));
        awaitDelivered(sent);
        assertThat(deadLetters(DAILY)).isEmpty();
    }

    @Order(5)
    @Test
    void everyAcceptedEventEndedDeliveredOrDeadLetteredWithAReason() {
        assertThat(accepted).hasSizeGreaterThan(20);
        Map<String, String> dead = new LinkedHashMap<>();
        DESTINATIONS.forEach(d -> dead.putAll(deadLetters(d)));
        List<Sent> lost = accepted.stream().filter(s -> !delivered(s) && !dead.containsKey(s.eventId())).toList();
        System.out.printf("E2E-ACCOUNTING accepted=%d delivered=%d dead_lettered=%d lost=%d%n", accepted.size(),
                accepted.stream().filter(this::delivered).count(), dead.size(), lost.size());
        assertThat(lost).as("accepted events neither delivered nor dead-lettered").isEmpty();
        assertThat(dead.values()).allSatisfy(reason -> assertThat(reason).isNotBlank());
    }

    // ---- helpers ----

    private List<Sent> send(Destination destination, String prefix, int identifies, int purchases) throws Exception {
        List<Sent> sent = new ArrayList<>();
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < identifies; i++) {
            Sent s = new Sent(destination.id(), prefix + "-id-" + i, "user_identify", prefix + i + "@example.com");
            sent.add(s);
            bodies.add(identify(s));
        }
        for (int i = 0; i < purchases; i++) {
            Sent s = new Sent(destination.id(), prefix + "-purchase-" + i, "purchase", prefix + i + "@example.com");
            sent.add(s);
            bodies.add("{\"event_id\":\"" + s.eventId() + "\",\"event_type\":\"purchase\",\"revenue\":" + (10 + i)
                    + ",\"user\":{\"email\":\"" + s.email() + "\"}}");
        }
        post(destination, "[" + String.join(",", bodies) + "]");
        accepted.addAll(sent);
        return sent;
    }

    private static String identify(Sent s) {
        return "{\"event_id\":\"" + s.eventId() + "\",\"event_type\":\"user_identify\",\"user\":{\"email\":\""
                + s.email() + "\",\"firstname\":\"F-" + s.eventId() + "\"}}";
    }

    private void post(Destination destination, String body) throws Exception {
        int status = new EventsApi(port, destination.serverSecret()).post(body);
        assertThat(status).as("ingest answer").isEqualTo(200);
    }

    private void awaitDelivered(List<Sent> sent) {
        Poll.until(SETTLE, sent.size() + " events delivered", () -> sent.stream().allMatch(this::delivered),
                () -> "undelivered: " + sent.stream().filter(s -> !delivered(s)).map(Sent::eventId).toList()
                        + "; stats: total=" + hubspot.stats().total());
    }

    private boolean delivered(Sent s) {
        if (s.type().equals("user_identify")) {
            Optional<StoredContact> contact = hubspot.contact(s.email());
            return contact.isPresent() && ("F-" + s.eventId()).equals(contact.get().property("firstname"));
        }
        String name = "pe" + hubspot.hubId() + "_" + s.type();
        return hubspot.events().stream().anyMatch(e -> e.uuid().equals(s.eventId()) && e.eventName().equals(name)
                && s.email().equals(e.email()));
    }

    private long dailyDestinationCalls() {
        return hubspot.stats().count("contacts.batchUpsert") + hubspot.stats().count("events.sendBatch")
                + hubspot.stats().count("events.send");
    }

    /** {@code bin/sluice dead-letters list} for one destination: event id -> reason. */
    private Map<String, String> deadLetters(Destination destination) {
        HostProcess.CommandResult result = HostProcess.command("dead-letters", "list", "--config", config.toString(),
                "--destination", destination.id());
        assertThat(result.exitCode()).as("dead-letters list: %s", result.stderr()).isZero();
        Map<String, String> byEvent = new LinkedHashMap<>();
        for (String line : result.stdout().split("\n")) {
            String[] columns = line.split("\t", 6);
            if (columns.length == 6 && columns[1].equals(destination.id())) {
                byEvent.put(columns[2], columns[5]);
            }
        }
        return byEvent;
    }

    /** The stopped host's queue for one destination: event id -> next attempt (epoch ms). */
    private Map<String, Long> queued(Destination destination) throws Exception {
        Map<String, Long> dueAt = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection(queueUrl());
             PreparedStatement select = c.prepareStatement(
                     "SELECT event_id, next_attempt_at, last_error FROM queue_items WHERE destination_id = ?")) {
            select.setString(1, destination.id());
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    assertThat(rows.getString("last_error")).containsIgnoringCase("rate limit");
                    dueAt.put(rows.getString("event_id"), rows.getLong("next_attempt_at"));
                }
            }
        }
        return dueAt;
    }

    private void shiftQueueTimes(Destination destination, Duration by) throws Exception {
        try (Connection c = DriverManager.getConnection(queueUrl());
             PreparedStatement shift = c.prepareStatement("UPDATE queue_items SET next_attempt_at = next_attempt_at - ?,"
                     + " first_attempt_at = first_attempt_at - ?, enqueued_at = enqueued_at - ? WHERE destination_id = ?")) {
            for (int i = 1; i <= 3; i++) {
                shift.setLong(i, by.toMillis());
            }
            shift.setString(4, destination.id());
            assertThat(shift.executeUpdate()).isPositive();
        }
    }

    private String queueUrl() {
        return "jdbc:sqlite:" + work.resolve("data").resolve("queue.db");
    }
}
