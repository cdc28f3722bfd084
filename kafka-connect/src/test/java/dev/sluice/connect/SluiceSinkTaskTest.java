package dev.sluice.connect;

import dev.sluice.emulator.HubSpotEmulator;
import dev.sluice.emulator.RecordedRequest;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.sluice.connect.TestRecords.identify;
import static dev.sluice.connect.TestRecords.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The task against the real HubSpot plugin JAR (loaded as the host loads it) and the emulator. */
class SluiceSinkTaskTest {

    static final String TOKEN = "pat-task-secret-4711";
    static final TopicPartition P0 = new TopicPartition("events", 0);
    static final TopicPartition P1 = new TopicPartition("events", 1);

    private HubSpotEmulator hubspot;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-06T10:00:00Z"));
    private final RecordingTaskContext context = new RecordingTaskContext(true);
    private SluiceSinkTask task;

    @BeforeEach
    void start() {
        hubspot = HubSpotEmulator.builder().acceptedTokens(List.of(TOKEN)).build().start();
    }

    @AfterEach
    void stop() {
        if (task != null) {
            task.stop();
        }
        hubspot.close();
    }

    static Map<String, String> props(String baseUrl) {
        Map<String, String> props = new HashMap<>();
        props.put("name", "hs");
        props.put(ConnectorSettings.PLUGINS_DIR, System.getProperty("sluice.destinations.dir", "target/destinations"));
        props.put("access_token", TOKEN);
        props.put("hub_id", "20546336");
        props.put("base_url", baseUrl);
        props.put("batch_size", "1");
        props.put("parallel_calls", "1");
        props.put("errors.tolerance", "all");
        props.put("errors.deadletterqueue.topic.name", "events-dlq");
        return props;
    }

    private SluiceSinkTask startTask(Map<String, String> props) {
        task = new SluiceSinkTask(clock);
        task.initialize(context);
        task.start(props);
        task.open(List.of(P0, P1));
        return task;
    }

    private List<RecordedRequest> upserts() {
        return hubspot.requests().stream().filter(r -> r.path().contains("/batch/upsert")).toList();
    }

    @Test
    void deliversIdentifyEventsAndCommitsPastThem() {
        startTask(props(hubspot.baseUrl()));

        task.put(List.of(record("events", 0, 0, identify("e1", "ada@example.com")),
                record("events", 1, 7, identify("e2", "grace@example.com"))));

        assertThat(hubspot.contact("ada@example.com")).isPresent();
        assertThat(hubspot.contact("grace@example.com")).isPresent();
        assertThat(task.preCommit(Map.of(P0, new OffsetAndMetadata(1), P1, new OffsetAndMetadata(8))))
                .isEqualTo(Map.of(P0, new OffsetAndMetadata(1), P1, new OffsetAndMetadata(8)));
        assertThat(context.paused).isEmpty();
        assertThat(context.deadLetters).isEmpty();
    }

    @Test
    void recordsThatAreNotEventsAndRejectedEventsGoToTheDeadLetterTopicWithTheirReason() {
        startTask(props(hubspot.baseUrl()));

        task.put(List.of(record("events", 0, 0, "{not json"),
                record("events", 0, 1, TestRecords.trackWithoutEmail("e2")),
                record("events", 0, 2, identify("e3", "ada@example.com"))));

        assertThat(context.deadLetters).hasSize(2);
        assertThat(reason(context.deadLetters.get(0).record())).startsWith("not a Sluice event: the value is not JSON");
        assertThat(context.deadLetters.get(0).record().kafkaOffset()).isZero();
        assertThat(reason(context.deadLetters.get(1).record())).contains("email");
        assertThat(context.deadLetters.get(1).error().getMessage()).isEqualTo(reason(context.deadLetters.get(1).record()));
        assertThat(hubspot.contact("ada@example.com")).isPresent();
        assertThat(task.preCommit(Map.of(P0, new OffsetAndMetadata(3)))).isEqualTo(Map.of(P0, new OffsetAndMetadata(3)));
    }

    private static String reason(SinkRecord record) {
        Header header = record.headers().lastWithName(SluiceSinkTask.REASON_HEADER);
        assertThat(header).as("the reason header").isNotNull();
        return (String) header.value();
    }

    @Test
    void aFailedCallPausesOnlyItsPartitionAndDeliveredRecordsAreNotSentAgain() {
        startTask(props(hubspot.baseUrl()));
        task.put(List.of()); // starts the destination (its catalog read) before the fault is set
        task.put(List.of(record("events", 0, 0, identify("w", "warm@example.com"))));
        int before = upserts().size();
        hubspot.faults().failNext(1, 503, null, ".*/batch/upsert");

        task.put(List.of(record("events", 0, 1, identify("a", "a@example.com")),
                record("events", 0, 2, identify("b", "b@example.com")),
                record("events", 1, 0, identify("c", "c@example.com"))));

        // a's call failed: a (and b, if the plugin held it back after the failure in the same
        // delivery) wait; c, on the other partition, is delivered.
        assertThat(hubspot.contact("a@example.com")).isEmpty();
        assertThat(hubspot.contact("c@example.com")).isPresent();
        assertThat(context.paused).containsExactly(P0);
        assertThat(context.rewinds).isEqualTo(Map.of(P0, 1L));
        assertThat(context.timeout).isPositive();
        assertThat(task.preCommit(Map.of(P0, new OffsetAndMetadata(3), P1, new OffsetAndMetadata(1))))
                .isEqualTo(Map.of(P0, new OffsetAndMetadata(1), P1, new OffsetAndMetadata(1)));

        // Not due yet: Kafka would not hand these over (paused), and if it did they are not sent.
        task.put(List.of(record("events", 0, 1, identify("a", "a@example.com"))));
        assertThat(hubspot.contact("a@example.com")).isEmpty();

        clock.advance(Duration.ofMinutes(2));
        task.put(List.of());
        assertThat(context.paused).isEmpty();
        task.put(List.of(record("events", 0, 1, identify("a", "a@example.com")),
                record("events", 0, 2, identify("b", "b@example.com"))));

        assertThat(hubspot.contact("a@example.com")).isPresent();
        assertThat(hubspot.contact("b@example.com")).isPresent();
        // Each contact accepted exactly once: nothing delivered is sent again.
        for (String email : List.of("a@example.com", "b@example.com", "c@example.com")) {
            assertThat(upserts().stream().skip(before).filter(r -> r.status() < 300)
                    .filter(r -> r.body().contains(email)).count()).as(email + " accepted once").isEqualTo(1);
        }
        assertThat(upserts().stream().skip(before).filter(r -> r.status() == 503).count()).isEqualTo(1);
        assertThat(task.preCommit(Map.of(P0, new OffsetAndMetadata(3)))).isEqualTo(Map.of(P0, new OffsetAndMetadata(3)));
    }

    @Test
    void refusesToStartWithoutADeadLetterTopicNamingTheSettings() {
        Map<String, String> props = props(hubspot.baseUrl());
        props.remove("errors.deadletterqueue.topic.name");
        task = new SluiceSinkTask(clock);
        task.initialize(context);

        assertThatThrownBy(() -> task.start(props)).isInstanceOf(ConnectException.class)
                .hasMessageContaining("errors.tolerance=all").hasMessageContaining("errors.deadletterqueue.topic.name");
        task = null;
    }

    @Test
    void anInvalidDestinationConfigFailsTheTaskWithTheSluiceCheckWordsAndNoSecret() {
        Map<String, String> props = props(hubspot.baseUrl());
        props.put("hub_id", "not-digits");
        task = new SluiceSinkTask(clock);
        task.initialize(context);

        assertThatThrownBy(() -> task.start(props)).isInstanceOf(ConnectException.class)
                .hasMessageContaining("hub_id: must be digits only").hasMessageNotContaining(TOKEN);
        task = null;
    }
}
