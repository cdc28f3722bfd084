package dev.sluice.bench;

import dev.sluice.emulator.HubSpotEmulator;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Issue 6 item 3: HubSpot API calls per 1,000 events of an identify-heavy stream with repeated
 * emails (5 events per email, seeded shuffle), modern versus legacy, through the real host: s2s
 * ingest, durable queue, delivery worker batching, the HubSpot plugin JAR, the emulator. The
 * pacing is lifted here (a rate limit far above the calls made) because this counts calls, it
 * does not time them; host batching is as configured by default (up to 100 events, 200 ms linger).
 */
final class ApiEconomy {

    static final String SECTION = "3 API economy";

    private ApiEconomy() {
    }

    static void run(Sizes sizes, Path work, Report report) throws Exception {
        double modern = calls("2026-03", sizes, work.resolve("economy-modern"), report);
        double legacy = calls("legacy", sizes, work.resolve("economy-legacy"), report);
        report.add(Figure.of("economy.ratio", SECTION, "legacy calls / modern calls", legacy / modern, "x fewer"));
        report.note(SECTION, String.format("%,d identify events over %,d emails (%d per email, seeded shuffle), sent "
                        + "one event per request by 4 s2s senders; calls counted by the emulator, catalog and event "
                        + "definition reads included; figures scaled to 1,000 events", sizes.economyEvents(),
                sizes.economyEmails(), sizes.economyEvents() / sizes.economyEmails()));
    }

    private static double calls(String apiVersion, Sizes sizes, Path dir, Report report) throws Exception {
        int events = sizes.economyEvents();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(42));
        try (HubSpotEmulator hubspot = HubSpotEmulator.builder().port(0).rateLimit(1_000_000)
                .dailyLimit(1_000_000_000L).build().start()) {
            Path config = HostConfigFile.write(dir, hubspot.baseUrl(), dir.resolve("data"), InProcessHost.pluginsDir(),
                    List.of(new HostConfigFile.HubSpotDestination("hubspot1", "pat-bench-economy", apiVersion, 1_000)));
            try (InProcessHost host = InProcessHost.start(config)) {
                ClosedLoopLoad.run(host.port(), 4, events, i -> {
                    int n = order.get(i);
                    String email = "user" + (n % sizes.economyEmails()) + "@example.com";
                    return LoopbackConnection.post(HostConfigFile.S2S_PATH,
                            EventBodies.one(EventBodies.identify("economy-" + n, email)));
                });
                long deadline = System.nanoTime() + 120_000_000_000L;
                while (host.settled() < events && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                if (host.settled() < events) {
                    throw new IllegalStateException(apiVersion + ": only " + host.settled() + " of " + events
                            + " events were delivered within 120 s");
                }
            }
            long total = hubspot.stats().total();
            long upserts = hubspot.stats().count(apiVersion.equals("legacy") ? "contacts.legacyCreateOrUpdate"
                    : "contacts.batchUpsert");
            double perThousand = total * 1000.0 / events;
            String mode = apiVersion.equals("legacy") ? "legacy" : "modern (2026-03)";
            String key = apiVersion.equals("legacy") ? "economy.legacy" : "economy.modern";
            report.add(Figure.of(key, SECTION, "HubSpot calls per 1,000 identify events, " + mode, perThousand, "calls"));
            report.add(Figure.of(key + ".upserts", SECTION, "  of which contact writes", upserts * 1000.0 / events,
                    "calls"));
            report.add(Figure.of(key + ".contacts", SECTION, "  contacts in HubSpot afterwards",
                    hubspot.contacts().size(), "contacts"));
            return perThousand;
        }
    }
}
