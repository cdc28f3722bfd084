package dev.sluice.host.config;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code server.queue} and {@code server.kafka}: where ingest puts accepted events.
 *
 * @param kind  {@code sqlite} (the default: the host's own durable queue, delivered by this host)
 *              or {@code kafka} (one topic per destination, delivered by the Sluice sink connector
 *              on Kafka Connect)
 * @param kafka the Kafka settings, present exactly when {@code kind} is {@code kafka}
 */
public record QueueSettings(Kind kind, Optional<Kafka> kafka) {

    public enum Kind {
        SQLITE, KAFKA
    }

    public static final QueueSettings SQLITE = new QueueSettings(Kind.SQLITE, Optional.empty());

    public QueueSettings {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(kafka, "kafka");
        if ((kind == Kind.KAFKA) != kafka.isPresent()) {
            throw new IllegalArgumentException("Kafka settings go with queue kafka only");
        }
    }

    /**
     * {@code server.kafka}.
     *
     * @param bootstrapServers {@code bootstrap_servers}, required
     * @param topicPrefix      {@code topic_prefix}, default {@code sluice.}: a destination's topic is
     *                         the prefix plus its id unless {@code topics} names one
     * @param topics           {@code topics}: destination id to topic name
     * @param ackTimeout       {@code ack_timeout}, default 10 s: how long a request waits for the
     *                         broker's acknowledgement before it is answered 503
     * @param producer         {@code producer}: more Kafka producer settings (e.g. {@code linger.ms},
     *                         security); {@code acks}, idempotence and the serializers are fixed
     */
    public record Kafka(String bootstrapServers, String topicPrefix, Map<String, String> topics, Duration ackTimeout,
                        Map<String, String> producer) {

        public static final String DEFAULT_TOPIC_PREFIX = "sluice.";
        public static final Duration DEFAULT_ACK_TIMEOUT = Duration.ofSeconds(10);

        public Kafka {
            Objects.requireNonNull(bootstrapServers, "bootstrapServers");
            Objects.requireNonNull(topicPrefix, "topicPrefix");
            topics = Map.copyOf(topics);
            Objects.requireNonNull(ackTimeout, "ackTimeout");
            producer = Map.copyOf(producer);
        }

        /** The topic of a destination's events. */
        public String topic(String destinationId) {
            return topics.getOrDefault(destinationId, topicPrefix + destinationId);
        }

        /** The producer settings' names only: values may hold credentials (SASL). */
        @Override
        public String toString() {
            return "Kafka{bootstrap_servers=" + bootstrapServers + ", topic_prefix=" + topicPrefix + ", topics=" + topics
                    + ", ack_timeout=" + ackTimeout + ", producer=" + producer.keySet() + "}";
        }
    }
}
