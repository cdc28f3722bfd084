package dev.sluice.connect;

import dev.sluice.emulator.HubSpotEmulator;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.apache.kafka.connect.util.clusters.WorkerHandle;
import org.apache.kafka.test.TestUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two distributed workers share the connector's tasks; one is stopped mid-stream and its
 * partitions move to the other: every event Kafka acknowledged still becomes a contact.
 */
class TwoWorkersIT {

    static final String TOKEN = "pat-two-workers-secret-5150";
    static final long WAIT_MS = 90_000;

    @TempDir
    static Path secrets;

    static HubSpotEmulator hubspot;
    static EmbeddedConnectCluster connect;

    @BeforeAll
    static void startCluster() {
        hubspot = HubSpotEmulator.builder().acceptedTokens(List.of(TOKEN)).journalCapacity(20_000).build().start();
        connect = ConnectClusters.start("sluice-two-workers", 2);
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

    private static List<String> produce(int from, int to) {
        List<String> emails = new ArrayList<>();
        for (int i = from; i < to; i++) {
            String email = "user" + i + "@workers.example.com";
            emails.add(email);
            connect.kafka().produce("workers", email, TestRecords.identify("workers-" + i, email));
        }
        return emails;
    }

    private static long arrived(List<String> emails) {
        return emails.stream().filter(e -> hubspot.contact(e).isPresent()).count();
    }

    @Test
    void everyAcknowledgedEventArrivesWhenAWorkerStopsMidStream() throws IOException, InterruptedException {
        Path secretsFile = Files.writeString(secrets.resolve("secrets.properties"), "hubspot_token=" + TOKEN + "\n");
        connect.kafka().createTopic("workers", 4);
        Map<String, String> config = ConnectClusters.hubspot("workers", hubspot.baseUrl(), secretsFile);
        config.put("tasks.max", "2");
        config.put("batch_size", "10");
        connect.configureConnector("workers", config);
        connect.assertions().assertConnectorAndAtLeastNumTasksAreRunning("workers", 2, "two tasks did not start");
        assertThat(connect.workers()).hasSize(2);

        List<String> emails = new ArrayList<>(produce(0, 60));
        TestUtils.waitForCondition(() -> arrived(emails) >= 20, WAIT_MS, "the first events did not arrive");

        WorkerHandle stopped = connect.workers().iterator().next();
        connect.removeWorker(stopped);
        emails.addAll(produce(60, 120));

        TestUtils.waitForCondition(() -> arrived(emails) == emails.size(), WAIT_MS,
                () -> (emails.size() - arrived(emails)) + " of " + emails.size() + " events never arrived");
        connect.assertions().assertConnectorAndAtLeastNumTasksAreRunning("workers", 2,
                "the remaining worker does not run both tasks");
        assertThat(connect.workers()).hasSize(1);
    }
}
