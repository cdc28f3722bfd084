package dev.sluice.connect;

import dev.sluice.emulator.HubSpotEmulator;
import dev.sluice.host.embed.EmbeddedHost;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.apache.kafka.test.TestUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The second shape end to end: a Sluice host with {@code server.queue: kafka} produces to a real
 * broker, the Sluice sink connector on a real worker delivers to the HubSpot emulator. Then the
 * broker stops and the host answers 503, never a 200 it cannot keep.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostToKafkaIT {

    static final String TOKEN = "pat-host-to-kafka-secret-6060";
    static final String S2S_KEY = "s2s-key-host-to-kafka";

    @TempDir
    static Path work;

    static HubSpotEmulator hubspot;
    static EmbeddedConnectCluster connect;
    static EmbeddedHost host;
    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        hubspot = HubSpotEmulator.builder().acceptedTokens(List.of(TOKEN)).build().start();
        connect = ConnectClusters.start("sluice-host-to-kafka", 1);
        connect.kafka().createTopic("sluice.hs", 2);
        Path config = Files.writeString(work.resolve("sluice.yaml"), """
                server:
                  port: 0
                  bind: 127.0.0.1
                  data_dir: data
                  queue: kafka
                  kafka:
                    bootstrap_servers: %s
                    ack_timeout: 3s
                api_keys:
                  - id: it
                    server_secret: %s
                destinations:
                  hs:
                    type: hubspot
                    mode: stream
                    config:
                      access_token: ${env:HS_TOKEN}
                      hub_id: "20546336"
                      base_url: %s
                """.formatted(connect.kafka().bootstrapServers(), S2S_KEY, hubspot.baseUrl())
                .replace("${env:HS_TOKEN}", TOKEN));
        host = EmbeddedHost.builder(config).pluginJar(Path.of(System.getProperty("sluice.destinations.dir",
                "target/destinations"), "hubspot-plugin.jar")).start();
    }

    @AfterAll
    static void stop() {
        if (host != null) {
            host.close();
        }
        if (connect != null) {
            connect.stop();
        }
        if (hubspot != null) {
            hubspot.close();
        }
    }

    static int post(String email) throws IOException, InterruptedException {
        String body = "{\"event_type\":\"user_identify\",\"user\":{\"email\":\"" + email + "\",\"anonymous_id\":\"anon-"
                + email + "\"}}";
        HttpRequest request = HttpRequest.newBuilder(host.baseUri().resolve("/api/v1/s2s/event?token=" + S2S_KEY))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    @Order(1)
    void eventsAnswered200AreOnTheDestinationsTopicKeyedByUserAndTheConnectorDeliversThem() throws Exception {
        List<String> emails = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String email = "user" + i + "@host.example.com";
            emails.add(email);
            assertThat(post(email)).as(email).isEqualTo(200);
        }

        ConsumerRecords<byte[], byte[]> records = connect.kafka().consume(10, 30_000, "sluice.hs");
        Map<String, String> keyByEmail = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            String value = new String(record.value(), StandardCharsets.UTF_8);
            String email = emails.stream().filter(value::contains).findFirst().orElseThrow();
            keyByEmail.put(email, new String(record.key(), StandardCharsets.UTF_8));
            assertThat(value).contains("\"eventn_ctx_event_id\"");
        }
        assertThat(keyByEmail).hasSize(10).allSatisfy((email, key) -> assertThat(key).isEqualTo("anon-" + email));

        Map<String, String> connector = ConnectClusters.hubspot("sluice.hs", hubspot.baseUrl(),
                Files.writeString(work.resolve("secrets.properties"), "hubspot_token=" + TOKEN + "\n"));
        connect.configureConnector("hs", connector);
        TestUtils.waitForCondition(() -> emails.stream().allMatch(e -> hubspot.contact(e).isPresent()), 60_000,
                "the connector did not deliver every event the host acknowledged");
    }

    @Test
    @Order(2)
    void aKilledHostLosesNothingItAcknowledged() throws Exception {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path pluginsDir = Path.of(System.getProperty("sluice.destinations.dir", "target/destinations"));
        Path config = Files.writeString(work.resolve("kill.yaml"), Files.readString(work.resolve("sluice.yaml"))
                .replace("port: 0", "port: " + port).replace("data_dir: data", "data_dir: kill-data"));
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dsluice.test.log=target/test-logs/killed-host.log", "-cp", classPath,
                "dev.sluice.host.cli.SluiceMain", "run", "--config", config.toString(), "--plugins", pluginsDir.toString())
                .redirectErrorStream(true).redirectOutput(work.resolve("killed-host.out").toFile()).start();
        try {
            URI health = URI.create("http://127.0.0.1:" + port + "/health");
            TestUtils.waitForCondition(() -> {
                try {
                    return http.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(2)).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                } catch (IOException e) {
                    return false;
                }
            }, 60_000, "the host process did not become healthy");

            java.util.Set<String> acknowledged = java.util.concurrent.ConcurrentHashMap.newKeySet();
            java.util.concurrent.atomic.AtomicInteger sequence = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.CountDownLatch enough = new java.util.concurrent.CountDownLatch(150);
            java.util.concurrent.ExecutorService senders = java.util.concurrent.Executors.newFixedThreadPool(4);
            for (int t = 0; t < 4; t++) {
                senders.submit(() -> {
                    while (true) {
                        String email = "kill" + sequence.incrementAndGet() + "@host.example.com";
                        try {
                            if (postTo(port, email) == 200) {
                                acknowledged.add(email);
                                enough.countDown();
                            }
                        } catch (IOException e) {
                            return; // the host is gone
                        }
                    }
                });
            }
            assertThat(enough.await(60, java.util.concurrent.TimeUnit.SECONDS)).as("150 events acknowledged").isTrue();
            process.destroyForcibly(); // SIGKILL
            assertThat(process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            senders.shutdown();
            assertThat(senders.awaitTermination(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

            java.util.Set<String> onTopic = new java.util.HashSet<>();
            for (ConsumerRecord<byte[], byte[]> record : connect.kafka().consume(10 + acknowledged.size(), 60_000,
                    "sluice.hs")) {
                String value = new String(record.value(), StandardCharsets.UTF_8);
                int at = value.indexOf("\"email\":\"");
                onTopic.add(value.substring(at + 9, value.indexOf('"', at + 9)));
            }
            assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(150);
            assertThat(onTopic).as("every event answered 200 is in Kafka").containsAll(acknowledged);
            System.out.println("HOST-KILL acknowledged=" + acknowledged.size() + " on_topic=" + onTopic.size()
                    + " sent=" + sequence.get());
        } finally {
            process.destroyForcibly();
        }
    }

    static int postTo(int port, String email) throws IOException {
        String body = "{\"event_type\":\"user_identify\",\"user\":{\"email\":\"" + email + "\"}}";
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/api/v1/s2s/event?token=" + S2S_KEY)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    @Test
    @Order(3)
    void withTheBrokerDownTheHostAnswers503NotALostOk() throws Exception {
        connect.kafka().stopOnlyBrokers();

        long started = System.nanoTime();
        int status = post("after-the-broker-stopped@host.example.com");

        assertThat(status).isEqualTo(503);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("bounded by ack_timeout")
                .isLessThan(Duration.ofSeconds(25));
    }
}
