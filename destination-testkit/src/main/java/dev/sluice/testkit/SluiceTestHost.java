package dev.sluice.testkit;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.api.DestinationFactory;
import dev.sluice.host.embed.DestinationStatus;
import dev.sluice.host.embed.EmbeddedHost;
import dev.sluice.host.embed.EmbeddedHostException;
import dev.sluice.host.embed.StoredDeadLetter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Sluice in this JVM for a plugin's tests: the real host (config, plugin loading, durable queue,
 * delivery workers, the Jitsu Events API on a loopback port) started from a few lines, events
 * posted over HTTP exactly as clients post them, and bounded waits for what happened to them.
 *
 * <pre>{@code
 * try (SluiceTestHost host = SluiceTestHost.builder()
 *         .pluginJar(PluginJarAssertions.builtJar())                 // or .factory(new MyFactory())
 *         .destination("out", "webhook", Map.of("url", server.url("/hook").toString()))
 *         .start()) {
 *     assertEquals(200, host.send(Map.of("event_type", "signup", "user", Map.of("email", "a@b.c"))));
 *     host.awaitDelivered("out", 1, Duration.ofSeconds(10));
 * }
 * }</pre>
 *
 * <p>The config it writes (JSON, which is YAML) binds {@code 127.0.0.1} on a free port, keeps its
 * data in a temporary folder removed on close, has one api key whose secrets are random, and
 * retries quickly ({@code backoff_initial: 100ms}, {@code linger: 20ms}) unless you set
 * {@code delivery} yourself. {@link Builder#configFile} runs your own config file instead.
 */
public final class SluiceTestHost implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration POLL = Duration.ofMillis(20);

    private final EmbeddedHost host;
    private final Path workDir;
    private final boolean ownsWorkDir;
    private final String serverSecret;
    private final String clientSecret;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private SluiceTestHost(EmbeddedHost host, Path workDir, boolean ownsWorkDir, String serverSecret,
                           String clientSecret) {
        this.host = host;
        this.workDir = workDir;
        this.ownsWorkDir = ownsWorkDir;
        this.serverSecret = serverSecret;
        this.clientSecret = clientSecret;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The embedded host (port, status, dead letters). */
    public EmbeddedHost embedded() {
        return host;
    }

    /** {@code http://127.0.0.1:PORT/}. */
    public URI baseUri() {
        return host.baseUri();
    }

    /** The server-to-server secret of the generated api key (for {@code /api/v1/s2s/event}). */
    public String serverSecret() {
        return serverSecret;
    }

    /** The browser secret of the generated api key (for {@code /api/v1/event}). */
    public String clientSecret() {
        return clientSecret;
    }

    /** Posts one event (a JSON-like map) to {@code /api/v1/s2s/event}; returns the HTTP status. */
    public int send(Map<String, ?> event) {
        return post("/api/v1/s2s/event", toJson(event));
    }

    /** Posts a raw body (one event object or an array of them) to {@code /api/v1/s2s/event}; returns the status. */
    public int sendJson(String body) {
        return post("/api/v1/s2s/event", body);
    }

    /** Posts a raw body to a path of the Events API with the server secret; returns the status. */
    public int post(String path, String body) {
        HttpRequest request = HttpRequest.newBuilder(baseUri().resolve(path))
                .timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/json")
                .header("X-Auth-Token", serverSecret)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException("POST " + path + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while posting to " + path, e);
        }
    }

    /** The destination's status now. */
    public DestinationStatus status(String destinationId) {
        return host.destination(destinationId);
    }

    /** Waits until at least {@code count} events were delivered to the destination; fails after {@code timeout}. */
    public DestinationStatus awaitDelivered(String destinationId, long count, Duration timeout) {
        return await(destinationId, s -> s.delivered() >= count, count + " delivered", timeout);
    }

    /** Waits until at least {@code count} events reached an end (delivered, skipped or dead-lettered). */
    public DestinationStatus awaitSettled(String destinationId, long count, Duration timeout) {
        return await(destinationId, s -> s.settled() >= count, count + " settled", timeout);
    }

    /** Waits until at least {@code count} events were retried at least once (attempts that ended in retry). */
    public DestinationStatus awaitRetried(String destinationId, long count, Duration timeout) {
        return await(destinationId, s -> s.retried() >= count, count + " retried", timeout);
    }

    /** Waits until at least {@code count} dead letters are stored for the destination and returns them. */
    public List<StoredDeadLetter> awaitDeadLetters(String destinationId, int count, Duration timeout) {
        await(destinationId, s -> s.deadLettered() >= count, count + " dead-lettered", timeout);
        return host.deadLetters(destinationId, Math.max(count, 1000));
    }

    /** Waits until the destination's status satisfies {@code condition}; fails with the last status. */
    public DestinationStatus await(String destinationId, Predicate<DestinationStatus> condition, String what,
                                   Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        DestinationStatus last = host.destination(destinationId);
        while (!condition.test(last)) {
            String fatal = host.fatalFailures().get(destinationId);
            if (fatal != null) {
                throw new AssertionError("destination '" + destinationId + "' failed to start for good: " + fatal);
            }
            if (System.nanoTime() >= deadline) {
                throw new AssertionError("destination '" + destinationId + "': not " + what + " within " + timeout
                        + "; last status " + last);
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
            last = host.destination(destinationId);
        }
        return last;
    }

    /** Stops the host (port first, then deliveries, then the queue) and removes its temporary folder. */
    @Override
    public void close() {
        host.close();
        if (ownsWorkDir) {
            deleteTree(workDir);
        }
    }

    private static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON-serialisable: " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind is harmless
        }
    }

    /** How to start a {@link SluiceTestHost}. */
    public static final class Builder {

        private final Map<String, Map<String, Object>> destinations = new LinkedHashMap<>();
        private final List<Path> pluginJars = new ArrayList<>();
        private final List<DestinationFactory> factories = new ArrayList<>();
        private Path configFile;
        private Path pluginsDir;
        private Path workDir;
        private Map<String, String> env = Map.of();

        private Builder() {
        }

        /** A destination in stream mode with this raw config (as YAML would give it). */
        public Builder destination(String id, String type, Map<String, ?> config) {
            return destination(id, type, "stream", config, Map.of());
        }

        /**
         * A destination with its mode, raw config and {@code delivery} settings (e.g.
         * {@code Map.of("batch_size", 10, "retry_for", "2s")}); other destination keys such as
         * {@code data_layout} can go in {@code delivery}'s sibling map via {@link #destinationSpec}.
         */
        public Builder destination(String id, String type, String mode, Map<String, ?> config, Map<String, ?> delivery) {
            Map<String, Object> spec = new LinkedHashMap<>();
            spec.put("type", type);
            spec.put("mode", mode);
            spec.put("config", new LinkedHashMap<>(config));
            Map<String, Object> settings = new LinkedHashMap<>(Map.of("linger", "20ms", "backoff_initial", "100ms",
                    "backoff_max", "1s"));
            settings.putAll(delivery);
            spec.put("delivery", settings);
            return destinationSpec(id, spec);
        }

        /** A destination given as its whole YAML map ({@code type}, {@code mode}, {@code config}, {@code data_layout}, ...). */
        public Builder destinationSpec(String id, Map<String, ?> spec) {
            destinations.put(Objects.requireNonNull(id, "id"), new LinkedHashMap<>(spec));
            return this;
        }

        /** Load this plugin JAR, in its own class loader, exactly as from a plugins folder. */
        public Builder pluginJar(Path jar) {
            pluginJars.add(jar);
            return this;
        }

        /** Register this factory (no packaging needed; no class-loader isolation either). */
        public Builder factory(DestinationFactory factory) {
            factories.add(factory);
            return this;
        }

        /** Load every plugin JAR of this folder. */
        public Builder pluginsDir(Path dir) {
            this.pluginsDir = dir;
            return this;
        }

        /** Run this config file instead of a generated one ({@link #destination} is then not allowed). */
        public Builder configFile(Path file) {
            this.configFile = file;
            return this;
        }

        /** Where the generated config and the data go (kept after close); default a temporary folder, removed on close. */
        public Builder workDir(Path dir) {
            this.workDir = dir;
            return this;
        }

        /** What {@code ${env:NAME}} reads in the config (default: nothing, so tests do not depend on the shell). */
        public Builder env(Map<String, String> env) {
            this.env = Map.copyOf(env);
            return this;
        }

        /**
         * Starts the host.
         *
         * @throws AssertionError listing every problem when it cannot start (invalid config, a
         *                        plugin that did not load, a destination that could not be created)
         */
        public SluiceTestHost start() {
            if (configFile != null && !destinations.isEmpty()) {
                throw new IllegalStateException("give either configFile(...) or destination(...), not both");
            }
            boolean owns = workDir == null;
            String serverSecret = "s2s-" + UUID.randomUUID();
            String clientSecret = "js-" + UUID.randomUUID();
            Path dir;
            try {
                dir = owns ? Files.createTempDirectory("sluice-test-host-") : Files.createDirectories(workDir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Path config = configFile != null ? configFile : writeConfig(dir, serverSecret, clientSecret);
            EmbeddedHost.Builder builder = EmbeddedHost.builder(config).env(env);
            if (pluginsDir != null) {
                builder.pluginsDir(pluginsDir);
            } else if (!pluginJars.isEmpty() || !factories.isEmpty()) {
                builder.noPluginsDir();
            }
            pluginJars.forEach(builder::pluginJar);
            factories.forEach(builder::factory);
            try {
                return new SluiceTestHost(builder.start(), dir, owns, serverSecret, clientSecret);
            } catch (EmbeddedHostException e) {
                if (owns) {
                    deleteTree(dir);
                }
                throw new AssertionError("Sluice did not start:\n  " + String.join("\n  ", e.problems()), e);
            }
        }

        private Path writeConfig(Path dir, String serverSecret, String clientSecret) {
            if (destinations.isEmpty()) {
                throw new IllegalStateException("configure at least one destination(...) or a configFile(...)");
            }
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("server", Map.of("port", 0, "bind", "127.0.0.1", "data_dir", dir.resolve("data").toString()));
            root.put("api_keys", List.of(Map.of("id", "test", "server_secret", serverSecret,
                    "client_secret", clientSecret, "origins", List.of("*"))));
            root.put("destinations", destinations);
            Path file = dir.resolve("sluice.yaml");
            try {
                Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return file;
        }
    }
}
