package dev.sluice.host.runtime;

import dev.sluice.api.Destination;
import dev.sluice.api.DestinationException;
import dev.sluice.host.config.Durability;
import dev.sluice.host.config.HostConfig;
import dev.sluice.host.config.ValidatedDestination;
import dev.sluice.host.config.ValidatedHost;
import dev.sluice.host.config.QueueSettings;
import dev.sluice.host.delivery.DeliveryWorkers;
import dev.sluice.host.kafka.KafkaEventSink;
import dev.sluice.host.pipeline.EventSink;
import dev.sluice.host.health.HealthRoutes;
import dev.sluice.host.health.HostStatus;
import dev.sluice.host.health.StatsAccess;
import dev.sluice.host.ingest.DryRunHandler;
import dev.sluice.host.ingest.DryRunner;
import dev.sluice.host.ingest.EventEnricher;
import dev.sluice.host.ingest.IngestServer;
import dev.sluice.host.queue.DurableQueue;
import dev.sluice.host.queue.QueueDatabase;
import dev.sluice.host.queue.QueueListing;
import dev.sluice.host.queue.StorageErrors;
import dev.sluice.host.metrics.HostMetrics;
import dev.sluice.host.metrics.PluginMetrics;
import dev.sluice.host.metrics.RequestCounting;
import dev.sluice.host.queue.QueueLimit;
import dev.sluice.host.routing.DestinationRoute;
import dev.sluice.host.routing.InvalidRoutesException;
import dev.sluice.host.routing.Router;
import dev.sluice.host.web.BrowserScriptHandler;
import org.slf4j.Logger;
import io.undertow.server.HttpHandler;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.random.RandomGenerator;

/**
 * The running host: destinations created, the durable queue open, one delivery worker per
 * destination, and the Events API serving. Started in the order that keeps every accepted event
 * safe (queue and workers before the HTTP port opens) and stopped in the reverse order (the port
 * closes first, so nothing is acknowledged that cannot be stored).
 */
public final class HostRuntime implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HostRuntime.class);

    private final List<ValidatedDestination> destinations;
    private final DurableQueue queue;
    private final DeliveryWorkers workers;
    private final IngestServer server;
    private final HostStatus status;
    private final Router router;
    private final Optional<KafkaEventSink> kafka;
    private boolean stopped;

    private HostRuntime(List<ValidatedDestination> destinations, DurableQueue queue, DeliveryWorkers workers,
                        IngestServer server, HostStatus status, Router router, Optional<KafkaEventSink> kafka) {
        this.router = router;
        this.destinations = destinations;
        this.queue = queue;
        this.workers = workers;
        this.server = server;
        this.status = status;
        this.kafka = kafka;
    }

    /**
     * Starts everything for a validated config.
     *
     * @param onFatal called (from a worker thread) when a destination reports a non-retriable
     *                start failure, with the destination id and the message; the caller stops the host
     * @throws HostStartException when a destination cannot be created, the queue cannot be opened or
     *                            the port cannot be bound; whatever was started is closed again
     */
    public static HostRuntime start(ValidatedHost host, Clock clock, BiConsumer<String, String> onFatal)
            throws HostStartException {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(onFatal, "onFatal");
        HostConfig config = host.config();
        Map<String, Destination> created = new LinkedHashMap<>();
        Map<String, PluginMetrics> pluginMetrics = new LinkedHashMap<>();
        DurableQueue queue = null;
        DeliveryWorkers workers = null;
        Router router = null;
        KafkaEventSink kafka = null;
        // server.queue: kafka: events go to Kafka and the Sluice sink connector delivers them; this
        // host creates no destination and starts no delivery (the SQLite queue stays empty).
        boolean toKafka = config.server().queue().kind() == QueueSettings.Kind.KAFKA;
        try {
            for (ValidatedDestination d : host.destinations()) {
                PluginMetrics reported = new PluginMetrics(d.id());
                pluginMetrics.put(d.id(), reported);
                if (toKafka) {
                    continue;
                }
                created.put(d.id(), DestinationCreator.create(d, clock, config.baseDirectory(), reported));
                log.info("Created destination '{}' (type {}, mode {}, plugin {} {})", d.id(), d.spec().type(),
                        d.spec().mode(), d.type().plugin().id(), d.type().plugin().version());
            }
            Map<String, QueueLimit> limits = new LinkedHashMap<>();
            host.destinations().forEach(d -> limits.put(d.id(), QueueLimit.of(d.spec().delivery())));
            try {
                queue = DurableQueue.open(QueueDatabase.open(config.dataDir(),
                        synchronous(config.server().durability())), limits, clock);
            } catch (Exception e) {
                throw new HostStartException(e instanceof IllegalStateException ? e.getMessage()
                        : StorageErrors.cannotOpen(e, config.dataDir().resolve(QueueDatabase.FILE_NAME),
                        config.source()), e);
            }
            log.info("Queue open at {} (server.durability: {})", config.dataDir().resolve(QueueDatabase.FILE_NAME),
                    config.server().durability().configValue());

            Map<String, String> startFailures = new ConcurrentHashMap<>();
            // A failure is recorded under this lock before anyone is told, and "ready" is decided
            // under it: "Sluice ready" is never logged after a fatal start failure was reported.
            Object readiness = new Object();
            workers = new DeliveryWorkers(queue, clock, RandomGenerator.of("L64X128MixRandom"),
                    (String id, DestinationException cause) -> {
                        synchronized (readiness) {
                            startFailures.put(id, String.valueOf(cause.getMessage()));
                        }
                        onFatal.accept(id, cause.getMessage());
                    });
            // Into the host's own queue, a destination's JavaScript runs when its worker delivers
            // (as Jitsu Classic's streaming worker ran it), not while the client waits; into
            // Kafka it runs before the event is produced (the connector runs no scripts).
            router = Router.create(routes(host.destinations()),
                    toKafka ? Router.ScriptsRun.AT_INGEST : Router.ScriptsRun.AT_DELIVERY);
            for (ValidatedDestination d : host.destinations()) {
                if (!toKafka) {
                    workers.start(d.id(), created.remove(d.id()), d.spec().delivery(),
                            router.scriptsAtDelivery(d.id(), config.server().maxEventSize()));
                }
            }
            EventSink sink = queue;
            if (toKafka) {
                QueueSettings.Kafka settings = config.server().queue().kafka().orElseThrow();
                kafka = KafkaEventSink.open(settings);
                sink = kafka;
                for (ValidatedDestination d : host.destinations()) {
                    log.info("Destination '{}': events go to Kafka topic {} (server.queue: kafka); the Sluice sink"
                            + " connector delivers them", d.id(), settings.topic(d.id()));
                }
            }

            DeliveryWorkers running = workers;
            DurableQueue store = queue;
            HostStatus status = new HostStatus(clock.instant(), running::stats, router::counts, startFailures,
                    pluginMetrics, store::storeProblem);
            QueueListing listing = new QueueListing(queue.database());
            HostMetrics metrics = new HostMetrics(host.destinations().stream().map(ValidatedDestination::id).toList(),
                    running::stats, router::counts, pluginMetrics, listing::stored, store::storeProblem, clock);
            Map<String, HttpHandler> otherRoutes = new LinkedHashMap<>(withDryRun(HealthRoutes.of(status,
                    new StatsAccess(config.apiKeys(), config.server().statsToken()), metrics), config, router));
            otherRoutes.putAll(BrowserScriptHandler.fromClassPath().routes());
            IngestServer server = IngestServer.create(config.server(), config.apiKeys(), router, sink, otherRoutes,
                    root -> RequestCounting.wrap(root, metrics));
            try {
                server.start();
            } catch (RuntimeException e) {
                // the settings to change, then the system's reason (e.g. "Address already in use")
                throw new HostStartException("cannot serve on " + config.server().bindAddress() + ":"
                        + config.server().port() + " (server.bind / server.port): " + rootMessage(e), e);
            }
            synchronized (readiness) {
                if (startFailures.isEmpty()) {
                    log.info("Sluice ready: Events API on port {}, destinations {}", server.port(),
                            host.destinations().stream().map(ValidatedDestination::id).toList());
                } else {
                    log.error("Sluice is not ready: Events API on port {}, but {} cannot start: {}", server.port(),
                            startFailures.size() == 1 ? "a destination" : startFailures.size() + " destinations",
                            new java.util.TreeMap<>(startFailures));
                }
            }
            return new HostRuntime(host.destinations(), queue, workers, server, status, router,
                    Optional.ofNullable(kafka));
        } catch (HostStartException | InvalidRoutesException | RuntimeException e) {
            created.values().forEach(HostRuntime::closeQuietly);
            stopQuietly(workers);
            if (router != null) {
                router.close();
            }
            if (kafka != null) {
                kafka.close();
            }
            if (queue != null) {
                queue.close();
            }
            if (e instanceof HostStartException hse) {
                throw hse;
            }
            throw new HostStartException(e.getMessage(), e);
        }
    }

    /** The other routes plus {@code POST /api/v1/events/dry-run}, which stores and sends nothing. */
    private static Map<String, HttpHandler> withDryRun(Map<String, HttpHandler> routes, HostConfig config, Router router) {
        Map<String, HttpHandler> all = new HashMap<>(routes);
        all.put(DryRunHandler.PATH, new DryRunHandler(config.apiKeys(),
                new DryRunner(config.server().maxEventSize(), EventEnricher.standard(), router),
                config.server().maxBodySize()));
        return all;
    }

    /** {@code server.durability} as SQLite's {@code synchronous} level of the queue database. */
    static QueueDatabase.Synchronous synchronous(Durability durability) {
        return switch (durability) {
            case NORMAL -> QueueDatabase.Synchronous.NORMAL;
            case FULL -> QueueDatabase.Synchronous.FULL;
        };
    }

    private static List<DestinationRoute> routes(List<ValidatedDestination> destinations) {
        List<DestinationRoute> routes = new ArrayList<>();
        for (ValidatedDestination d : destinations) {
            routes.add(new DestinationRoute(d.id(), d.spec().onlyTokens(), d.tableNameTemplate(), d.spec().transform()));
        }
        return routes;
    }

    /** The address the Events API is bound to ({@code server.bind}). */
    public String bindAddress() {
        return server.bindAddress();
    }

    /** The port the Events API listens on (useful with {@code server.port: 0}). */
    public int port() {
        return server.port();
    }

    public DurableQueue queue() {
        return queue;
    }

    public DeliveryWorkers workers() {
        return workers;
    }

    public List<ValidatedDestination> destinations() {
        return destinations;
    }

    /** What {@code /health} and {@code /api/v1/stats} report. */
    public HostStatus status() {
        return status;
    }

    /**
     * Stops in the safe order: the HTTP port first (in-flight requests finish, new ones are refused),
     * then the workers (in-flight batches get {@code grace}, then their events stay queued), then the
     * destinations and the queue.
     */
    public synchronized void stop(Duration grace) throws InterruptedException {
        if (stopped) {
            return;
        }
        stopped = true;
        // Before the port closes: /health answers 503 while in-flight requests finish.
        status.markStopping();
        log.info("Stopping: closing the Events API");
        server.stop(grace);
        log.info("Stopping: finishing in-flight deliveries");
        workers.stopAll(grace);
        // After the workers: they run destinations' scripts, and closing a script cancels a call.
        router.close();
        kafka.ifPresent(KafkaEventSink::close);
        queue.close();
        log.info("Stopped");
    }

    @Override
    public void close() {
        try {
            stop(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Destination destination) {
        try {
            destination.close();
        } catch (RuntimeException | LinkageError e) {
            log.warn("Closing a destination failed: {}", e.toString());
        }
    }

    private static void stopQuietly(DeliveryWorkers workers) {
        if (workers == null) {
            return;
        }
        try {
            workers.stopAll(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
