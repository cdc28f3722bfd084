package dev.sluice.bench;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.util.Headers;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Issue 6 item 1 and the ingest half of item 5: the s2s route of the real host with its durable
 * queue at several concurrency levels, side by side in the same run with the ceiling (the same
 * Undertow setup answering 200 with no work); then the durable route with 1, 2 and 4 destinations;
 * then a JFR profile of the durable route.
 *
 * <p>The durable route is an {@code EmbeddedHost} (the public embedding API) whose destinations
 * are of the benchmark-only type {@code bench-parked}: their {@code start()} fails retriably, so
 * no delivery worker ever drains the queue and ingest is measured alone. Senders are plain sockets
 * and every figure is a median over rounds; besides the ceiling comparison it measures destination
 * scaling and the profile, all into the shared table.
 */
final class IngestThroughput {

    static final String SECTION = "1 ingest";
    static final String SCALING = "5 scaling";
    private static final String PATH = HostConfigFile.S2S_PATH;
    /** A small Jitsu-style transform: the user object merged from eventn_ctx.user and user. */
    static final String SMALL_TRANSFORM = "return {...$, user: {...$.eventn_ctx?.user, ...$.user}}";
    private static final byte[] OK = "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8);

    private IngestThroughput() {
    }

    static void run(Sizes sizes, Path work, Report report) throws Exception {
        List<AutoCloseable> open = new ArrayList<>();
        try {
            Undertow ceiling = ceilingServer();
            ceiling.start();
            open.add(ceiling::stop);
            int ceilingPort = ((InetSocketAddress) ceiling.getListenerInfo().get(0).getAddress()).getPort();

            Map<Integer, InProcessHost> durable = new LinkedHashMap<>();
            for (int destinations : new int[] {1, 2, 4}) {
                InProcessHost host = durableHost(work.resolve("ingest-" + destinations), destinations);
                open.add(host);
                durable.put(destinations, host);
            }

            InProcessHost transformed = InProcessHost.start(HostConfigFile.writeBench(work.resolve("ingest-transform"),
                    work.resolve("ingest-transform").resolve("data"), BenchDestinationFactory.PARKED, List.of("dest1"),
                    SMALL_TRANSFORM), BenchDestinationFactory.parked());
            open.add(transformed);

            int[] levels = sizes.ingestLevels();
            Map<String, List<ClosedLoopLoad.Result>> runs = new LinkedHashMap<>();
            for (int round = 0; round < sizes.ingestRounds(); round++) {
                for (int level : levels) {
                    measure(runs, "ceiling@" + level, ceilingPort, level, sizes);
                    measure(runs, "durable1@" + level, durable.get(1).port(), level, sizes);
                }
                int s = sizes.scalingLevel();
                if (!runs.containsKey("durable1@" + s) || runs.get("durable1@" + s).size() <= round) {
                    measure(runs, "durable1@" + s, durable.get(1).port(), s, sizes);
                }
                // Side by side: the same destination with a small transform, right after the one without.
                measure(runs, "transform1@" + s, transformed.port(), s, sizes);
                measure(runs, "durable2@" + s, durable.get(2).port(), s, sizes);
                measure(runs, "durable4@" + s, durable.get(4).port(), s, sizes);
                System.err.printf("[bench] ingest round %d of %d done%n", round + 1, sizes.ingestRounds());
            }

            for (int level : levels) {
                ClosedLoopLoad.Result c = ClosedLoopLoad.Result.median(runs.get("ceiling@" + level));
                ClosedLoopLoad.Result d = ClosedLoopLoad.Result.median(runs.get("durable1@" + level));
                String p = "ingest.c" + level + ".";
                String at = " at concurrency " + level;
                report.add(Figure.of(p + "ceiling", SECTION, "ceiling (Undertow, 200, no work)" + at, c.perSecond(), "req/s"));
                report.add(Figure.of(p + "durable", SECTION, "s2s ingest + durable queue" + at, d.perSecond(), "events/s"));
                report.add(Figure.of(p + "ceiling.p50", SECTION, "ceiling latency p50" + at, c.p50Millis(), "ms"));
                report.add(Figure.of(p + "ceiling.p99", SECTION, "ceiling latency p99" + at, c.p99Millis(), "ms"));
                report.add(Figure.of(p + "durable.p50", SECTION, "durable latency p50" + at, d.p50Millis(), "ms"));
                report.add(Figure.of(p + "durable.p99", SECTION, "durable latency p99" + at, d.p99Millis(), "ms"));
                double ratio = d.perSecond() / c.perSecond();
                report.add(Figure.of(p + "ratio", SECTION, "durable / ceiling" + at, ratio, "ratio")
                        .withGoal(">= 0.5", ratio >= 0.5));
            }
            int s = sizes.scalingLevel();
            double one = ClosedLoopLoad.Result.median(runs.get("durable1@" + s)).perSecond();
            for (int destinations : new int[] {1, 2, 4}) {
                ClosedLoopLoad.Result r = ClosedLoopLoad.Result.median(runs.get("durable" + destinations + "@" + s));
                report.add(Figure.of("scaling.ingest.d" + destinations, SCALING,
                        "s2s ingest, " + destinations + " destination(s) per event, concurrency " + s,
                        r.perSecond(), "events/s"));
            }
            ClosedLoopLoad.Result t = ClosedLoopLoad.Result.median(runs.get("transform1@" + s));
            report.add(Figure.of("ingest.transform", SECTION, "s2s ingest, 1 destination with a small data_layout.transform,"
                    + " concurrency " + s, t.perSecond(), "events/s"));
            double transformRatio = t.perSecond() / one;
            report.add(Figure.of("ingest.transform.ratio", SECTION, "with the transform / without, concurrency " + s,
                    transformRatio, "ratio").withGoal(">= 0.8", transformRatio >= 0.8));
            if (transformed.queued() == 0) {
                throw new IllegalStateException("the transform host queued nothing: the transform skipped every event");
            }
            double four = ClosedLoopLoad.Result.median(runs.get("durable4@" + s)).perSecond();
            report.add(Figure.of("scaling.ingest.d4.relative", SCALING, "ingest with 4 destinations / with 1",
                    four / one, "ratio"));
            InProcessHost host1 = durable.get(1);
            if (host1.delivered() != 0) {
                throw new IllegalStateException("a parked destination delivered " + host1.delivered() + " events");
            }
            report.note(SECTION, String.format("one ~%d-byte identify event per request, plain-socket keep-alive "
                            + "senders on the same machine; median of %d round(s), each run after a warm-up of a third "
                            + "as many requests; %d requests per run (fewer at concurrency 1); the ceiling and the "
                            + "embedded hosts (public embedding API, destinations whose start() fails retriably so that "
                            + "nothing drains the queue: %,d events queued and none delivered at the end, 1 destination) "
                            + "in one JVM, measured one after the other in each round",
                    EventBodies.one(EventBodies.identify("bench-0", "user0@example.com")).length, sizes.ingestRounds(),
                    sizes.ingestRequests(), host1.queued()));

            report.note(SECTION, "transform row: the same parked destination and template with data_layout.transform `"
                    + SMALL_TRANSFORM + "`, measured right after the row without it in each round. With the host's "
                    + "own queue a destination's JavaScript runs in its delivery worker (as Jitsu Classic's streaming "
                    + "worker ran it), so ingest stores the enriched event without running it; what the transform "
                    + "costs where it runs is in the backlog rows (section 5)");
            StageProfile.profile(host1.port(), PATH, s, sizes, work, report, IngestThroughput::request);
        } finally {
            for (int i = open.size() - 1; i >= 0; i--) {
                try {
                    open.get(i).close();
                } catch (Exception e) {
                    System.err.println("[bench] closing failed: " + e);
                }
            }
        }
    }

    /** The real host with {@code destinations} parked destinations (dest1..destN): a queue no worker drains. */
    private static InProcessHost durableHost(Path dir, int destinations) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int d = 1; d <= destinations; d++) {
            ids.add("dest" + d);
        }
        Path config = HostConfigFile.writeBench(dir, dir.resolve("data"), BenchDestinationFactory.PARKED, ids);
        return InProcessHost.start(config, BenchDestinationFactory.parked());
    }

    private static int requests(Sizes sizes, int level) {
        return level == 1 ? Math.max(100, sizes.ingestRequests() / 4) : sizes.ingestRequests();
    }

    private static void measure(Map<String, List<ClosedLoopLoad.Result>> runs, String key, int port, int level,
                                Sizes sizes) throws Exception {
        runs.computeIfAbsent(key, k -> new ArrayList<>())
                .add(ClosedLoopLoad.measure(port, level, requests(sizes, level), IngestThroughput::request));
    }

    static byte[] request(int i) {
        return LoopbackConnection.post(PATH, EventBodies.one(EventBodies.identify("bench-" + i,
                "user" + i + "@example.com")));
    }

    /** The same Undertow setup as the host's ingest server, answering on the IO thread once the body is read. */
    private static Undertow ceilingServer() {
        return Undertow.builder()
                .addHttpListener(0, "127.0.0.1")
                .setIoThreads(Math.max(2, Runtime.getRuntime().availableProcessors()))
                .setWorkerThreads(128)
                .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, 30_000)
                .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, 120_000)
                .setHandler(exchange -> exchange.getRequestReceiver().receiveFullBytes((ex, body) -> {
                    ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
                    ex.getResponseSender().send(ByteBuffer.wrap(OK));
                }))
                .build();
    }
}
