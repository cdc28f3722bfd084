package dev.sluice.host.kafka;

import dev.sluice.host.config.QueueSettings;
import dev.sluice.host.pipeline.RoutedEvent;
import dev.sluice.host.pipeline.SinkUnavailableException;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KafkaEventSinkTest {

    private static RoutedEvent event(String json) {
        return new RoutedEvent("hs", "event-1", json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void keysByAnonymousIdThenEmailThenUserIdThenEventId() {
        assertThat(KafkaEventSink.userKey(event("{\"user\":{\"anonymous_id\":\"a1\",\"email\":\"e@x\"}}"))).isEqualTo("a1");
        assertThat(KafkaEventSink.userKey(event("{\"user\":{\"email\":\"e@x\",\"id\":\"u1\"}}"))).isEqualTo("e@x");
        assertThat(KafkaEventSink.userKey(event("{\"user\":{\"id\":\"u1\",\"email\":\" \"}}"))).isEqualTo("u1");
        assertThat(KafkaEventSink.userKey(event("{\"event_type\":\"x\"}"))).isEqualTo("event-1");
        assertThat(KafkaEventSink.userKey(event("not json"))).isEqualTo("event-1");
    }

    @Test
    void theUserCannotWeakenAcknowledgementsAndTimeoutsFollowAckTimeout() {
        QueueSettings.Kafka settings = new QueueSettings.Kafka("k:9092", "sluice.", Map.of(), Duration.ofSeconds(4),
                Map.of("linger.ms", "50", "compression.type", "zstd"));

        Map<String, Object> config = KafkaEventSink.producerConfig(settings);

        assertThat(config).containsEntry("acks", "all").containsEntry("enable.idempotence", "true")
                .containsEntry("bootstrap.servers", "k:9092").containsEntry("max.block.ms", "4000")
                .containsEntry("delivery.timeout.ms", "4000").containsEntry("linger.ms", "50")
                .containsEntry("compression.type", "zstd");
    }

    @Test
    void aBrokerThatCannotBeReachedIsUnavailableWithinTheAckTimeout() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        QueueSettings.Kafka settings = new QueueSettings.Kafka("127.0.0.1:" + closedPort, "sluice.", Map.of(),
                Duration.ofSeconds(1), Map.of());
        try (KafkaEventSink sink = KafkaEventSink.open(settings)) {
            assertThatThrownBy(() -> sink.enqueue(List.of(event("{\"user\":{\"email\":\"e@x\"}}"))))
                    .isInstanceOf(SinkUnavailableException.class).hasMessageContaining("Kafka");
        }
    }
}
