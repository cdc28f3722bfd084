package dev.sluice.host.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.host.config.QueueSettings;
import dev.sluice.host.pipeline.EventSink;
import dev.sluice.host.pipeline.RoutedEvent;
import dev.sluice.host.pipeline.SinkUnavailableException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code server.queue: kafka}: ingest's events go to one Kafka topic per destination instead of the
 * SQLite queue, for the Sluice sink connector on Kafka Connect to deliver. {@link #enqueue}
 * returns only after the broker acknowledged every event of the request with {@code acks=all}
 * (idempotent producer), so ingest answers 200 only for events the cluster holds; a broker that
 * cannot be reached, or does not acknowledge within {@code ack_timeout}, makes it throw
 * {@link SinkUnavailableException} (503), never a lost 200.
 *
 * <p>Records are keyed by the user's identity ({@code user.anonymous_id}, else {@code user.email},
 * else {@code user.id}, else the event id), so one user's events stay in one partition, in order.
 * The value is the enriched event JSON exactly as the SQLite queue would store it.
 *
 * <p>Unlike a SQLite commit, the events of one request are not all-or-none: when some are
 * acknowledged and others not, the request is answered 503 and the sender's retry duplicates the
 * acknowledged ones (at least once, as after any 503).
 */
public final class KafkaEventSink implements EventSink, AutoCloseable {

    /** The header of an event the host dead-lettered (its transform failed), with the reason. */
    public static final String DEAD_LETTER_HEADER = "sluice.dead_letter.reason";

    private static final Logger log = LoggerFactory.getLogger(KafkaEventSink.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaProducer<String, byte[]> producer;
    private final QueueSettings.Kafka settings;

    private KafkaEventSink(KafkaProducer<String, byte[]> producer, QueueSettings.Kafka settings) {
        this.producer = producer;
        this.settings = settings;
    }

    /** Opens the producer; no connection is made until the first event. */
    public static KafkaEventSink open(QueueSettings.Kafka settings) {
        Objects.requireNonNull(settings, "settings");
        return new KafkaEventSink(new KafkaProducer<>(producerConfig(settings)), settings);
    }

    /** The producer's settings: the user's, then what the promise needs (which the user may not change). */
    static Map<String, Object> producerConfig(QueueSettings.Kafka settings) {
        Map<String, Object> config = new HashMap<>();
        long ackMs = Math.max(1_000, settings.ackTimeout().toMillis());
        // A request waits at most ack_timeout: metadata (broker unreachable) and the acknowledgement.
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(ackMs));
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(Math.max(500, ackMs / 2)));
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(ackMs));
        config.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "sluice-host");
        config.putAll(settings.producer());
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        // delivery.timeout.ms must be at least linger.ms + request.timeout.ms
        long linger = Long.parseLong(String.valueOf(config.get(ProducerConfig.LINGER_MS_CONFIG)));
        long request = Long.parseLong(String.valueOf(config.get(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG)));
        long delivery = Long.parseLong(String.valueOf(config.get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG)));
        if (delivery < linger + request) {
            config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(linger + request));
        }
        return config;
    }

    @Override
    public void enqueue(List<RoutedEvent> events) throws SinkUnavailableException {
        long deadline = System.nanoTime() + settings.ackTimeout().toNanos();
        List<Future<RecordMetadata>> acks = new ArrayList<>(events.size());
        try {
            for (RoutedEvent event : events) {
                ProducerRecord<String, byte[]> record = new ProducerRecord<>(settings.topic(event.destinationId()),
                        userKey(event), event.json());
                // Dead-lettered in the host (its transform failed): the connector sends it to the
                // dead-letter topic with this reason instead of to the destination.
                event.deadLetterReason().ifPresent(reason ->
                        record.headers().add(DEAD_LETTER_HEADER, reason.getBytes(StandardCharsets.UTF_8)));
                acks.add(producer.send(record));
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (TimeoutException e) {
            throw unavailable("Kafka did not acknowledge the events within " + describe(settings.ackTimeout()), e);
        } catch (ExecutionException e) {
            throw unavailable("Kafka refused the events: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("interrupted while waiting for Kafka's acknowledgement", e);
        } catch (RuntimeException e) {
            // send() itself: no metadata within max.block.ms (broker unreachable), a closed producer
            throw unavailable("Kafka cannot take events: " + e.getMessage(), e);
        }
    }

    private SinkUnavailableException unavailable(String message, Throwable cause) {
        log.warn("{} (server.kafka.bootstrap_servers: {}); answering 503", message, settings.bootstrapServers());
        return new SinkUnavailableException(message, cause);
    }

    private static String describe(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    /** The user's identity, for the record key; the event id when the event names no user. */
    static String userKey(RoutedEvent event) {
        try {
            JsonNode root = JSON.readTree(event.json());
            JsonNode user = root == null ? null : root.get("user");
            if (user != null && user.isObject()) {
                for (String field : List.of("anonymous_id", "email", "id")) {
                    JsonNode value = user.get(field);
                    if (value != null && value.isTextual() && !value.asText().isBlank()) {
                        return value.asText();
                    }
                }
            }
        } catch (IOException e) {
            // ingest wrote this JSON; fall back to the event id
        }
        return event.eventId();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
