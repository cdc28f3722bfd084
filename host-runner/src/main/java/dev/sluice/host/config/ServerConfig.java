package dev.sluice.host.config;

import java.util.Objects;
import java.util.Optional;

/**
 * The {@code server:} section.
 *
 * @param bindAddress     {@code server.bind}, default {@code 0.0.0.0}
 * @param port            {@code server.port}, default 8001 (Jitsu Classic's)
 * @param maxEventSize    {@code server.max_event_size}: bytes per event, default 51,200 (Jitsu's)
 * @param maxBodySize     {@code server.max_body_size}: bytes per request, default 10 MiB
 * @param durability      {@code server.durability}: how commits to the queue reach the disk, default
 *                        {@link Durability#NORMAL}
 * @param statsToken      {@code server.stats_token}: a token that may read {@code GET /api/v1/stats}
 *                        besides the api keys' server secrets; masked in {@link #toString()}
 * @param queue           {@code server.queue} and {@code server.kafka}: the host's SQLite queue
 *                        (default) or Kafka
 */
public record ServerConfig(String bindAddress, int port, long maxEventSize, long maxBodySize,
                           Durability durability, Optional<String> statsToken, QueueSettings queue) {

    public static final int DEFAULT_PORT = 8001;
    public static final long DEFAULT_MAX_EVENT_SIZE = 51_200;
    public static final long DEFAULT_MAX_BODY_SIZE = 10L * 1024 * 1024;
    public static final Durability DEFAULT_DURABILITY = Durability.NORMAL;

    public ServerConfig {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(durability, "durability");
        Objects.requireNonNull(statsToken, "statsToken");
        Objects.requireNonNull(queue, "queue");
    }

    /** With the SQLite queue. */
    public ServerConfig(String bindAddress, int port, long maxEventSize, long maxBodySize,
                        Durability durability, Optional<String> statsToken) {
        this(bindAddress, port, maxEventSize, maxBodySize, durability, statsToken, QueueSettings.SQLITE);
    }

    /** Without a stats token. */
    public ServerConfig(String bindAddress, int port, long maxEventSize, long maxBodySize, Durability durability) {
        this(bindAddress, port, maxEventSize, maxBodySize, durability, Optional.empty());
    }

    /** With the default durability and no stats token. */
    public ServerConfig(String bindAddress, int port, long maxEventSize, long maxBodySize) {
        this(bindAddress, port, maxEventSize, maxBodySize, DEFAULT_DURABILITY);
    }

    public static ServerConfig defaults() {
        return new ServerConfig("0.0.0.0", DEFAULT_PORT, DEFAULT_MAX_EVENT_SIZE, DEFAULT_MAX_BODY_SIZE);
    }

    @Override
    public String toString() {
        return "ServerConfig{bind=" + bindAddress + ", port=" + port + ", max_event_size=" + maxEventSize
                + ", max_body_size=" + maxBodySize + ", durability=" + durability.configValue()
                + ", stats_token=" + statsToken.map(t -> "****").orElse("-")
                + ", queue=" + queue.kind().name().toLowerCase(java.util.Locale.ROOT) + queue.kafka().map(k -> " " + k).orElse("")
                + "}";
    }
}
