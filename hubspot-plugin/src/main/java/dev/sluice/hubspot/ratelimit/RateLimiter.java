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
 * per 10 s), spread evenly over the window, so that a steady stream never meets a 429 and never
 * stops for a whole window.
 *
 * <p>Two rules decide when a call may start; the later one wins:
 * <ul>
 *   <li><b>Even spacing</b>: calls start at least {@code window / max} apart (52.6 ms at 190 per
 *       10 s), so the budget is spent as a steady stream, not as a burst followed by a wait.</li>
 *   <li><b>The rolling window, counted as HubSpot counts</b>: a call's slot is held from
 *       {@link #acquire()} until one window after the call {@linkplain Permit#release() finished}.
 *       HubSpot counts a call when it receives it, somewhere between our send and the end of its
 *       answer, so counting from the end keeps any {@code max + 1} calls at least a window apart
 *       at HubSpot, whatever the network latency.</li>
 * </ul>
 *
 * <p>HubSpot's answers tighten the pacing: {@code X-HubSpot-RateLimit-Max} lowers {@code max},
 * {@code -Interval-Milliseconds} sets the window, and {@code -Remaining} reveals calls that
 * someone else made with the token (another process): HubSpot's count at the moment it received
 * a call, less the most of our own calls it can have counted then, is held as foreign calls for a
 * window. Our own calls never count as foreign, however late their answers arrive (reading
 * {@code Remaining} as "calls left from now" would stop the stream for a whole window each time
 * an answer lags behind the window's edge). A 429 pauses every call until the time the caller
 * computed ({@link #pauseUntil}).
 *
 * <p>Waits up to {@code maxWait} are slept through with the injected {@link Sleeper}; a longer
 * wait (a DAILY limit) throws {@link RateLimitedException} so the caller can schedule a retry
 * instead of blocking. Thread-safe; all time comes from the injected {@link Clock}.
 *
 * <p>The limiter also remembers whether the portal counts the calls that HubSpot documents as
 * exempt (custom event sends): {@link #exemptCallsCounted()}.
 */
public final class RateLimiter {

    /**
     * How many spacings late a call may start and still keep its slot in the even schedule (see
     * {@link #scheduledStart}): 105 ms at 190 calls per 10 s.
     */
    static final int CATCH_UP_SPACINGS = 2;

    /** How long to wait before looking again when every slot is held by a call still in flight. */
    private static final Duration IN_FLIGHT_POLL = Duration.ofMillis(50);

    private final int configuredMax;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Duration maxWait;

    /** Our calls: in flight, or finished less than two windows ago (see {@link #forgetExpired}). */
    private final LinkedList<Permit> held = new LinkedList<>();
    /** When each call someone else made with the credential stops counting. */
    private final List<Instant> foreign = new ArrayList<>();
    private int headerMax = Integer.MAX_VALUE;
    private int tightenedMax = Integer.MAX_VALUE;
    private Duration window;
    private Instant pausedUntil = Instant.MIN;
    /** When the next call is due by the even spacing; {@link Instant#MIN} before the first call. */
    private Instant nextSlot = Instant.MIN;
    private volatile boolean exemptCallsCounted;

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
        boolean clockStoodStill = false;
        while (true) {
            Duration wait;
            Instant before;
            synchronized (this) {
                Instant now = clock.instant();
                before = now;
                Instant until = earliestStart(now);
                // A clock that did not move while we slept (a fixed clock in a test) can never reach
                // 'until': the sleep itself was the wait.
                if (!until.isAfter(now) || clockStoodStill) {
                    Permit permit = new Permit(now);
                    held.add(permit);
                    nextSlot = scheduledStart(now).plus(spacing(effectiveMax()));
                    return permit;
                }
                wait = Duration.between(now, until);
                if (wait.compareTo(maxWait) > 0) {
                    throw new RateLimitedException("HubSpot rate limit: no call before " + until, until);
                }
            }
            sleeper.sleep(wait);
            clockStoodStill = !clock.instant().isAfter(before);
        }
    }

    /** The earliest time a call may start: {@code now} or later. */
    private Instant earliestStart(Instant now) {
        forgetExpired(now);
        Instant until = now;
        if (pausedUntil.isAfter(until)) {
            until = pausedUntil;
        }
        int max = effectiveMax();
        if (nextSlot.isAfter(until)) {
            until = nextSlot;
        }
        // Our own calls count against our budget (the configured share); ours and other clients'
        // together against HubSpot's own Max for the token. Another client's calls must not eat
        // into our share when HubSpot has room for both (e.g. two connector tasks splitting a token).
        List<Instant> ownFrees = new ArrayList<>();
        int own = 0;
        for (Permit p : held) {
            if (p.releasedAt == null) {
                own++;
            } else if (p.releasedAt.plus(window).isAfter(now)) {
                own++;
                ownFrees.add(p.releasedAt.plus(window));
            }
        }
        until = laterOf(until, freeAt(now, own, max, ownFrees));
        // Without HubSpot's Max (no headers yet), other clients' calls count against our budget.
        int portalMax = headerMax == Integer.MAX_VALUE ? max : Math.max(max, headerMax);
        if (!foreign.isEmpty()) {
            List<Instant> allFrees = new ArrayList<>(ownFrees);
            allFrees.addAll(foreign);
            until = laterOf(until, freeAt(now, own + foreign.size(), portalMax, allFrees));
        }
        return until;
    }

    /** When one more call fits under {@code max} with {@code occupied} slots taken that free at {@code frees}. */
    private Instant freeAt(Instant now, int occupied, int max, List<Instant> frees) {
        if (occupied < max) {
            return now;
        }
        frees.sort(null);
        int mustFree = occupied - max + 1;
        return frees.size() >= mustFree ? frees.get(mustFree - 1) : now.plus(IN_FLIGHT_POLL);
    }

    private static Instant laterOf(Instant a, Instant b) {
        return b.isAfter(a) ? b : a;
    }

    /**
     * The slot a call starting at {@code now} takes in the even schedule. A call that starts late
     * by at most {@link #CATCH_UP_SPACINGS} spacings (the waiting thread woke up late, or the
     * caller came back a moment after its slot because its previous batch's last answers were
     * still arriving) keeps its slot, so the schedule does not slide: the calls right after it
     * start at once until they are back on schedule (at most {@code CATCH_UP_SPACINGS + 1} calls
     * together). Lateness a delivery pays at each of its ends, tens of milliseconds on a loaded
     * machine, would otherwise cost a share of the budget every time. A call after a longer pause
     * starts a new schedule at {@code now}: no burst to make up for idle time. Either way the
     * rolling window still bounds what HubSpot receives.
     */
    private Instant scheduledStart(Instant now) {
        if (nextSlot == Instant.MIN || now.isBefore(nextSlot)) {
            return now;
        }
        Duration late = Duration.between(nextSlot, now);
        return late.compareTo(spacing(effectiveMax()).multipliedBy(CATCH_UP_SPACINGS)) <= 0 ? nextSlot : now;
    }

    /** The window divided by the budget, rounded up to the nanosecond: {@code max} spacings span a window. */
    private Duration spacing(int max) {
        long nanos = window.toNanos();
        return Duration.ofNanos((nanos + max - 1) / max);
    }

    /**
     * Drops what no longer matters: foreign calls past their window, and our calls finished two
     * windows ago. A call finished between one and two windows ago holds no slot, but HubSpot may
     * still have counted it in a {@code Remaining} that arrives late, so {@link #observe} needs it.
     */
    private void forgetExpired(Instant now) {
        Instant horizon = now.minus(window.multipliedBy(2));
        for (Iterator<Permit> it = held.iterator(); it.hasNext(); ) {
            Permit p = it.next();
            if (p.releasedAt != null && !p.releasedAt.isAfter(horizon)) {
                it.remove();
            }
        }
        foreign.removeIf(expiry -> !expiry.isAfter(now));
    }

    /** The calls allowed per window now: the configured budget, lowered by HubSpot's headers. */
    public synchronized int effectiveMax() {
        return Math.min(configuredMax, Math.min(headerMax, tightenedMax));
    }

    /** The rolling window now in force. */
    public synchronized Duration window() {
        return window;
    }

    /** The least time between two calls' starts: the window divided by the budget. */
    public synchronized Duration spacing() {
        return spacing(effectiveMax());
    }

    /** Lowers the budget (another destination shares the credential with a lower budget). */
    public synchronized void tighten(int max) {
        if (max >= 1) {
            tightenedMax = Math.min(tightenedMax, max);
        }
    }

    /**
     * Takes in HubSpot's {@code X-HubSpot-RateLimit-*} headers from the answer to {@code call},
     * which just arrived (before the permit is released). A smaller {@code Max} lowers the budget;
     * {@code Interval-Milliseconds} sets the window. {@code Remaining} is HubSpot's count at the
     * moment it received the call: what it counted beyond the most of our calls it can have
     * counted then (those sent before this answer and finished less than a window before this call
     * was sent) are someone else's calls, held for a window from now.
     *
     * @param call the permit of the call answered, or null when the call was not paced (a call
     *             HubSpot documents as exempt): then every call of ours may have been counted
     */
    public synchronized void observe(Permit call, OptionalInt max, OptionalInt remainingInWindow,
                                     Optional<Duration> interval) {
        Instant now = clock.instant();
        interval.filter(d -> !d.isNegative() && !d.isZero()).ifPresent(d -> window = d);
        max.ifPresent(m -> {
            if (m >= 1) {
                headerMax = m;
            }
        });
        if (remainingInWindow.isEmpty()) {
            return;
        }
        forgetExpired(now);
        int hubSpotMax = max.orElse(effectiveMax());
        int countedByHubSpot = hubSpotMax - Math.max(0, remainingInWindow.getAsInt());
        Instant sentAt = call == null ? Instant.MIN : call.acquiredAt;
        Instant countedSince = sentAt == Instant.MIN ? Instant.MIN : sentAt.minus(window);
        // An unpaced call (call == null) is not among the permits: HubSpot counted it, so it is held
        // below with the foreign calls, for a window from now.
        int ours = 0;
        for (Permit p : held) {
            if (p.releasedAt == null || p.releasedAt.isAfter(countedSince)) {
                ours++;
            }
        }
        int others = countedByHubSpot - ours;
        Instant expiry = now.plus(window);
        while (foreign.size() < others) {
            foreign.add(expiry);
        }
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

    /**
     * The portal counts calls that HubSpot documents as exempt from its limits (it answered one
     * with rate-limit headers or a 429): from now on they are paced like every other call.
     */
    public void exemptCallsAreCounted() {
        exemptCallsCounted = true;
    }

    /** Whether {@link #exemptCallsAreCounted()} was learned. */
    public boolean exemptCallsCounted() {
        return exemptCallsCounted;
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
    }
}
