package dev.sluice.hubspot.catalog;

import dev.sluice.api.DestinationException;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * A value read from HubSpot and kept for {@code catalog_refresh}: the one place for the
 * refresh-with-TTL rules that the contact property catalog and the event definitions share.
 *
 * <ul>
 *   <li>{@link #load()} reads it now (at start) and throws when the read fails.</li>
 *   <li>{@link #current()} returns it, re-reading first when {@code refresh} has passed since the
 *       last read or after {@link #invalidate()}.</li>
 *   <li>A failed re-read keeps the value it has, logs a warning, and is tried again one
 *       {@code refresh} later (or at the next use after another {@code invalidate()}).</li>
 *   <li>When there has never been a value, {@code whenNeverRead} decides: throw (nothing can be
 *       mapped without it) or stand in a fallback value.</li>
 * </ul>
 * Thread-safe.
 *
 * @param <T> the value: an immutable snapshot
 */
final class RefreshingValue<T> {

    /** Reads the value from HubSpot. */
    @FunctionalInterface
    interface Reader<T> {
        T read() throws DestinationException;
    }

    private final String what;
    private final Reader<T> reader;
    private final Duration refresh;
    private final Clock clock;
    private final System.Logger logger;
    private final ToIntFunction<T> size;
    private final Function<DestinationException, T> whenNeverRead;

    private volatile T value;
    private Instant nextRefresh = Instant.MIN;

    /**
     * @param what          what is read, for log lines ("contact properties")
     * @param size          how many items a value holds, for log lines
     * @param whenNeverRead the value to use when the first read fails; it may throw instead
     */
    RefreshingValue(String what, Reader<T> reader, Duration refresh, Clock clock, System.Logger logger,
                    ToIntFunction<T> size, Function<DestinationException, T> whenNeverRead) {
        this.what = Objects.requireNonNull(what, "what");
        this.reader = Objects.requireNonNull(reader, "reader");
        this.refresh = Objects.requireNonNull(refresh, "refresh");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.logger = Objects.requireNonNull(logger, "logger");
        this.size = Objects.requireNonNull(size, "size");
        this.whenNeverRead = Objects.requireNonNull(whenNeverRead, "whenNeverRead");
    }

    /** Reads the value now. */
    synchronized void load() throws DestinationException {
        T read = reader.read();
        value = Objects.requireNonNull(read, "read");
        nextRefresh = clock.instant().plus(refresh);
    }

    /** The next use reads the value again. */
    synchronized void invalidate() {
        nextRefresh = Instant.MIN;
    }

    /** The value, read again first when due. */
    synchronized T current() {
        Instant now = clock.instant();
        if (value != null && now.isBefore(nextRefresh)) {
            return value;
        }
        try {
            load();
        } catch (DestinationException e) {
            nextRefresh = now.plus(refresh);
            if (value == null) {
                value = Objects.requireNonNull(whenNeverRead.apply(e), "whenNeverRead");
            }
            logger.log(Level.WARNING, "Re-reading HubSpot's " + what + " failed; keeping the "
                    + size.applyAsInt(value) + " known ones until the next try in " + refresh.toSeconds() + " s: "
                    + e.getMessage());
        }
        return value;
    }
}
