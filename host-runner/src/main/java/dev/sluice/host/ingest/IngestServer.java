package dev.sluice.host.ingest;

import dev.sluice.host.config.ApiKey;
import dev.sluice.host.config.ServerConfig;
import dev.sluice.host.pipeline.EventSink;
import dev.sluice.host.routing.Router;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.GracefulShutdownHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Events API HTTP server (Undertow). IO threads never block: with an {@link
 * dev.sluice.host.pipeline.AsyncEventSink} they prepare small bodies and answer once the commit
 * completes; with a blocking sink a pool of worker threads does the part that waits on the
 * durable queue, so a slow commit never stalls the connections.
 *
 * <p>Lifecycle: {@link #start()} once, then {@link #stop(Duration)} (or {@link #close()}):
 * new requests are answered 503 while in-flight requests finish, up to the grace period, then
 * the listener closes.
 */
public final class IngestServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IngestServer.class);

    /** Requests waiting for a group commit park a worker thread each; many waiters make bigger groups. */
    static final int WORKER_THREADS = 128;
    /** One IO thread per core (at least two): they read, prepare and answer requests. */
    static final int IO_THREADS = Math.max(2, Runtime.getRuntime().availableProcessors());
    static final Duration DEFAULT_GRACE = Duration.ofSeconds(10);
    /** The answer to requests that arrive while the server stops. */
    static final String STOPPING = "Sluice is stopping and takes no more events; send them again to a running host";

    private final ServerConfig config;
    private final GracefulShutdownHandler handler;
    private final HttpHandler root;
    private final EventIngestor ingestor;
    private Undertow undertow;
    private int port = -1;

    /** A server with the given tokens and ingest flow. */
    public IngestServer(ServerConfig config, ApiKeyTokens tokens, EventIngestor ingestor) {
        this(config, tokens, ingestor, Map.of());
    }

    /**
     * A server that also answers these exact request paths with their handlers (health, stats).
     * They are outside the graceful shutdown, so they still answer while the server stops.
     */
    public IngestServer(ServerConfig config, ApiKeyTokens tokens, EventIngestor ingestor,
                        Map<String, HttpHandler> otherRoutes) {
        this(config, tokens, ingestor, otherRoutes, UnaryOperator.identity());
    }

    /**
     * {@link #IngestServer(ServerConfig, ApiKeyTokens, EventIngestor, Map)} whose root handler is
     * wrapped by {@code outer} (e.g. to count every request).
     */
    public IngestServer(ServerConfig config, ApiKeyTokens tokens, EventIngestor ingestor,
                        Map<String, HttpHandler> otherRoutes, UnaryOperator<HttpHandler> outer) {
        this.config = Objects.requireNonNull(config, "config");
        this.ingestor = Objects.requireNonNull(ingestor, "ingestor");
        this.handler = new GracefulShutdownHandler(new IngestHttpHandler(tokens, ingestor, config.maxBodySize()));
        HttpHandler events = exchange -> {
            // Undertow's graceful shutdown refuses requests with a bare 503; give it the API's JSON body.
            exchange.addDefaultResponseListener(done -> {
                if (done.getStatusCode() != 503 || done.isResponseStarted()) {
                    return false;
                }
                Answers.error(done, 503, STOPPING);
                return true;
            });
            handler.handleRequest(exchange);
        };
        Map<String, HttpHandler> routes = Map.copyOf(otherRoutes);
        this.root = outer.apply(routes.isEmpty() ? events
                : exchange -> routes.getOrDefault(exchange.getRequestPath(), events).handleRequest(exchange));
    }

    /**
     * The usual wiring: the system clock, random UUID event ids, these api keys, this router and
     * this sink.
     */
    public static IngestServer create(ServerConfig config, List<ApiKey> apiKeys, Router router, EventSink sink) {
        return create(config, apiKeys, router, sink, Map.of());
    }

    /** {@link #create(ServerConfig, List, Router, EventSink)} plus other exact request paths (health, stats). */
    public static IngestServer create(ServerConfig config, List<ApiKey> apiKeys, Router router, EventSink sink,
                                      Map<String, HttpHandler> otherRoutes) {
        return create(config, apiKeys, router, sink, otherRoutes, UnaryOperator.identity());
    }

    /** {@link #create(ServerConfig, List, Router, EventSink, Map)} with the root handler wrapped by {@code outer}. */
    public static IngestServer create(ServerConfig config, List<ApiKey> apiKeys, Router router, EventSink sink,
                                      Map<String, HttpHandler> otherRoutes, UnaryOperator<HttpHandler> outer) {
        EventIngestor ingestor = new EventIngestor(config.maxEventSize(), EventEnricher.standard(), router, sink);
        return new IngestServer(config, new ApiKeyTokens(apiKeys), ingestor, otherRoutes, outer);
    }

    /** Binds and starts serving. @throws IllegalStateException if the address cannot be bound */
    public synchronized void start() {
        if (undertow != null) {
            throw new IllegalStateException("already started");
        }
        Undertow server = Undertow.builder()
                .addHttpListener(config.port(), config.bindAddress())
                .setIoThreads(IO_THREADS)
                .setWorkerThreads(WORKER_THREADS)
                .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, 30_000)
                .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, 120_000)
                // Undertow's own body limit (2 MiB by default) would refuse bodies under
                // server.max_body_size with a bare 400; the handler enforces the configured limit.
                .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, -1L)
                .setHandler(root)
                .build();
        try {
            server.start();
        } catch (RuntimeException e) {
            try {
                server.stop();
            } catch (RuntimeException ignored) {
                // already failing: the bind error is the one to report
            }
            throw new IllegalStateException("Cannot listen on " + config.bindAddress() + ":" + config.port()
                    + " (server.bind / server.port): " + e.getMessage(), e);
        }
        undertow = server;
        port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
        LOG.info("Events API listening on {}:{}", config.bindAddress(), port);
    }

    /** {@code server.bind}: the address the server listens on. */
    public String bindAddress() {
        return config.bindAddress();
    }

    /** The bound port (useful with port 0). */
    public synchronized int port() {
        if (undertow == null) {
            throw new IllegalStateException("not started");
        }
        return port;
    }

    /**
     * Stops gracefully: refuses new requests (503), waits up to {@code grace} for in-flight ones,
     * then closes the listener and its threads.
     */
    public synchronized void stop(Duration grace) {
        if (undertow == null) {
            ingestor.close();
            return;
        }
        handler.shutdown();
        try {
            if (!handler.awaitShutdown(grace.toMillis())) {
                LOG.warn("Events API: requests still in flight after {}; closing anyway", grace);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        undertow.stop();
        undertow = null;
        ingestor.close();
        LOG.info("Events API stopped");
    }

    @Override
    public void close() {
        stop(DEFAULT_GRACE);
    }
}
