package dev.sluice.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.host.ingest.EventEnricher;
import dev.sluice.host.ingest.IngestRoute;
import dev.sluice.host.ingest.RequestFacts;
import dev.sluice.host.pipeline.RoutedEvent;
import dev.sluice.host.queue.DurableQueue;
import dev.sluice.host.queue.QueueDatabase;
import dev.sluice.host.queue.QueueLimit;
import dev.sluice.host.routing.DestinationRoute;
import dev.sluice.host.routing.Router;
import dev.sluice.host.routing.Routing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The ingest stages one after the other on one thread, each timed over the same events (after a
 * warm-up pass): parsing (Jackson into a map, as the body parser does), enrichment
 * ({@link EventEnricher}), routing with the HubSpot filter {@code $.user?.email} ({@link Router}),
 * serialization, and one durable-queue commit per event ({@link DurableQueue#enqueue} from a
 * single caller, so no group commit helps). CPU cost per event of each stage, without HTTP and
 * without thread hand-offs; compare with the JFR split, which sees those.
 */
final class StageTiming {

    private StageTiming() {
    }

    static void run(int events, Path work, Report report) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        List<byte[]> bodies = new ArrayList<>(events);
        for (int i = 0; i < events; i++) {
            bodies.add(EventBodies.one(EventBodies.identify("stage-" + i, "stage" + i + "@example.com")));
        }
        EventEnricher enricher = EventEnricher.standard();
        RequestFacts facts = new RequestFacts(IngestRoute.S2S, "bench-s2s-secret", "203.0.113.7",
                Optional.of("sluice-bench/1.0"));
        Router router = Router.create(List.of(new DestinationRoute("dest1", List.of(), Optional.of("$.user?.email"))));
        Path dir = work.resolve("stage-queue");
        Files.createDirectories(dir);
        double[] nanos = new double[5];
        try (DurableQueue queue = DurableQueue.open(QueueDatabase.open(dir),
                Map.of("dest1", new QueueLimit(Long.MAX_VALUE, Long.MAX_VALUE)), Clock.systemUTC())) {
            for (int pass = 0; pass < 2; pass++) {
                List<Map<String, Object>> parsed = new ArrayList<>(events);
                long t0 = System.nanoTime();
                for (byte[] body : bodies) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> event = mapper.readValue(body, LinkedHashMap.class);
                    parsed.add(event);
                }
                long t1 = System.nanoTime();
                List<String> ids = new ArrayList<>(events);
                for (Map<String, Object> event : parsed) {
                    ids.add(enricher.enrich(event, facts));
                }
                long t2 = System.nanoTime();
                int kept = 0;
                for (Map<String, Object> event : parsed) {
                    Routing routing = router.route("bench", event);
                    kept += routing.destinations().size();
                }
                long t3 = System.nanoTime();
                List<byte[]> json = new ArrayList<>(events);
                for (Map<String, Object> event : parsed) {
                    json.add(mapper.writeValueAsBytes(event));
                }
                long t4 = System.nanoTime();
                int commits = pass == 0 ? Math.min(events, 200) : Math.min(events, 2_000);
                for (int i = 0; i < commits; i++) {
                    queue.enqueue(List.of(new RoutedEvent("dest1", ids.get(i) + "-" + pass, json.get(i))));
                }
                long t5 = System.nanoTime();
                if (kept != events) {
                    throw new IllegalStateException("routing kept " + kept + " of " + events + " events");
                }
                nanos = new double[] {(t1 - t0) / (double) events, (t2 - t1) / (double) events,
                        (t3 - t2) / (double) events, (t4 - t3) / (double) events, (t5 - t4) / (double) commits};
            }
        }
        String[] names = {"parsing (Jackson into a map)", "enrichment (EventEnricher)",
                "routing / filter ($.user?.email, JEXL)", "serialization (Jackson to bytes)",
                "durable enqueue, one event per commit, one caller"};
        String[] keys = {"parse", "enrich", "route", "serialize", "commit"};
        for (int i = 0; i < names.length; i++) {
            report.add(Figure.of("stage." + keys[i], StageProfile.SECTION, "per event, one thread: " + names[i],
                    nanos[i] / 1000.0, "µs"));
        }
    }
}
