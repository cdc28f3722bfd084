package dev.sluice.hubspot.bench;

import dev.sluice.api.Destination;
import dev.sluice.api.DestinationContext;
import dev.sluice.api.DestinationFactory;
import dev.sluice.api.Event;
import dev.sluice.api.Outcome;
import dev.sluice.api.config.DestinationConfig;
import dev.sluice.hubspot.HubSpotDestinationAssembler;
import dev.sluice.hubspot.HubSpotDestinationFactory;
import dev.sluice.hubspot.HubSpotSettings;
import dev.sluice.hubspot.delivery.testing.MockHubSpot;
import dev.sluice.hubspot.delivery.testing.TestEvents;
import dev.sluice.hubspot.e2e.FakeHubSpot;
import dev.sluice.hubspot.http.OkHttpHubSpotTransport;
import dev.sluice.hubspot.ratelimit.RateLimiter;
import dev.sluice.hubspot.ratelimit.Sleeper;
import mockwebserver3.MockWebServer;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

/**
 * How many HubSpot API calls 10,000 identify events over 2,000 distinct emails cost, modern
 * ({@code 2026-03}) versus legacy (Jitsu Classic's calls). Not a test: a rerunnable count.
 *
 * <p>The events (5 per email, emails in mixed case, seeded random order) go in host-sized batches
 * (default 100, {@code -Dbatch=N}) through the real destination: factory config validation, the
 * OkHttp transport, the property catalog and event definitions, the adapters; against a
 * MockWebServer that answers every call with success. Only the rate limiter's pacing is lifted
 * (a limit far above the calls made), so the run does not wait 100 s for 10,000 legacy calls.
 *
 * <pre>
 * mvn -B -ntp -q -pl hubspot-plugin test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.sluice.hubspot.bench.ApiCallCount [-Dbatch=100] [-Dseed=42]
 * </pre>
 */
public final class ApiCallCount {

    private static final int EVENTS = 10_000;
    private static final int EMAILS = 2_000;

    private ApiCallCount() {
    }

    public static void main(String[] args) throws Exception {
        int batch = Integer.getInteger("batch", 100);
        long seed = Long.getLong("seed", 42L);
        List<Event> events = events(seed);
        Map<String, Map<String, Long>> byMode = new LinkedHashMap<>();
        Map<String, Map<String, Long>> outcomesByMode = new LinkedHashMap<>();
        for (String mode : List.of("2026-03", "legacy")) {
            Map<String, Long> outcomes = new LinkedHashMap<>();
            byMode.put(mode, run(mode, events, batch, outcomes));
            outcomesByMode.put(mode, outcomes);
        }
        print(byMode, outcomesByMode, batch, seed);
    }

    /** 5 identify events per email, emails sometimes upper-cased, properties varying, seeded order. */
    static List<Event> events(long seed) {
        Random random = new Random(seed);
        List<Event> events = new ArrayList<>(EVENTS);
        for (int i = 0; i < EVENTS; i++) {
            int user = i % EMAILS;
            String email = "user" + user + "@example.com";
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("email", random.nextInt(4) == 0 ? email.toUpperCase(java.util.Locale.ROOT) : email);
            fields.put("firstName", "First" + user);
            fields.put("lastname", "Last" + random.nextInt(1000));
            fields.put("company", "Company " + random.nextInt(50));
            events.add(TestEvents.identify("ev-" + i, fields));
        }
        Collections.shuffle(events, random);
        return events;
    }

    private static Map<String, Long> run(String apiVersion, List<Event> events, int batch, Map<String, Long> outcomes)
            throws Exception {
        try (MockWebServer server = MockHubSpot.start()) {
            FakeHubSpot hubSpot = new FakeHubSpot();
            server.setDispatcher(hubSpot);
            HubSpotDestinationFactory factory = new HubSpotDestinationFactory();
            Map<String, Object> raw = new LinkedHashMap<>();
            raw.put("access_token", "pat-na1-benchmark");
            raw.put("hub_id", "20546336");
            raw.put("api_version", apiVersion);
            raw.put("base_url", server.url("/").toString());
            raw.put("track_base_url", server.url("/").toString());
            raw.put("batch_size", batch);
            DestinationConfig config = DestinationConfig.validate(factory.configFields(), raw);
            if (!factory.validate(config).isEmpty()) {
                throw new IllegalStateException("invalid benchmark config: " + factory.validate(config));
            }
            HubSpotSettings settings = HubSpotDestinationFactory.settings(config);
            Clock clock = Clock.systemUTC();
            DestinationContext context = DestinationContext.of("bench", DestinationFactory.MODE_STREAM, config, clock);
            RateLimiter unpaced = new RateLimiter(10_000_000, RateLimiter.TEN_SECONDS, clock, Sleeper.SYSTEM,
                    Duration.ofSeconds(1));
            OkHttpHubSpotTransport transport = OkHttpHubSpotTransport.withLimiter(settings, unpaced, clock,
                    System.getLogger("sluice.bench"));
            try (Destination destination = HubSpotDestinationAssembler.assemble(context, settings, transport)) {
                destination.start();
                for (int from = 0; from < events.size(); from += batch) {
                    for (Outcome outcome : destination.deliver(events.subList(from, Math.min(events.size(), from + batch)))) {
                        outcomes.merge(outcome.getClass().getSimpleName(), 1L, Long::sum);
                    }
                }
            }
            return hubSpot.calls();
        }
    }

    private static void print(Map<String, Map<String, Long>> byMode, Map<String, Map<String, Long>> outcomes, int batch,
                              long seed) {
        TreeSet<String> endpoints = new TreeSet<>();
        byMode.values().forEach(calls -> endpoints.addAll(calls.keySet()));
        String format = "%-58s %10s %10s%n";
        System.out.printf("HubSpot API calls for %,d identify events over %,d emails (host batch %d, seed %d)%n%n",
                EVENTS, EMAILS, batch, seed);
        System.out.printf(format, "endpoint", "2026-03", "legacy");
        for (String endpoint : endpoints) {
            System.out.printf(format, endpoint, count(byMode.get("2026-03"), endpoint), count(byMode.get("legacy"), endpoint));
        }
        long modern = byMode.get("2026-03").values().stream().mapToLong(Long::longValue).sum();
        long legacy = byMode.get("legacy").values().stream().mapToLong(Long::longValue).sum();
        System.out.printf(format, "TOTAL", modern, legacy);
        System.out.printf(format, "outcomes", outcomes.get("2026-03"), outcomes.get("legacy"));
        System.out.printf("%nlegacy / modern = %.1fx fewer calls (goal: at least 90x; floor 20 upserts + catalog reads)%n",
                (double) legacy / modern);
        System.out.printf("Each host batch of %d events holds at most %d distinct emails, so upserts >= %d events / %d;"
                + " the host batch size, not the plugin, sets the floor.%n", batch, batch, EVENTS, batch);
    }

    private static String count(Map<String, Long> calls, String endpoint) {
        return String.valueOf(calls.getOrDefault(endpoint, 0L));
    }
}
