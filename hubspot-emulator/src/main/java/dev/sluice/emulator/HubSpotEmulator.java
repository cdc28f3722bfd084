package dev.sluice.emulator;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A strict local double of the HubSpot endpoints Sluice uses. Not HubSpot: it reproduces the documented and
 * observed rules (auth, scopes, body shapes, property values, rate limits) so clients can be tested offline.
 *
 * <pre>{@code
 * try (HubSpotEmulator hubspot = HubSpotEmulator.builder().clock(clock).build().start()) {
 *     String base = hubspot.baseUrl();          // http://127.0.0.1:<port>
 *     hubspot.faults().failNext(2, 503);
 *     hubspot.contact("john@example.com");     // what arrived
 * }
 * }</pre>
 */
public final class HubSpotEmulator implements AutoCloseable {
    public static final long DEFAULT_HUB_ID = 20546336L;
    public static final String DEFAULT_BIND = "127.0.0.1";

    private final String bind;
    private final int requestedPort;
    private final int threads;
    private final EmulatorComponents components;
    private final AdminApi admin;
    private final ApiDispatcher.Sleeper sleeper;
    private HttpServer server;
    private ExecutorService executor;

    private HubSpotEmulator(Builder builder) {
        this.bind = builder.bind;
        this.requestedPort = builder.port;
        this.threads = builder.threads;
        EmulatorSettings settings = new EmulatorSettings()
                .rateLimit(builder.rateLimit)
                .dailyLimit(builder.dailyLimit)
                .acceptedTokens(builder.acceptedTokens);
        PropertyCatalog catalog = builder.catalog != null ? builder.catalog : PropertyCatalog.defaults();
        EventDefinitionRegistry definitions = builder.eventDefinitionsFile != null
                ? EventDefinitionRegistry.fromFile(builder.hubId, builder.eventDefinitionsFile)
                : EventDefinitionRegistry.defaults(builder.hubId);
        this.components = EmulatorComponents.wire(builder.hubId, builder.clock, settings, catalog, definitions,
                builder.journalCapacity);
        this.admin = new AdminApi(components);
        this.sleeper = builder.sleeper;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Binds and starts serving; returns this for chaining. */
    public synchronized HubSpotEmulator start() {
        if (server != null) {
            throw new IllegalStateException("The emulator is already started");
        }
        try {
            HttpServer created = HttpServer.create(new InetSocketAddress(bind, requestedPort), 64);
            created.createContext("/", new ApiDispatcher(components, admin, sleeper));
            executor = Executors.newFixedThreadPool(threads, daemonThreads());
            created.setExecutor(executor);
            created.start();
            server = created;
            return this;
        } catch (IOException e) {
            if (executor != null) {
                executor.shutdownNow();
            }
            throw new UncheckedIOException("Cannot bind the HubSpot emulator to " + bind + ":" + requestedPort, e);
        }
    }

    /** Stops serving and releases the port. Safe to call twice. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server = null;
    }

    @Override
    public void close() {
        stop();
    }

    public synchronized int port() {
        if (server == null) {
            throw new IllegalStateException("The emulator is not started");
        }
        return server.getAddress().getPort();
    }

    /** {@code http://host:port} without a trailing slash; a wildcard bind is reported as 127.0.0.1. */
    public String baseUrl() {
        String host = bind.equals("0.0.0.0") || bind.equals("::") ? "127.0.0.1" : bind;
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
    }

    public long hubId() {
        return components.hubId();
    }

    /** Switches that can change while running: multi-status, limits, tokens, scopes, Enterprise plan. */
    public EmulatorSettings settings() {
        return components.settings();
    }

    public FaultInjector faults() {
        return components.faults();
    }

    public TrafficStats stats() {
        return components.stats();
    }

    public List<StoredContact> contacts() {
        return components.contacts().all();
    }

    public Optional<StoredContact> contact(String email) {
        return components.contacts().byEmail(email);
    }

    public List<ReceivedEvent> events() {
        return components.events().events();
    }

    public List<PixelHit> pixelHits() {
        return components.events().pixelHits();
    }

    /** The last recorded API and pixel requests, oldest first (Authorization removed). */
    public List<RecordedRequest> requests() {
        return components.journal().all();
    }

    public List<EventDefinition> eventDefinitions() {
        return components.definitions().all();
    }

    /** Defines (or replaces) a custom event {@code pe{hubId}_{shortName}} with text properties. */
    public EventDefinition defineEvent(String shortName, Collection<EventProperty> properties) {
        if (!EventDefinition.SHORT_NAME.matcher(shortName).matches()) {
            throw new IllegalArgumentException("Event name \"" + shortName + "\" is invalid");
        }
        return components.definitions().add(shortName, null, null, "", List.copyOf(properties));
    }

    /** Makes {@code secondary} a secondary email of {@code primary}: writes to it then answer 409 CONFLICT. */
    public StoredContact addSecondaryEmail(String primary, String secondary) {
        return components.contacts().addSecondaryEmail(primary, secondary, components.clock().instant());
    }

    /** Seeds a contact directly, bypassing the API (no validation, no recording). */
    public StoredContact seedContact(String email, Map<String, String> properties) {
        return components.contacts().upsert(email, properties, components.clock().instant()).contact();
    }

    /** Forgets contacts, events, recorded requests, stats, rate-limit usage and faults; settings stay. */
    public void reset() {
        components.reset();
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "hubspot-emulator-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Configuration before start; every setting has a default. */
    public static final class Builder {
        private String bind = DEFAULT_BIND;
        private int port;
        private long hubId = DEFAULT_HUB_ID;
        private Clock clock = Clock.systemUTC();
        private PropertyCatalog catalog;
        private Path eventDefinitionsFile;
        private Collection<String> acceptedTokens = List.of();
        private int rateLimit = EmulatorSettings.DEFAULT_RATE_LIMIT;
        private long dailyLimit = EmulatorSettings.DEFAULT_DAILY_LIMIT;
        private int threads = 8;
        private int journalCapacity = 1000;
        private ApiDispatcher.Sleeper sleeper = Thread::sleep;

        private Builder() {
        }

        /** Address to bind, default 127.0.0.1. */
        public Builder bind(String address) {
            this.bind = Objects.requireNonNull(address, "address");
            return this;
        }

        /** Port, default 0 (any free port; read it back with {@link #port()}). */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0-65535, got " + port);
            }
            this.port = port;
            return this;
        }

        public Builder hubId(long hubId) {
            if (hubId < 1) {
                throw new IllegalArgumentException("hub id must be positive, got " + hubId);
            }
            this.hubId = hubId;
            return this;
        }

        /** Clock for rate-limit windows, timed faults and timestamps; tests pass a {@link ManualClock}. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Builder catalog(PropertyCatalog catalog) {
            this.catalog = Objects.requireNonNull(catalog, "catalog");
            return this;
        }

        /** Replace the built-in event definitions with a file of the same format. */
        public Builder eventDefinitions(Path file) {
            this.eventDefinitionsFile = Objects.requireNonNull(file, "file");
            return this;
        }

        /** Accept only these tokens; empty (default) accepts any non-blank bearer token. */
        public Builder acceptedTokens(Collection<String> tokens) {
            this.acceptedTokens = List.copyOf(tokens);
            return this;
        }

        public Builder rateLimit(int perTenSeconds) {
            this.rateLimit = perTenSeconds;
            return this;
        }

        public Builder dailyLimit(long perDay) {
            this.dailyLimit = perDay;
            return this;
        }

        /** Worker threads (bounded pool), default 8. */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1, got " + threads);
            }
            this.threads = threads;
            return this;
        }

        /** How many recent requests to keep for inspection, default 1000. */
        public Builder journalCapacity(int capacity) {
            this.journalCapacity = capacity;
            return this;
        }

        Builder sleeper(ApiDispatcher.Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper);
            return this;
        }

        public HubSpotEmulator build() {
            return new HubSpotEmulator(this);
        }
    }

}
