package dev.sluice.testkit;

import dev.sluice.api.DestinationContext;
import dev.sluice.api.config.DestinationConfig;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;

/**
 * A {@link DestinationContext} for a plugin's own tests: the config, mode and clock you give, relative
 * paths resolved against {@code baseDirectory}, a {@link RecordingLogger} instead of the host's
 * logging so the test can read what the destination logged, and {@link RecordingMetrics} for what
 * it reported to the host's metrics.
 */
public final class TestContext implements DestinationContext {

    private final String destinationId;
    private final String mode;
    private final DestinationConfig config;
    private final Clock clock;
    private final Path baseDirectory;
    private final RecordingLogger logger;
    private final RecordingMetrics metrics = new RecordingMetrics();

    public TestContext(String destinationId, String mode, DestinationConfig config, Clock clock, Path baseDirectory) {
        this.destinationId = Objects.requireNonNull(destinationId, "destinationId");
        this.mode = Objects.requireNonNull(mode, "mode");
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.baseDirectory = baseDirectory.toAbsolutePath().normalize();
        this.logger = new RecordingLogger("sluice.destination." + destinationId);
    }

    @Override
    public String destinationId() {
        return destinationId;
    }

    @Override
    public String mode() {
        return mode;
    }

    @Override
    public DestinationConfig config() {
        return config;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public Path baseDirectory() {
        return baseDirectory;
    }

    @Override
    public RecordingLogger logger() {
        return logger;
    }

    /** What the destination reported for the host's metrics (calls, rate-limit waits, dropped values). */
    @Override
    public RecordingMetrics metrics() {
        return metrics;
    }
}
