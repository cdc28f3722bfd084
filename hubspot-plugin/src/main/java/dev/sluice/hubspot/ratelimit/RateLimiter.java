package dev.sluice.hubspot.ratelimit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Paces calls made with one credential to at most {@code max} per rolling window (HubSpot:
 * per 10 s), so that a steady stream never meets a 429.
 *
 * <p>A call's slot is held from {@link #acquire()} until the window has passed after the call
 * {@linkplain Permit#release() finished}. HubSpot counts a call when it receives it, which is
 * between our send and the end of its answer, so counting from the end keeps any {@code max + 1}
 * calls at least a window apart at HubSpot whatever the network latency.
 *
 * <p>HubSpot's answers tighten the pacing: {@code X-HubSpot-RateLimit-Max} lowers {@code max},
 * {@code -Interval-Milliseconds} sets the window, {@code -Remaining} caps the calls left in the
 * current window (other clients may share the token), and a 429 pauses every call until the time
 * the caller computed ({@link #pauseUntil}).
 *
 * <p>Waits up to {@code maxWait} are slept through with the injected {@link Sleeper}; a longer
 * wait (a DAILY limit) throws {@link RateLimitedException} so the caller can schedule a retry
 * instead of blocking. Thread-safe; all time comes from the injected {@link Clock}.
 */
public final class RateLimiter {

    /** How long to wait before looking again when every slot is held by a call still in flight. */
    private static final Duration IN_FLIGHT_POLL = Duration.ofMillis(50);

    private final int configuredMax;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Duration maxWait;

    private final LinkedList<Permit> held = new LinkedList<>();
    private int headerMax = Integer.MAX_VALUE;
    private int tightenedMax = Integer.MAX_VALUE;
    private Duration window;
    private int remaining = Integer.MAX_VALUE;
    private Instant remainingUntil = Instant.MIN;
    private Instant pausedUntil = Instant.MIN;

    /**
     * @param maxPerWindow the configured budget ({@code requests_per_10s}), at least 1
     * @param window       the rolling window (10 s), until HubSpot's headers say otherwise
     * @param maxWait      the longest wait slept through in {@link #acquire()}
     */
    public RateLimiter(int maxPerWindow, Duration window, Clock clock, Sleeper sleeper, Duration maxWait) {
        if (maxPerWindow < 1) {
            throw new IllegalArgumentException("maxPerWindow must be at least 1, not " + maxPerWindow);
        }
        this.configuredMax = maxPerWindow;
        this.window = requirePositive(window, "window");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.maxWait = requirePositive(maxWait, "maxWait");
    }

    /** HubSpot's window: 10 seconds. */
    public static final Duration TEN_SECONDS = Duration.ofSeconds(10);

    /** A limiter for {@code max} calls per 10 s that sleeps through waits of up to 15 s. */
    public static RateLimiter per10Seconds(int max, Clock clock, Sleeper sleeper) {
        return new RateLimiter(max, TEN_SECONDS, clock, sleeper, TEN_SECONDS.plusSeconds(5));
    }

    /**
     * Waits until a call may be made and takes a slot for it.
     *
     * @return the slot; {@linkplain Permit#release() release} it when the call has finished
     * @throws RateLimitedException when the call may not be made for longer than {@code maxWait}
     * @throws InterruptedException when interrupted while waiting
     */
    public Permit acquire() throws InterruptedException, RateLimitedException {
        while (true) {
            Duration wait;
            synchronized (this) {
                Instant now = clock.instant();
                Instant until = earliestStart(now);
                if (!until.isAfter(now)) {
                    Permit permit = new Permit(now);
                    held.add(permit);
                    if (now.isBefore(remainingUntil)) {
                        remaining--;
                    }
                    return permit;
                }
                wait = Duration.between(now, until);
                if (wait.compareTo(maxWait) > 0) {
                    throw new RateLimitedException("HubSpot rate limit: no call before " + until, until);
                }
            }
            sleeper.sleep(wait);
        }
    }

    /** The earliest time a call may start: {@code now} or later. */
    private Instant earliestStart(Instant now) {
        forgetExpired(now);
        Instant until = now;
        if (pausedUntil.isAfter(until)) {
            until = pausedUntil;
        }
        if (now.isBefore(remainingUntil) && remaining <= 0 && remainingUntil.isAfter(until)) {
            until = remainingUntil;
        }
        int max = effectiveMax();
        if (held.size() >= max) {
            List<Instant> frees = new ArrayList<>();
            for (Permit p : held) {
                p.releasedAt().ifPresent(r -> frees.add(r.plus(window)));
            }
            frees.sort(null);
            int mustFree = held.size() - max + 1;
            Instant slotFree = frees.size() >= mustFree ? frees.get(mustFree - 1) : now.plus(IN_FLIGHT_POLL);
            if (slotFree.isAfter(until)) {
                until = slotFree;
            }
        }
        return until;
    }

    private void forgetExpired(Instant now) {
        for (Iterator<Permit> it = held.iterator(); it.hasNext(); ) {
            Optional<Instant> released = it.next().releasedAt();
            if (released.isPresent() && !released.get().plus(window).isAfter(now)) {
                it.remove();
            }
        }
    }

    /** The calls allowed per window now: the configured budget, lowered by HubSpot's headers. */
    public synchronized int effectiveMax() {
        return Math.min(configuredMax, Math.min(headerMax, tightenedMax));
    }

    /** The rolling window now in force. */
    public synchronized Duration window() {
        return window;
    }

    /** Lowers the budget (another destination shares the credential with a lower budget). */
    public synchronized void tighten(int max) {
        if (max >= 1) {
            tightenedMax = Math.min(tightenedMax, max);
        }
    }

    /**
     * Takes in HubSpot's {@code X-HubSpot-RateLimit-*} headers from an answer that just arrived
     * (before its permit is released). A smaller {@code Max} lowers the budget. {@code Remaining}
     * matters only when it is lower than what this limiter's own calls leave: then someone else
     * uses the token too, and at most that many calls are made until a window from now. When our
     * own calls explain it, the rolling-window count already holds the next call until our oldest
     * call ages out; waiting a whole window from the last answer instead would idle half the budget.
     */
    public synchronized void observe(OptionalInt max, OptionalInt remainingInWindow, Optional<Duration> interval) {
        Instant now = clock.instant();
        interval.filter(d -> !d.isNegative() && !d.isZero()).ifPresent(d -> window = d);
        max.ifPresent(m -> {
            if (m >= 1) {
                headerMax = m;
            }
        });
        remainingInWindow.ifPresent(r -> {
            forgetExpired(now);
            int leftByOurCount = effectiveMax() - held.size();
            if (r < leftByOurCount) {
                remaining = Math.max(0, r);
                remainingUntil = now.plus(window);
            } else {
                remaining = Integer.MAX_VALUE;
                remainingUntil = Instant.MIN;
            }
        });
    }

    /** No call before {@code until} (a 429, or the daily budget used up). Never shortens a pause. */
    public synchronized void pauseUntil(Instant until) {
        Objects.requireNonNull(until, "until");
        if (until.isAfter(pausedUntil)) {
            pausedUntil = until;
        }
    }

    /** The time before which no call will be made, if a pause is in force. */
    public synchronized Optional<Instant> pausedUntil() {
        return pausedUntil.isAfter(clock.instant()) ? Optional.of(pausedUntil) : Optional.empty();
    }

    private static Duration requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
        return d;
    }

    /** One call's slot. */
    public final class Permit {
        private final Instant acquiredAt;
        private Instant releasedAt;

        private Permit(Instant acquiredAt) {
            this.acquiredAt = acquiredAt;
        }

        public Instant acquiredAt() {
            return acquiredAt;
        }

        /** The call has finished (answered or failed); its slot frees one window from now. Idempotent. */
        public void release() {
            synchronized (RateLimiter.this) {
                if (releasedAt == null) {
                    releasedAt = clock.instant();
                }
            }
        }

        private Optional<Instant> releasedAt() {
            return Optional.ofNullable(releasedAt);
        }
    }
}
