package dev.sluice.bench;

import dev.sluice.emulator.HubSpotEmulator;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * Issue 6 item 2 and the delivery half of item 5: the real host (in this JVM, HubSpot plugin JAR
 * loaded from the plugins folder, {@code requests_per_10s: 190}) delivering to the emulator,
 * which enforces 190 requests per rolling 10 s per token. A feeder posts a sustained stream of
 * distinct-email events to the s2s route at 1.5 times the ceiling so the queue never runs dry;
 * after a warm-up, the rate that reaches the emulator and the 429s it answered are measured over
 * a window spanning several 10 s windows.
 */
final class DeliveryThroughput {

    static final String SECTION = "2 delivery";
    static final int RATE_LIMIT = 190;
    static final double MODERN_CEILING = RATE_LIMIT * 100 / 10.0;
    static final double LEGACY_CEILING = RATE_LIMIT / 10.0;

    /** What reaches the emulator, counted on its side. */
    enum Count {
        CONTACTS(h -> h.contacts().size()),
        EVENTS(h -> h.events().size()),
        PIXEL_HITS(h -> h.pixelHits().size()),
        HOST_DELIVERED(null);

        final ToLongFunction<HubSpotEmulator> counter;

        Count(ToLongFunction<HubSpotEmulator> counter) {
            this.counter = counter;
        }
    }

    /**
     * One delivery measurement.
     *
     * @param prefill events queued for the (single) destination before the host starts, instead of a feeder
     */
    record Scenario(String key, String section, String label, String apiVersion, boolean custom, int destinations,
                    boolean eventSendsRateLimited, double ceilingPerDestination, Count count, int prefill) {
    }

    private DeliveryThroughput() {
    }

    static List<Scenario> scenarios(Sizes sizes) {
        List<Scenario> list = new ArrayList<>();
        list.add(new Scenario("delivery.contacts", SECTION, "contacts/s, identify stream, 2026-03 batch upsert",
                "2026-03", false, 1, false, MODERN_CEILING, Count.CONTACTS, 0));
        list.add(new Scenario("delivery.events", SECTION,
                "custom events/s, 2026-03 send/batch (sends exempt from the limit, as HubSpot documents)",
                "2026-03", true, 1, false, MODERN_CEILING, Count.EVENTS, 0));
        list.add(new Scenario("delivery.events.limited", SECTION,
                "custom events/s, 2026-03 send/batch, sends counted by the emulator's limit",
                "2026-03", true, 1, true, MODERN_CEILING, Count.EVENTS, 0));
        list.add(new Scenario("delivery.legacy.contacts", SECTION,
                "legacy (Jitsu Classic) contacts/s, createOrUpdate per event", "legacy", false, 1, false,
                LEGACY_CEILING, Count.CONTACTS, 0));
        list.add(new Scenario("delivery.legacy.events", SECTION,
                "legacy (Jitsu Classic) events/s, track.hubspot.com pixel per event", "legacy", true, 1, false,
                LEGACY_CEILING, Count.PIXEL_HITS, 0));
        for (int d : new int[] {2, 4}) {
            list.add(new Scenario("scaling.delivery.d" + d, IngestThroughput.SCALING,
                    "contacts/s delivered, " + d + " HubSpot destinations (own token each), 2026-03", "2026-03",
                    false, d, false, MODERN_CEILING, Count.HOST_DELIVERED, 0));
        }
        list.add(new Scenario("scaling.backlog.hubspot", IngestThroughput.SCALING,
                String.format("drain of a %,d-event backlog by the HubSpot destination (emulator)",
                        sizes.hubspotBacklogEvents()),
                "2026-03", false, 1, false, MODERN_CEILING, Count.CONTACTS, sizes.hubspotBacklogEvents()));
        return list;
    }

    static void run(Sizes sizes, Path work, Report report) throws Exception {
        String only = System.getProperty("sluice.bench.scenarios", "");
        for (Scenario scenario : scenarios(sizes)) {
            if (!only.isBlank() && !List.of(only.split(",")).contains(scenario.key())) {
                continue;
            }
            System.err.printf("[bench] delivery: %s%n", scenario.label());
            measure(scenario, sizes, work.resolve(scenario.key()), report);
        }
        if (only.isBlank() || List.of(only.split(",")).contains(LATENCY_KEY)) {
            System.err.printf("[bench] delivery: latency at half the ceiling%n");
            measureLatency(sizes, work.resolve(LATENCY_KEY), report);
        }
        report.note(SECTION, String.format("real host in-process (YAML config, HubSpot plugin JAR from the plugins "
                + "folder, requests_per_10s: %d) against the emulator enforcing %d requests per rolling 10 s per token; "
                + "a feeder posts 1.5x the ceiling (arrays of distinct-email events to the s2s route); "
                + "%.0f s warm-up, then %.0f s measured (legacy: %.0f s); counted on the emulator's side",
                RATE_LIMIT, RATE_LIMIT, sizes.deliveryWarmupSeconds(), sizes.deliverySeconds(), sizes.legacySeconds()));
    }

    private static void measure(Scenario s, Sizes sizes, Path dir, Report report) throws Exception {
        boolean legacy = s.apiVersion().equals("legacy");
        double window = legacy ? sizes.legacySeconds() : sizes.deliverySeconds();
        try (HubSpotEmulator hubspot = HubSpotEmulator.builder().port(0).rateLimit(RATE_LIMIT)
                .dailyLimit(1_000_000_000L).journalCapacity(5_000).build().start()) {
            hubspot.settings().eventSendsRateLimited(s.eventSendsRateLimited());
            List<HostConfigFile.HubSpotDestination> destinations = new ArrayList<>();
            for (int d = 1; d <= s.destinations(); d++) {
                destinations.add(new HostConfigFile.HubSpotDestination("hubspot" + d, "pat-bench-" + d,
                        s.apiVersion(), RATE_LIMIT));
            }
            Path dataDir = dir.resolve("data");
            if (s.prefill() > 0) {
                prefill(dir.resolve("prefill"), dataDir, "hubspot1", s.key(), s.prefill());
            }
            Path config = HostConfigFile.write(dir, hubspot.baseUrl(), dataDir, InProcessHost.pluginsDir(), destinations);
            try (InProcessHost host = InProcessHost.start(config)) {
                PacedFeeder feeder = null;
                if (s.prefill() == 0) {
                    double feedRate = 1.5 * s.ceilingPerDestination();
                    int perRequest = legacy ? 5 : 50;
                    feeder = new PacedFeeder(host.port(), HostConfigFile.S2S_PATH, feedRate, perRequest,
                            from -> EventBodies.array(s.key(), s.custom(), from, perRequest));
                }
                try {
                    sleep(sizes.deliveryWarmupSeconds());
                    long count0 = count(s, hubspot, host);
                    long limited0 = hubspot.stats().rateLimited();
                    long calls0 = hubspot.stats().total();
                    long t0 = System.nanoTime();
                    java.time.Instant t0Wall = java.time.Instant.now();
                    sleep(window);
                    long count1 = count(s, hubspot, host);
                    long limited1 = hubspot.stats().rateLimited();
                    long calls = hubspot.stats().total() - calls0;
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    if (feeder != null) {
                        feeder.check();
                    }
                    long queuedAtEnd = host.queued();
                    double rate = (count1 - count0) / seconds;
                    System.err.printf("[bench]   %s: %.0f/s, %d calls (%.1f/s), 429s after warm-up %d, queue at end %d, "
                            + "host retried %d%n", s.key(), rate, calls, calls / seconds, limited1 - limited0,
                            queuedAtEnd, host.retried());
                    double ceiling = s.ceilingPerDestination() * s.destinations();
                    String unit = s.count() == Count.CONTACTS ? "contacts/s" : "events/s";
                    report.add(Figure.of(s.key() + ".rate", s.section(), s.label(), rate, unit));
                    double share = rate / ceiling;
                    report.add(Figure.of(s.key() + ".share", s.section(),
                            String.format("  share of the ceiling %,.0f/s", ceiling), share * 100, "%")
                            .withGoal(">= 95%", share >= 0.95));
                    long limited = limited1 - limited0;
                    report.add(Figure.of(s.key() + ".429", s.section(), "  429 answers after warm-up", limited, "count")
                            .withGoal("0", limited == 0));
                    Map<String, Long> maxWindows = new LinkedHashMap<>();
                    for (HostConfigFile.HubSpotDestination d : destinations) {
                        maxWindows.put(d.id(), hubspot.stats().maxRequestsInTenSeconds(d.token()));
                    }
                    Pauses pauses = Pauses.between(hubspot, t0Wall, t0Wall.plusNanos((long) (seconds * 1e9)));
                    report.add(Figure.of(s.key() + ".pause", s.section(),
                            "  longest pause between two API calls in the window", pauses.longestSeconds(), "s")
                            .withGoal("< 1 s", pauses.longestSeconds() < 1));
                    report.add(Figure.of(s.key() + ".pauses", s.section(),
                            "  diagnosis: time spent in pauses over 1 s (no call at all)", 100 * pauses.idleSeconds() / seconds,
                            "% of window"));
                    report.note(s.section(), String.format("%s: %d counted in %.1f s, %d API calls (%.1f/s); queue left at end %,d "
                                    + "(the stream kept it non-empty: %s); 429s in the whole run %d; most requests in "
                                    + "any 10 s window per token %s", s.key(), count1 - count0, seconds, calls, calls / seconds, queuedAtEnd,
                            queuedAtEnd > 0 ? "yes" : "NO, the figure is feed-limited",
                            hubspot.stats().rateLimited(), maxWindows));
                } finally {
                    if (feeder != null) {
                        feeder.close();
                    }
                }
            }
            if (s.count() == Count.CONTACTS && !legacy && s.prefill() == 0) {
                probeEmulator(hubspot, report);
            }
        }
    }

    static final String LATENCY_KEY = "delivery.latency";

    /**
     * The time from ingest's 200 to HubSpot's answer, per event, for a stream of identify events at
     * half the ceiling (no backlog): the feeder notes when each request was answered, the emulator
     * stamps each contact when it stores it (just before it answers the upsert).
     */
    private static void measureLatency(Sizes sizes, Path dir, Report report) throws Exception {
        int perRequest = 50;
        double feedRate = MODERN_CEILING / 2;
        String prefix = LATENCY_KEY;
        try (HubSpotEmulator hubspot = HubSpotEmulator.builder().port(0).rateLimit(RATE_LIMIT)
                .dailyLimit(1_000_000_000L).journalCapacity(5_000).build().start()) {
            Path config = HostConfigFile.write(dir, hubspot.baseUrl(), dir.resolve("data"), InProcessHost.pluginsDir(),
                    List.of(new HostConfigFile.HubSpotDestination("hubspot1", "pat-bench-1", "2026-03", RATE_LIMIT)));
            try (InProcessHost host = InProcessHost.start(config)) {
                int firstMeasured;
                int lastMeasured;
                PacedFeeder feeder = new PacedFeeder(host.port(), HostConfigFile.S2S_PATH, feedRate, perRequest,
                        from -> EventBodies.array(prefix, false, from, perRequest));
                try {
                    sleep(sizes.deliveryWarmupSeconds());
                    firstMeasured = (int) feeder.sent();
                    sleep(sizes.deliverySeconds());
                    lastMeasured = (int) feeder.sent();
                    feeder.check();
                } finally {
                    feeder.close();
                }
                // let the last events of the window arrive (bounded)
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (hubspot.contacts().size() < lastMeasured && System.nanoTime() < deadline) {
                    sleep(0.1);
                }
                Map<Integer, java.time.Instant> storedAt = new java.util.HashMap<>();
                String marker = prefix + ".";
                for (var contact : hubspot.contacts()) {
                    String email = contact.email();
                    if (email.startsWith(marker)) {
                        storedAt.put(Integer.parseInt(email.substring(marker.length(), email.indexOf('@'))),
                                contact.createdAt());
                    }
                }
                List<Double> millis = new ArrayList<>();
                int missing = 0;
                for (int from = firstMeasured; from < lastMeasured; from += perRequest) {
                    java.time.Instant answered = feeder.answeredAt(from);
                    for (int i = from; i < from + perRequest; i++) {
                        java.time.Instant stored = storedAt.get(i);
                        if (stored == null || answered == null) {
                            missing++;
                        } else {
                            millis.add(java.time.Duration.between(answered, stored).toNanos() / 1e6);
                        }
                    }
                }
                millis.sort(null);
                double p50 = percentile(millis, 0.50);
                double p99 = percentile(millis, 0.99);
                System.err.printf("[bench]   %s: p50 %.0f ms, p99 %.0f ms over %d events, %d not delivered%n",
                        LATENCY_KEY, p50, p99, millis.size(), missing);
                report.add(Figure.of(LATENCY_KEY + ".p50", SECTION, String.format(
                        "latency from ingest 200 to HubSpot's answer, p50, stream at half the ceiling (%,.0f contacts/s)",
                        feedRate), p50, "ms"));
                report.add(Figure.of(LATENCY_KEY + ".p99", SECTION, "  the same, p99", p99, "ms"));
                report.note(SECTION, String.format("%s: %,d events ingested in the %.0f s window, %,d of them stored by "
                        + "HubSpot within 10 s after it (the rest are left out of the percentiles); linger 200 ms "
                        + "(the default)", LATENCY_KEY, lastMeasured - firstMeasured, sizes.deliverySeconds(),
                        millis.size()));
            }
        }
    }

    private static double percentile(List<Double> sorted, double q) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int index = (int) Math.ceil(q * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    /** The emulator's cost per 100-contact upsert, with the contacts this run stored and with none. */
    private static void probeEmulator(HubSpotEmulator loaded, Report report) throws Exception {
        int stored = loaded.contacts().size();
        double full = UpsertProbe.medianMillis(loaded, "probe-loaded");
        double empty;
        try (HubSpotEmulator fresh = HubSpotEmulator.builder().port(0).build().start()) {
            empty = UpsertProbe.medianMillis(fresh, "probe-empty");
        }
        report.add(Figure.of("delivery.emulator.upsert.empty", SECTION,
                "  diagnosis: emulator time per 100-contact upsert, empty store", empty, "ms"));
        report.add(Figure.of("delivery.emulator.upsert.loaded", SECTION,
                String.format("  diagnosis: the same with the %,d contacts this run stored (host stopped)", stored), full, "ms"));
    }

    private static long count(Scenario s, HubSpotEmulator hubspot, InProcessHost host) {
        return s.count() == Count.HOST_DELIVERED ? host.delivered() : s.count().counter.applyAsLong(hubspot);
    }

    /**
     * Queues a backlog of identify events for one destination through the Events API: a first host on
     * {@code dataDir} whose destination {@code destinationId} is of the benchmark-only type
     * {@code bench-parked} (its {@code start()} fails retriably, so nothing is delivered) takes the
     * events into its durable queue and stops; the real host then starts on the same {@code dataDir}
     * and finds them queued for the destination of the same id.
     */
    static void prefill(Path dir, Path dataDir, String destinationId, String prefix, int events) throws Exception {
        Path config = HostConfigFile.writeBench(dir, dataDir, BenchDestinationFactory.PARKED, List.of(destinationId));
        try (InProcessHost host = InProcessHost.start(config, BenchDestinationFactory.parked())) {
            BacklogDrain.post(host.port(), prefix, events, 1000);
            if (host.queued() != events) {
                throw new IllegalStateException("prefill: posted " + events + " events but " + host.queued()
                        + " are queued");
            }
        }
    }

    static void sleep(double seconds) throws InterruptedException {
        Thread.sleep((long) (seconds * 1000));
    }
}
