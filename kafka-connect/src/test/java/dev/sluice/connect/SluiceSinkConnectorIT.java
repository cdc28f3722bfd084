package dev.sluice.connect;

import dev.sluice.emulator.HubSpotEmulator;
import dev.sluice.emulator.RecordedRequest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfo;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfos;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged connector (plugin.path) on a real broker and distributed worker, delivering to the
 * HubSpot emulator through the real HubSpot plugin JAR. One cluster for the class.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SluiceSinkConnectorIT {

    static final String TOKEN = "pat-connect-it-secret-8231";
    static final long WAIT_MS = 90_000;

    @TempDir
    static Path secrets;

    static HubSpotEmulator hubspot;
    static EmbeddedConnectCluster connect;
    static Path secretsFile;

    @BeforeAll
    static void startCluster() throws IOException {
        hubspot = HubSpotEmulator.builder().acceptedTokens(List.of(TOKEN)).journalCapacity(20_000).build().start();
        secretsFile = Files.writeString(secrets.resolve("sluice-secrets.properties"), "hubspot_token=" + TOKEN + "\n");
        connect = ConnectClusters.start("sluice-it", 1);
    }

    @AfterAll
    static void stopCluster() {
        if (connect != null) {
            connect.stop();
        }
        if (hubspot != null) {
            hubspot.close();
        }
    }

    private static void startConnector(String name, Map<String, String> config) throws InterruptedException {
        connect.configureConnector(name, config);
        connect.assertions().assertConnectorAndAtLeastNumTasksAreRunning(name, 1, "the Sluice sink did not start");
    }

    private static void awaitContacts(List<String> emails) throws InterruptedException {
        TestUtils.waitForCondition(() -> emails.stream().allMatch(e -> hubspot.contact(e).isPresent()), WAIT_MS,
                () -> "contacts missing: " + emails.stream().filter(e -> hubspot.contact(e).isEmpty()).toList());
    }

    @Test
    @Order(1)
    void identifyEventsBecomeContactsAndAPoisonedRecordLandsOnTheDeadLetterTopicWithItsReason() throws Exception {
        connect.kafka().createTopic("identify", 2);
        startConnector("identify", ConnectClusters.hubspot("identify", hubspot.baseUrl(), secretsFile));

        List<String> emails = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String email = "user" + i + "@identify.example.com";
            emails.add(email);
            connect.kafka().produce("identify", email, TestRecords.identify("id-" + i, email));
            if (i == 4) {
                connect.kafka().produce("identify", "poison", "{this is not json");
                connect.kafka().produce("identify", "anon", TestRecords.trackWithoutEmail("no-email"));
            }
        }

        awaitContacts(emails);
        ConsumerRecords<byte[], byte[]> dead = connect.kafka().consume(2, WAIT_MS, "identify-dlq");
        List<String> reasons = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : dead) {
            Header reason = record.headers().lastHeader("sluice.rejected.reason");
            assertThat(reason).as("reason header on the dead letter").isNotNull();
            reasons.add(new String(reason.value(), StandardCharsets.UTF_8));
        }
        assertThat(reasons).hasSize(2).anySatisfy(r -> assertThat(r).startsWith("not a Sluice event: the value is not JSON"))
                .anySatisfy(r -> assertThat(r).contains("email"));
        assertThat(hubspot.contact("user9@identify.example.com").orElseThrow().properties()).containsEntry("firstname", "Ada");
    }

    @Test
    @Order(2)
    void a503OutageAndA429StormLoseNothingAndNeverSendADeliveredEventAgain() throws Exception {
        connect.kafka().createTopic("outage", 2);
        Map<String, String> config = ConnectClusters.hubspot("outage", hubspot.baseUrl(), secretsFile);
        config.put("batch_size", "5");
        config.put("parallel_calls", "1");
        startConnector("outage", config);

        List<String> emails = new ArrayList<>();
        hubspot.faults().failFor(Duration.ofSeconds(2), 503, null, ".*/batch/upsert");
        for (int i = 0; i < 20; i++) {
            String email = "user" + i + "@outage.example.com";
            emails.add(email);
            connect.kafka().produce("outage", email, TestRecords.identify("outage-" + i, email));
        }
        awaitContacts(emails);

        // HubSpot's ten-secondly 429: the plugin holds every call until the window ends (10 s each)
        hubspot.faults().failNext(3, 429, null, ".*/batch/upsert");
        for (int i = 20; i < 40; i++) {
            String email = "user" + i + "@outage.example.com";
            emails.add(email);
            connect.kafka().produce("outage", email, TestRecords.identify("outage-" + i, email));
        }
        awaitContacts(emails);

        List<RecordedRequest> upserts = hubspot.requests().stream()
                .filter(r -> r.path().contains("/batch/upsert") && r.body().contains("@outage.example.com")).toList();
        assertThat(upserts).as("the outage and the storm were met").anyMatch(r -> r.status() == 503)
                .anyMatch(r -> r.status() == 429);
        Map<String, Integer> acceptedTimes = new HashMap<>();
        for (RecordedRequest r : upserts) {
            if (r.status() / 100 == 2) {
                for (String email : emails) {
                    if (r.body().contains("\"" + email + "\"")) {
                        acceptedTimes.merge(email, 1, Integer::sum);
                    }
                }
            }
        }
        assertThat(acceptedTimes).as("each event accepted by HubSpot exactly once").hasSize(40)
                .allSatisfy((email, times) -> assertThat(times).as(email).isEqualTo(1));
    }

    @Test
    @Order(3)
    void validationNamesTheDestinationFieldsAsSluiceCheckDoesAndHidesTheToken() throws Exception {
        Map<String, String> config = ConnectClusters.hubspot("identify", hubspot.baseUrl(), secretsFile);
        config.put("access_token", TOKEN);
        config.remove("hub_id");
        config.put("parallel_calls", "many");
        config.remove("errors.tolerance");

        ConfigInfos infos = connect.validateConnectorConfig("SluiceSinkConnector", config);

        Map<String, List<String>> errors = new HashMap<>();
        Map<String, String> types = new HashMap<>();
        for (ConfigInfo info : infos.configs()) {
            errors.put(info.configValue().name(), info.configValue().errors());
            if (info.configKey() != null) {
                types.put(info.configKey().name(), info.configKey().type());
            }
        }
        assertThat(errors.get("hub_id")).anySatisfy(e -> assertThat(e).startsWith("is required"));
        assertThat(errors.get("parallel_calls")).anySatisfy(e -> assertThat(e).contains("must be a whole number"));
        assertThat(errors.get("errors.deadletterqueue.topic.name")).anySatisfy(e -> assertThat(e).contains("errors.tolerance=all"));
        assertThat(types).containsEntry("access_token", "PASSWORD").containsEntry("requests_per_10s", "LONG");
        String raw;
        try (var response = connect.requestPut(connect.endpointForResource(
                "connector-plugins/SluiceSinkConnector/config/validate"), JSON.writeValueAsString(config))) {
            raw = String.valueOf(response.getEntity());
        }
        assertThat(raw).contains("hub_id").doesNotContain(TOKEN);
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    @Test
    @Order(99)
    void theTokenAppearsInNoRestAnswerAndNoLog() throws Exception {
        List<String> answers = new ArrayList<>();
        for (String resource : List.of("connectors?expand=info&expand=status", "connectors/identify",
                "connectors/identify/config", "connectors/identify/tasks", "connectors/identify/status",
                "connectors/outage/tasks", "connectors/identify/topics", "connector-plugins", "connectors/identify/offsets")) {
            try (var response = connect.requestGet(connect.endpointForResource(resource))) {
                assertThat(response.getStatus()).as(resource).isEqualTo(200);
                answers.add(String.valueOf(response.getEntity()));
            }
        }
        assertThat(String.join("\n", answers)).contains("${file:").doesNotContain(TOKEN);
        List<Path> logs;
        try (Stream<Path> files = Files.walk(Path.of("target/test-logs"))) {
            logs = files.filter(Files::isRegularFile).toList(); // this JVM's log: the broker's, the worker's, ours
        }
        assertThat(logs).isNotEmpty();
        long logged = 0;
        for (Path log : logs) {
            String text = Files.readString(log, StandardCharsets.ISO_8859_1);
            logged += text.length();
            assertThat(text).as(log.toString()).doesNotContain(TOKEN);
        }
        assertThat(logged).as("the worker logged").isGreaterThan(10_000);
    }
}
