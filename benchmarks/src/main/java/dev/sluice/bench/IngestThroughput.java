package dev.sluice.bench;

import dev.sluice.host.config.ApiKey;
import dev.sluice.host.config.ServerConfig;
import dev.sluice.host.ingest.IngestServer;
import dev.sluice.host.pipeline.AsyncEventSink;
import dev.sluice.host.pipeline.RoutedEvent;
import dev.sluice.host.queue.DurableQueue;
import dev.sluice.host.queue.QueueDatabase;
import dev.sluice.host.queue.QueueLimit;
import dev.sluice.host.routing.DestinationRoute;
import dev.sluice.host.routing.Router;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.util.Headers;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Issue 6 item 1 and the ingest half of item 5: the s2s route with the real durable queue at
 * several concurrency levels, side by side in the same run with the same ingest path storing
 * nothing and with the ceiling (the same Undertow setup answering 200 with no work); then the
 * durable route with 1, 2 and 4 destinations; then a JFR profile of the durable route.
 *
 * <p>Senders are plain sockets and every figure is a median over rounds; besides the ceiling
 * comparison it measures destination scaling and the profile, all into the shared table.
 */
final class IngestThroughput {

    static final String SECTION = "1 ingest";
    static final String SCALING = "5 scaling";
    private static final String TOKEN = "bench-s2s-secret";
    private static final String PATH = "/api/v1/s2s/event?token=" + TOKEN;
    private static final byte[] OK = "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8);

    private IngestThroughput() {
    }

    static void run(Sizes sizes, Path work, Report report) throws Exception {
        List<ApiKey> keys = List.of(new ApiKey("bench", Optional.empty(), Optional.of(TOKEN), List.of()));
        ServerConfig config = new ServerConfig("127.0.0.1", 0, ServerConfig.DEFAULT_MAX_EVENT_SIZE,
                ServerConfig.DEFAULT_MAX_BODY_SIZE);
        List<AutoCloseable> open = new ArrayList<>();
        try {
            Undertow ceiling = ceilingServer();
            ceiling.start();
            open.add(ceiling::stop);
            int ceilingPort = ((InetSocketAddress) ceiling.getListenerInfo().get(0).getAddress()).getPort();

            IngestServer noStore = IngestServer.create(config, keys, router(1), new StoresNothing());
            noStore.start();
            open.add(() -> noStore.stop(Duration.ofSeconds(5)));

            Map<Integer, DurableQueue> queues = new LinkedHashMap<>();
            Map<Integer, IngestServer> durable = new LinkedHashMap<>();
            for (int destinations : new int[] {1, 2, 4}) {
                DurableQueue queue = queue(work.resolve("ingest-" + destinations), destinations);
                open.add(queue);
                IngestServer server = IngestServer.create(config, keys, router(destinations), queue);
                server.start();
                open.add(() -> server.stop(Duration.ofSeconds(5)));
                queues.put(destinations, queue);
                durable.put(destinations, server);
            }

            int[] levels = sizes.ingestLevels();
            Map<String, List<ClosedLoopLoad.Result>> runs = new LinkedHashMap<>();
            long commitsBefore = queues.get(1).commits();
            long durableRequests = 0;
            for (int round = 0; round < sizes.ingestRounds(); round++) {
                for (int level : levels) {
                    measure(runs, "ceiling@" + level, ceilingPort, level, sizes);
                    measure(runs, "nostore@" + level, noStore.port(), level, sizes);
                    measure(runs, "durable1@" + level, durable.get(1).port(), level, sizes);
                    durableRequests += requests(sizes, level) + Math.max(level, requests(sizes, level) / 3);
                }
                int s = sizes.scalingLevel();
                if (!runs.containsKey("durable1@" + s) || runs.get("durable1@" + s).size() <= round) {
                    measure(runs, "durable1@" + s, durable.get(1).port(), s, sizes);
                    durableRequests += requests(sizes, s) + Math.max(s, requests(sizes, s) / 3);
                }
                measure(runs, "durable2@" + s, durable.get(2).port(), s, sizes);
                measure(runs, "durable4@" + s, durable.get(4).port(), s, sizes);
                System.err.printf("[bench] ingest round %d of %d done%n", round + 1, sizes.ingestRounds());
            }
            long commits = queues.get(1).commits() - commitsBefore;

            for (int level : levels) {
                ClosedLoopLoad.Result c = ClosedLoopLoad.Result.median(runs.get("ceiling@" + level));
                ClosedLoopLoad.Result n = ClosedLoopLoad.Result.median(runs.get("nostore@" + level));
                ClosedLoopLoad.Result d = ClosedLoopLoad.Result.median(runs.get("durable1@" + level));
                String p = "ingest.c" + level + ".";
                String at = " at concurrency " + level;
                report.add(Figure.of(p + "ceiling", SECTION, "ceiling (Undertow, 200, no work)" + at, c.perSecond(), "req/s"));
                report.add(Figure.of(p + "nostore", SECTION, "ingest path, sink stores nothing" + at, n.perSecond(), "events/s"));
                report.add(Figure.of(p + "durable", SECTION, "s2s ingest + durable queue" + at, d.perSecond(), "events/s"));
                report.add(Figure.of(p + "ceiling.p50", SECTION, "ceiling latency p50" + at, c.p50Millis(), "ms"));
                report.add(Figure.of(p + "ceiling.p99", SECTION, "ceiling latency p99" + at, c.p99Millis(), "ms"));
                report.add(Figure.of(p + "nostore.p50", SECTION, "no-store latency p50" + at, n.p50Millis(), "ms"));
                report.add(Figure.of(p + "durable.p50", SECTION, "durable latency p50" + at, d.p50Millis(), "ms"));
                report.add(Figure.of(p + "durable.p99", SECTION, "durable latency p99" + at, d.p99Millis(), "ms"));
                report.add(Figure.of(p + "nostore.ratio", SECTION, "stores nothing / ceiling" + at,
                        n.perSecond() / c.perSecond(), "ratio"));
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
            double four = ClosedLoopLoad.Result.median(runs.get("durable4@" + s)).perSecond();
            report.add(Figure.of("scaling.ingest.d4.relative", SCALING, "ingest with 4 destinations / with 1",
                    four / one, "ratio"));
            report.add(Figure.of("ingest.events_per_commit", SECTION,
                    "events per SQLite commit (group commit, 1 destination, all levels)",
                    commits == 0 ? Double.NaN : (double) durableRequests / commits, "events/commit"));
            report.note(SECTION, String.format("one ~%d-byte identify event per request, plain-socket keep-alive "
                            + "senders on the same machine; median of %d round(s), each run after a warm-up of a third "
                            + "as many requests; %d requests per run (fewer at concurrency 1); all servers in one JVM, "
                            + "measured one after the other in each round", EventBodies.one(EventBodies.identify("bench-0",
                            "user0@example.com")).length, sizes.ingestRounds(), sizes.ingestRequests()));

            StageProfile.profile(durable.get(1).port(), PATH, s, sizes, work, report, IngestThroughput::request);
            StageTiming.run(sizes.tiny() ? 2_000 : 20_000, work, report);
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

    private static int requests(Sizes sizes, int level) {
        return level == 1 ? Math.max(100, sizes.ingestRequests() / 4) : sizes.ingestRequests();
    }

    private static void measure(Map<String, List<ClosedLoopLoad.Result>> runs, String key, int port, int level,
                                Sizes sizes) throws Exception {
        runs.computeIfAbsent(key, k -> new ArrayList<>())
                .add(ClosedLoopLoad.measure(port, level, requests(sizes, level), IngestThroughput::request));
    }

    /** An asynchronous sink, like the durable queue, that completes at once: the path minus storage. */
    private static final class StoresNothing implements AsyncEventSink {
        @Override
        public CompletionStage<Void> enqueueAsync(List<RoutedEvent> events) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void enqueue(List<RoutedEvent> events) {
        }
    }

    static byte[] request(int i) {
        return LoopbackConnection.post(PATH, EventBodies.one(EventBodies.identify("bench-" + i,
                "user" + i + "@example.com")));
    }

    private static Router router(int destinations) throws Exception {
        List<DestinationRoute> routes = new ArrayList<>();
        for (int d = 1; d <= destinations; d++) {
            routes.add(new DestinationRoute("dest" + d, List.of(), Optional.of("$.user?.email")));
        }
        return Router.create(routes);
    }

    private static DurableQueue queue(Path dir, int destinations) throws Exception {
        Files.createDirectories(dir);
        Map<String, QueueLimit> limits = new LinkedHashMap<>();
        for (int d = 1; d <= destinations; d++) {
            limits.put("dest" + d, new QueueLimit(Long.MAX_VALUE, Long.MAX_VALUE));
        }
        return DurableQueue.open(QueueDatabase.open(dir), limits, Clock.systemUTC());
    }

    /** The same Undertow setup as IngestServer's, answering on the IO thread once the body is read. */
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
