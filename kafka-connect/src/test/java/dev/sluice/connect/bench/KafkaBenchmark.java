package dev.sluice.connect.bench;

import dev.sluice.emulator.HubSpotEmulator;
import dev.sluice.host.embed.EmbeddedHost;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Kafka shape's benchmarks (issue 17), run by {@code bash bench/run.sh} after the suite:
 * ingest events/s of a host with {@code server.queue: kafka} next to one with the SQLite queue, and
 * contacts/s through the Sluice sink connector with 1 and 2 tasks against the HubSpot emulator's
 * rate limit (the ceiling: limit per 10 s x 100 contacts per batch call / 10 s). A real KRaft broker
 * and Connect worker from Kafka's test kit, in this JVM. Prints markdown rows in the suite's columns.
 *
 * <pre>mvn -pl kafka-connect exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.sluice.connect.bench.KafkaBenchmark [-Dexec.args=--smoke]</pre>
 */
public final class KafkaBenchmark {

    static final String TOKEN = "pat-bench-token-31337";
    static final String S2S_KEY = "bench-s2s-key";
    /** Emulator (and budget) calls per 10 s: a ceiling this machine can reach. */
    static final int RATE_LIMIT = 20;

    private KafkaBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        boolean smoke = List.of(args).contains("--smoke");
        int contacts = smoke ? 800 : 10_000;
        Duration ingestFor = smoke ? Duration.ofSeconds(3) : Duration.ofSeconds(15);
        List<String> rows = new ArrayList<>();
        Path work = Files.createTempDirectory("sluice-kafka-bench");
        try (HubSpotEmulator hubspot = HubSpotEmulator.builder().acceptedTokens(List.of(TOKEN)).rateLimit(RATE_LIMIT)
                .dailyLimit(10_000_000).journalCapacity(100).build().start()) {
            EmbeddedConnectCluster connect = new EmbeddedConnectCluster.Builder().name("sluice-bench").numWorkers(1)
                    .numBrokers(1).workerProps(new HashMap<>(Map.of("offset.flush.interval.ms", "1000"))).build();
            connect.start();
            try {
                double sqlite = ingest(work, "sqlite", connect, hubspot, ingestFor);
                double kafka = ingest(work, "kafka", connect, hubspot, ingestFor);
                rows.add(row("ingest, queue sqlite (16 senders, single events)", sqlite, "events/s", "", null));
                rows.add(row("ingest, queue kafka (16 senders, single events, acks=all)", kafka, "events/s",
                        "compare with sqlite", null));
                double ceiling = RATE_LIMIT * 100 / 10.0;
                for (int tasks : List.of(1, 2)) {
                    Delivery d = deliver(connect, hubspot, tasks, contacts);
                    rows.add(row("connector, " + tasks + " task(s): contacts/s (" + contacts + " contacts, limit "
                            + RATE_LIMIT + "/10s)", d.perSecond, "contacts/s", ">= 90% of " + (int) ceiling,
                            d.perSecond >= 0.9 * ceiling));
                    rows.add(row("connector, " + tasks + " task(s): 429s after warm-up", d.rateLimitedAfterWarmUp,
                            "responses", "0", d.rateLimitedAfterWarmUp == 0));
                }
            } finally {
                connect.stop();
            }
        }
        System.out.println("| section | figure | value | unit | goal | met |");
        System.out.println("|---|---|---:|---|---|---|");
        rows.forEach(System.out::println);
        System.exit(0); // the test kit leaves non-daemon threads behind
    }

    private static String row(String name, double value, String unit, String goal, Boolean met) {
        return "| kafka | " + name + " | " + String.format(Locale.ROOT, value >= 100 || value == Math.rint(value) ? "%,.0f" : "%.1f", value) + " | "
                + unit + " | " + goal + " | " + (met == null ? "" : met ? "yes" : "**no**") + " |";
    }

    /** Events/s a host accepts (200) from 16 concurrent senders for {@code duration}. */
    private static double ingest(Path work, String queue, EmbeddedConnectCluster connect, HubSpotEmulator hubspot,
                                 Duration duration) throws Exception {
        Path dir = Files.createDirectories(work.resolve("ingest-" + queue));
        String kafka = queue.equals("kafka") ? "\n  kafka:\n    bootstrap_servers: " + connect.kafka().bootstrapServers()
                + "\n    topic_prefix: bench-ingest." : "";
        Path config = Files.writeString(dir.resolve("sluice.yaml"), """
                server:
                  port: 0
                  bind: 127.0.0.1
                  queue: %s%s
                api_keys:
                  - id: bench
                    server_secret: %s
                destinations:
                  hs:
                    type: hubspot
                    mode: stream
                    config:
                      access_token: %s
                      hub_id: "20546336"
                      base_url: %s
                      requests_per_10s: %d
                """.formatted(queue, kafka, S2S_KEY, TOKEN, hubspot.baseUrl(), RATE_LIMIT));
        if (queue.equals("kafka")) {
            connect.kafka().createTopic("bench-ingest.hs", 4);
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try (EmbeddedHost host = EmbeddedHost.builder(config).pluginJar(pluginJar()).start()) {
            URI uri = host.baseUri().resolve("/api/v1/s2s/event?token=" + S2S_KEY);
            AtomicLong ok = new AtomicLong();
            AtomicLong sequence = new AtomicLong();
            ExecutorService senders = Executors.newFixedThreadPool(16);
            long end = System.nanoTime() + duration.toNanos();
            long started = System.nanoTime();
            for (int t = 0; t < 16; t++) {
                senders.submit(() -> {
                    while (System.nanoTime() < end) {
                        String body = "{\"event_type\":\"user_identify\",\"user\":{\"email\":\"ingest-" + queue + "-"
                                + sequence.incrementAndGet() + "@bench.example.com\"}}";
                        try {
                            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                                    HttpResponse.BodyHandlers.discarding());
                            if (r.statusCode() == 200) {
                                ok.incrementAndGet();
                            }
                        } catch (IOException | InterruptedException e) {
                            return null;
                        }
                    }
                    return null;
                });
            }
            senders.shutdown();
            if (!senders.awaitTermination(duration.toSeconds() + 60, TimeUnit.SECONDS)) {
                senders.shutdownNow();
            }
            return ok.get() / ((System.nanoTime() - started) / 1e9);
        }
    }

    record Delivery(double perSecond, long rateLimitedAfterWarmUp) {
    }

    /** Produces {@code count} identify events, then times the connector until all are contacts. */
    private static Delivery deliver(EmbeddedConnectCluster connect, HubSpotEmulator hubspot, int tasks, int count)
            throws Exception {
        String topic = "bench-deliver-" + tasks;
        connect.kafka().createTopic(topic, 4);
        List<String> emails = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String email = "t" + tasks + "-" + i + "@deliver.example.com";
            emails.add(email);
            connect.kafka().produce(topic, email, "{\"event_type\":\"user_identify\",\"eventn_ctx_event_id\":\"" + topic
                    + "-" + i + "\",\"user\":{\"email\":\"" + email + "\"}}");
        }
        Path secrets = Files.createTempFile("bench-secrets", ".properties");
        Files.writeString(secrets, "hubspot_token=" + TOKEN + "\n");
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", "dev.sluice.connect.SluiceSinkConnector");
        config.put("tasks.max", Integer.toString(tasks));
        config.put("topics", topic);
        config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        config.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
        config.put("errors.tolerance", "all");
        config.put("errors.deadletterqueue.topic.name", topic + "-dlq");
        config.put("errors.deadletterqueue.topic.replication.factor", "1");
        config.put("sluice.plugins.dir", pluginJar().getParent().toString());
        config.put("access_token", TOKEN);
        config.put("hub_id", "20546336");
        config.put("base_url", hubspot.baseUrl());
        config.put("requests_per_10s", Integer.toString(RATE_LIMIT));
        long rateLimitedBefore = hubspot.stats().rateLimited();
        long started = System.nanoTime();
        connect.configureConnector(topic, config);
        long warmUpEnds = started + Duration.ofSeconds(10).toNanos();
        long rateLimitedAtWarmUp = -1;
        long deliveredAtWarmUp = 0;
        long warmUpAt = 0;
        String last = emails.get(emails.size() - 1);
        long deadline = started + Duration.ofMinutes(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (rateLimitedAtWarmUp < 0 && System.nanoTime() >= warmUpEnds) {
                rateLimitedAtWarmUp = hubspot.stats().rateLimited();
                deliveredAtWarmUp = emails.stream().filter(e -> hubspot.contact(e).isPresent()).count();
                warmUpAt = System.nanoTime();
            }
            if (hubspot.contact(last).isPresent() && emails.stream().allMatch(e -> hubspot.contact(e).isPresent())) {
                break;
            }
            Thread.sleep(100); // a benchmark's polling interval, not a test wait
        }
        long now = System.nanoTime();
        long delivered = emails.stream().filter(e -> hubspot.contact(e).isPresent()).count();
        long after = hubspot.stats().rateLimited() - (rateLimitedAtWarmUp < 0 ? rateLimitedBefore : rateLimitedAtWarmUp);
        connect.deleteConnector(topic);
        // The rate after the first window (HubSpot's rolling window lets a whole budget through at
        // once at the start); when everything arrived within it (smoke sizes), over the whole run.
        boolean measuredAfterWarmUp = warmUpAt > 0 && delivered - deliveredAtWarmUp > 0 && now - warmUpAt > 1e9;
        double perSecond = measuredAfterWarmUp ? (delivered - deliveredAtWarmUp) / ((now - warmUpAt) / 1e9)
                : delivered / ((now - started) / 1e9);
        return new Delivery(perSecond, after);
    }

    private static Path pluginJar() {
        return Path.of(System.getProperty("sluice.destinations.dir", "target/destinations"), "hubspot-plugin.jar")
                .toAbsolutePath();
    }
}
