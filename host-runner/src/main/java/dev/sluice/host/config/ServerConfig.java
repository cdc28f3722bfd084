package dev.sluice.host.config;

import java.util.Objects;

/**
 * The {@code server:} section.
 *
 * @param bindAddress     {@code server.bind}, default {@code 0.0.0.0}
 * @param port            {@code server.port}, default 8001 (Jitsu Classic's)
 * @param maxEventSize    {@code server.max_event_size}: bytes per event, default 51,200 (Jitsu's)
 * @param maxBodySize     {@code server.max_body_size}: bytes per request, default 10 MiB
 * @param durability      {@code server.durability}: how commits to the queue reach the disk, default
 *                        {@link Durability#NORMAL}
 */
public record ServerConfig(String bindAddress, int port, long maxEventSize, long maxBodySize,
                           Durability durability) {

    public static final int DEFAULT_PORT = 8001;
    public static final long DEFAULT_MAX_EVENT_SIZE = 51_200;
    public static final long DEFAULT_MAX_BODY_SIZE = 10L * 1024 * 1024;
    public static final Durability DEFAULT_DURABILITY = Durability.NORMAL;

    public ServerConfig {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(durability, "durability");
    }

    /** With the default durability. */
    public ServerConfig(String bindAddress, int port, long maxEventSize, long maxBodySize) {
        this(bindAddress, port, maxEventSize, maxBodySize, DEFAULT_DURABILITY);
    }

    public static ServerConfig defaults() {
        return new ServerConfig("0.0.0.0", DEFAULT_PORT, DEFAULT_MAX_EVENT_SIZE, DEFAULT_MAX_BODY_SIZE);
    }
}
