package dev.sluice.host.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** {@code server.queue} and {@code server.kafka}. */
class QueueConfigTest {

    @TempDir
    Path dir;

    private LoadedConfig load(String yaml) throws Exception {
        return new ConfigLoader(Map.of("KAFKA_PASSWORD", "sasl-secret-value")).load(
                Files.writeString(dir.resolve("sluice.yaml"), yaml));
    }

    private InvalidHostConfigException refused(String yaml) throws Exception {
        Path file = Files.writeString(dir.resolve("sluice.yaml"), yaml);
        return catchThrowableOfType(InvalidHostConfigException.class, () -> new ConfigLoader(Map.of()).load(file));
    }

    @Test
    void isTheSqliteQueueWhenNotSet() throws Exception {
        assertThat(load("server:\n  port: 9000\n").config().server().queue()).isEqualTo(QueueSettings.SQLITE);
        assertThat(load("server:\n  queue: sqlite\n").config().server().queue()).isEqualTo(QueueSettings.SQLITE);
    }

    @Test
    void readsKafkaWithDefaultsAndNamesEachTopic() throws Exception {
        LoadedConfig loaded = load("""
                server:
                  queue: kafka
                  kafka:
                    bootstrap_servers: k1:9092,k2:9092
                    topics: {hubspot: events.hubspot}
                    producer:
                      linger.ms: 20
                      sasl.jaas.config: ${env:KAFKA_PASSWORD}
                """);

        QueueSettings queue = loaded.config().server().queue();
        assertThat(queue.kind()).isEqualTo(QueueSettings.Kind.KAFKA);
        QueueSettings.Kafka kafka = queue.kafka().orElseThrow();
        assertThat(kafka.bootstrapServers()).isEqualTo("k1:9092,k2:9092");
        assertThat(kafka.topic("hubspot")).isEqualTo("events.hubspot");
        assertThat(kafka.topic("webhook")).isEqualTo("sluice.webhook");
        assertThat(kafka.ackTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(kafka.producer()).containsEntry("linger.ms", "20");
        assertThat(loaded.config().server().toString()).contains("queue=kafka", "sasl.jaas.config")
                .doesNotContain("sasl-secret-value");
        assertThat(loaded.warnings()).extracting(HostConfigProblem::toString).noneMatch(w -> w.contains("server."));
    }

    @Test
    void refusesKafkaWithoutBootstrapServersAndUnknownOrFixedKeysNamingEach() throws Exception {
        InvalidHostConfigException e = refused("""
                server:
                  queue: kafka
                  kafka:
                    topic_prefx: x.
                    producer: {acks: "1"}
                """);

        assertThat(e.problems()).extracting(HostConfigProblem::toString).anySatisfy(p -> assertThat(p)
                        .endsWith("server.kafka.bootstrap_servers: is required with server.queue: kafka (host:port,...)"))
                .anySatisfy(p -> assertThat(p).contains("server.kafka.topic_prefx: unknown key"))
                .anySatisfy(p -> assertThat(p).contains("server.kafka.producer.acks: is set by Sluice"));
        assertThat(refused("server:\n  queue: kafka\n").problems()).extracting(HostConfigProblem::toString)
                .anySatisfy(p -> assertThat(p).contains("server.kafka: is required with server.queue: kafka"));
        assertThat(refused("server:\n  queue: redis\n").problems()).extracting(HostConfigProblem::toString)
                .anySatisfy(p -> assertThat(p).endsWith("server.queue: must be sqlite or kafka, not 'redis'"));
    }
}
