package dev.sluice.hubspot.ratelimit;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.PriorityQueue;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The limiter on a fake clock: every time below is simulated, so the assertions are exact and
 * never depend on how fast the machine runs.
 */
class RateLimiterTest {

    private static final Instant START = Instant.parse("2026-03-02T10:00:00Z");
    private static final Duration WINDOW = Duration.ofSeconds(10);

    private final MutableClock clock = new MutableClock(START);

    /** The most calls found in any window [t, t + WINDOW) starting at one of the calls. */
    private static int maxInAnyWindow(List<Instant> times) {
        List<Instant> sorted = new ArrayList<>(times);
        sorted.sort(null);
        int worst = 0;
        for (int i = 0; i < sorted.size(); i++) {
            Instant end = sorted.get(i).plus(WINDOW);
            int count = 0;
            for (int j = i; j < sorted.size() && sorted.get(j).isBefore(end); j++) {
                count++;
            }
            worst = Math.max(worst, count);
        }
        return worst;
    }

    private static Duration longestGap(List<Instant> times) {
        Duration longest = Duration.ZERO;
        for (int i = 1; i < times.size(); i++) {
            Duration gap = Duration.between(times.get(i - 1), times.get(i));
            if (gap.compareTo(longest) > 0) {
                longest = gap;
            }
        }
        return longest;
    }

    @Test
    void callsAreSpreadEvenlyOverTheWindowInsteadOfBurstThenWait() throws Exception {
        RateLimiter limiter = RateLimiter.per10Seconds(190, clock, clock);
        List<Instant> sent = new ArrayList<>();
        for (int i = 0; i < 570; i++) {
            RateLimiter.Permit permit = limiter.acquire();
            sent.add(permit.acquiredAt());
            permit.release();
        }
        Duration spacing = Duration.ofNanos(52_631_579); // 10 s / 190, rounded up
        assertThat(limiter.spacing()).isEqualTo(spacing);
        for (int i = 1; i < sent.size(); i++) {
            assertThat(Duration.between(sent.get(i - 1), sent.get(i))).as("gap before call %d", i).isEqualTo(spacing);
        }
        assertThat(maxInAnyWindow(sent)).isEqualTo(190);
    }

    @Test
    void aThreadThatWakesALittleLateDoesNotMakeEveryLaterCallLate() throws Exception {
        // every sleep lasts 3 ms longer than asked (a loaded machine); the schedule must not slide
        Sleeper oversleeps = d -> clock.sleep(d.plusMillis(3));
        RateLimiter limiter = new RateLimiter(190, WINDOW, clock, oversleeps, Duration.ofSeconds(15));
        Duration spacing = limiter.spacing();
        List<Instant> sent = new ArrayList<>();
        for (int i = 0; i < 380; i++) {
            RateLimiter.Permit p = limiter.acquire();
            sent.add(p.acquiredAt());
            p.release();
        }
        // Each call is at most its own oversleep late, plus, a window after a late call, that call's
        // lateness once more (its slot frees a window after it finished): never the sum of all of them.
        for (int i = 0; i < sent.size(); i++) {
            assertThat(sent.get(i)).as("call %d", i)
                    .isBeforeOrEqualTo(START.plus(spacing.multipliedBy(i)).plusMillis(6))
                    .isAfterOrEqualTo(START.plus(spacing.multipliedBy(i)));
        }
        assertThat(maxInAnyWindow(sent)).isLessThanOrEqualTo(190);
    }

    @Test
    void aCallerThatComesBackLateCatchesUpWithTheScheduleInsteadOfSlidingIt() throws Exception {
        RateLimiter limiter = RateLimiter.per10Seconds(190, clock, clock);
        Duration spacing = limiter.spacing();
        List<Instant> sent = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            sent.add(limiter.acquire().acquiredAt());
        }
        // The caller comes back 80 ms after slot 10 (its batch's last answer took that long).
        clock.advance(Duration.between(clock.instant(), START.plus(spacing.multipliedBy(10)).plusMillis(80)));
        Instant back = clock.instant();
        for (int i = 10; i < 14; i++) {
            sent.add(limiter.acquire().acquiredAt());
        }
        // Slots 10 and 11 are both past: both calls start at once; 12 and 13 are on the old schedule.
        assertThat(sent.get(10)).isEqualTo(back);
        assertThat(sent.get(11)).isEqualTo(back);
        assertThat(sent.get(12)).isEqualTo(START.plus(spacing.multipliedBy(12)));
        assertThat(sent.get(13)).isEqualTo(START.plus(spacing.multipliedBy(13)));
    }

    @Test
    void aLateCallerNeverBurstsMoreThanTheCatchUpAndNeverPastTheWindow() throws Exception {
        // every sleep lasts 40 ms longer than asked, and every 7th caller comes back 120 ms late
        Sleeper oversleeps = d -> clock.sleep(d.plusMillis(40));
        RateLimiter limiter = new RateLimiter(190, WINDOW, clock, oversleeps, Duration.ofSeconds(15));
        List<Instant> sent = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            if (i % 7 == 6) {
                clock.advance(Duration.ofMillis(120));
            }
            RateLimiter.Permit p = limiter.acquire();
            sent.add(p.acquiredAt());
            p.release();
        }
        int together = 1;
        for (int i = 1; i < sent.size(); i++) {
            together = sent.get(i).equals(sent.get(i - 1)) ? together + 1 : 1;
            assertThat(together).as("calls starting together at call %d", i)
                    .isLessThanOrEqualTo(RateLimiter.CATCH_UP_SPACINGS + 1);
        }
        assertThat(maxInAnyWindow(sent)).isLessThanOrEqualTo(190);
    }

    @Test
    void aCallAfterAPauseStartsANewScheduleWithoutABurst() throws Exception {
        RateLimiter limiter = RateLimiter.per10Seconds(190, clock, clock);
        limiter.acquire().release();
        clock.advance(Duration.ofSeconds(30)); // idle
        Instant resumed = limiter.acquire().acquiredAt();
        Instant next = limiter.acquire().acquiredAt();
        assertThat(resumed).isEqualTo(START.plusSeconds(30));
        assertThat(Duration.between(resumed, next)).isEqualTo(limiter.spacing());
    }

    /**
     * A simulated HubSpot: counts each call when it receives it (somewhere between our send and the
     * end of its answer) over a rolling window, answers with {@code Remaining}, and records every
     * call it would have refused with a 429.
     */
    private static final class SimulatedHubSpot {
        final int max;
        final List<Instant> received = new ArrayList<>();
        final List<Instant> sent = new ArrayList<>();
        int refused;

        SimulatedHubSpot(int max) {
            this.max = max;
        }

        /** HubSpot's count at {@code at}, this call included; counts a 429 if over the budget. */
        int remainingAt(Instant at) {
            int inWindow = 0;
            for (Instant r : received) {
                if (!r.isAfter(at) && r.isAfter(at.minus(WINDOW))) {
                    inWindow++;
                }
            }
            if (inWindow > max) {
                refused++;
            }
            return max - inWindow;
        }
    }

    private record Call(RateLimiter.Permit permit, Instant receivedAt, Instant endsAt) {
    }

    /**
     * {@code parallel} callers share one limiter for a simulated {@code seconds}; each call takes a
     * random latency and is received by HubSpot at a random point of it; every answer's
     * {@code Remaining} is fed back. Calls finishing while a caller waits are answered at their
     * own time (the sleeper steps the clock through them).
     */
    private SimulatedHubSpot simulate(int max, int parallel, int seconds, long seed, int maxLatencyMillis)
            throws Exception {
        Random random = new Random(seed);
        SimulatedHubSpot hubspot = new SimulatedHubSpot(max);
        PriorityQueue<Call> inFlight = new PriorityQueue<>((a, b) -> a.endsAt().compareTo(b.endsAt()));
        RateLimiter[] holder = new RateLimiter[1];
        Runnable answerOne = () -> {
            Call call = inFlight.poll();
            clock.set(call.endsAt());
            int remaining = hubspot.remainingAt(call.receivedAt());
            holder[0].observe(call.permit(), OptionalInt.of(max), OptionalInt.of(remaining),
                    Optional.of(WINDOW));
            call.permit().release();
        };
        Sleeper sleeper = d -> {
            Instant target = clock.instant().plus(d);
            while (!inFlight.isEmpty() && !inFlight.peek().endsAt().isAfter(target)) {
                answerOne.run();
            }
            clock.set(target);
        };
        RateLimiter limiter = new RateLimiter(max, WINDOW, clock, sleeper, Duration.ofSeconds(15));
        holder[0] = limiter;
        Instant end = START.plusSeconds(seconds);
        while (clock.instant().isBefore(end)) {
            if (inFlight.size() >= parallel) {
                answerOne.run();
                continue;
            }
            RateLimiter.Permit permit = limiter.acquire();
            Duration latency = Duration.ofMillis(20 + random.nextInt(maxLatencyMillis - 20));
            Instant receivedAt = permit.acquiredAt().plusMillis((long) (latency.toMillis() * random.nextDouble()));
            hubspot.sent.add(permit.acquiredAt());
            hubspot.received.add(receivedAt);
            inFlight.add(new Call(permit, receivedAt, permit.acquiredAt().plus(latency)));
        }
        while (!inFlight.isEmpty()) {
            answerOne.run();
        }
        return hubspot;
    }

    @Test
    void neverMoreThanTheBudgetInAnyWindowAsHubSpotReceivesTheCalls() throws Exception {
        for (long seed = 1; seed <= 5; seed++) {
            SimulatedHubSpot hubspot = simulate(190, 4, 120, seed, 400);
            assertThat(hubspot.refused).as("429s, seed %d", seed).isZero();
            assertThat(maxInAnyWindow(hubspot.received)).as("seed %d", seed).isLessThanOrEqualTo(190);
            assertThat(maxInAnyWindow(hubspot.sent)).as("seed %d", seed).isLessThanOrEqualTo(190);
        }
    }

    @Test
    void lateRemainingFromOurOwnCallsNeverStopsTheStreamForAWindow() throws Exception {
        // Answers arrive up to 0.4 s after HubSpot counted the call, so at the window's edge their
        // Remaining is lower than our own count now says; that is not someone else's traffic.
        SimulatedHubSpot hubspot = simulate(190, 8, 120, 7, 400);
        assertThat(hubspot.refused).isZero();
        assertThat(longestGap(hubspot.sent)).isLessThan(Duration.ofMillis(500));
        // 12 windows of 190 calls, less one call's latency per window at most
        assertThat(hubspot.sent.size()).isGreaterThanOrEqualTo(12 * 190 * 95 / 100);
    }

    @Test
    void remainingBelowWhatOurCallsExplainIsSomeoneElsesTrafficAndLeavesThemTheirShare() throws Exception {
        RateLimiter limiter = RateLimiter.per10Seconds(100, clock, clock);
        RateLimiter.Permit first = limiter.acquire();
        clock.advance(Duration.ofMillis(100));
        // HubSpot counted 61 calls with our one: 60 are another process's
        limiter.observe(first, OptionalInt.of(100), OptionalInt.of(39), Optional.of(WINDOW));
        first.release();
        Instant observedAt = clock.instant();
        List<Instant> sent = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            RateLimiter.Permit p = limiter.acquire();
            sent.add(p.acquiredAt());
            p.release();
        }
        // 39 more of ours fit beside the 60 foreign and our first; the 40th waits until the foreign
        // calls leave the window
        assertThat(sent.get(38)).isBefore(observedAt.plus(WINDOW));
        assertThat(sent.get(39)).isEqualTo(observedAt.plus(WINDOW));
    }

    @Test
    void recoversAfterA429EvenlyWithoutABurst() throws Exception {
        RateLimiter limiter = RateLimiter.per10Seconds(190, clock, clock);
        RateLimiter.Permit refused = limiter.acquire();
        clock.advance(Duration.ofMillis(50));
        // the 429: HubSpot's window is full (someone else's calls), pause for the window
        limiter.observe(refused, OptionalInt.of(190), OptionalInt.of(0), Optional.of(WINDOW));
        Instant resume = clock.instant().plus(WINDOW);
        limiter.pauseUntil(resume);
        refused.release();
        List<Instant> sent = new ArrayList<>();
        for (int i = 0; i < 380; i++) {
            RateLimiter.Permit p = limiter.acquire();
            sent.add(p.acquiredAt());
            p.release();
        }
        assertThat(sent.get(0)).isEqualTo(resume);
        Duration spacing = limiter.spacing();
        for (int i = 1; i < sent.size(); i++) {
            assertThat(Duration.between(sent.get(i - 1), sent.get(i))).isEqualTo(spacing);
        }
        assertThat(maxInAnyWindow(sent)).isLessThanOrEqualTo(190);
    }

    @Test
    void anotherClientsCallsDoNotEatIntoOurShareWhileHubSpotHasRoomForBoth() throws Exception {
        // Two connector tasks split a token HubSpot allows 20 calls per 10 s: each may make 10.
        // This task sees the other's 10 calls in HubSpot's Remaining; it still gets its own 10.
        RateLimiter limiter = RateLimiter.per10Seconds(10, clock, clock);
        List<Instant> sent = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            RateLimiter.Permit p = limiter.acquire();
            sent.add(p.acquiredAt());
            // HubSpot counted our calls of the last window and the other task's 10.
            long oursInWindow = sent.stream().filter(t -> t.isAfter(p.acquiredAt().minus(WINDOW))).count();
            int remaining = (int) Math.max(0, 20 - 10 - oursInWindow);
            limiter.observe(p, OptionalInt.of(20), OptionalInt.of(remaining), Optional.of(WINDOW));
            p.release();
        }
        // 40 calls at our share's even spacing (1 s), not slowed down by the other task's calls.
        assertThat(Duration.between(sent.get(0), sent.get(sent.size() - 1))).isLessThanOrEqualTo(Duration.ofSeconds(40));
        assertThat(maxInAnyWindow(sent)).isLessThanOrEqualTo(10);
    }

    @Test
    void recoversAfterTheDailyLimitAtThePauseEndAndThenPacesEvenly() throws Exception {
        RateLimiter limiter = RateLimiter.per10Seconds(190, clock, clock);
        RateLimiter.Permit last = limiter.acquire();
        limiter.observe(last, OptionalInt.of(190), OptionalInt.of(189), Optional.of(WINDOW));
        last.release();
        Instant nextHour = START.plus(Duration.ofHours(1));
        limiter.pauseUntil(nextHour); // a DAILY 429: nothing before the next full hour
        assertThatThrownBy(limiter::acquire)
                .isInstanceOfSatisfying(RateLimitedException.class, e -> assertThat(e.notBefore()).isEqualTo(nextHour));
        clock.set(nextHour.minusSeconds(5));
        // within maxWait of the end: slept through, and the first call goes at the hour exactly
        RateLimiter.Permit first = limiter.acquire();
        assertThat(first.acquiredAt()).isEqualTo(nextHour);
        first.release();
        RateLimiter.Permit second = limiter.acquire();
        assertThat(second.acquiredAt()).isEqualTo(nextHour.plus(limiter.spacing()));
        assertThat(limiter.pausedUntil()).isEmpty();
    }

    @Test
    void slotOfACallInFlightFreesOneWindowAfterItFinishes() throws Exception {
        RateLimiter limiter = RateLimiter.per10Seconds(2, clock, clock);
        RateLimiter.Permit first = limiter.acquire();
        RateLimiter.Permit second = limiter.acquire();
        assertThat(second.acquiredAt()).isEqualTo(START.plusSeconds(5)); // spaced: 10 s / 2
        clock.advance(Duration.ofSeconds(3));
        second.release();
        clock.advance(Duration.ofSeconds(9));
        // 17 s after the first send, the first call is still in flight: the second's slot frees at 18 s
        RateLimiter.Permit third = limiter.acquire();
        assertThat(third.acquiredAt()).isEqualTo(START.plusSeconds(18));
        first.release();
        // the first call finished at 18 s; its slot is free one window later
        assertThat(limiter.acquire().acquiredAt()).isEqualTo(START.plusSeconds(28));
    }

    @Test
    void waitsWhileEverySlotIsHeldByCallsInFlight() throws Exception {
        List<RateLimiter.Permit> inFlight = new ArrayList<>();
        Sleeper callsFinishAfterTwelveSeconds = d -> {
            clock.sleep(d);
            if (clock.instant().isAfter(START.plusSeconds(12))) {
                inFlight.forEach(RateLimiter.Permit::release);
            }
        };
        RateLimiter limiter = new RateLimiter(4, WINDOW, clock, callsFinishAfterTwelveSeconds, Duration.ofSeconds(15));
        for (int i = 0; i < 4; i++) {
            inFlight.add(limiter.acquire());
        }
        RateLimiter.Permit next = limiter.acquire();
        // polled every 50 ms; the calls finished at the first poll after 12 s (12.05 s), and their
        // slots free a window later
        assertThat(next.acquiredAt()).isEqualTo(START.plusMillis(22_050));
    }

    @Test
    void smallerHeaderMaxLowersTheBudget() throws Exception {
        RateLimiter limiter = RateLimiter.per10Seconds(100, clock, clock);
        limiter.observe(null, OptionalInt.of(40), OptionalInt.empty(), Optional.empty());
        assertThat(limiter.effectiveMax()).isEqualTo(40);
        assertThat(limiter.spacing()).isEqualTo(Duration.ofMillis(250));
        List<Instant> sent = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            RateLimiter.Permit p = limiter.acquire();
            sent.add(p.acquiredAt());
            p.release();
        }
        assertThat(maxInAnyWindow(sent)).isEqualTo(40);
        // a larger header max does not raise the configured budget
        limiter.observe(null, OptionalInt.of(190), OptionalInt.empty(), Optional.empty());
        assertThat(limiter.effectiveMax()).isEqualTo(100);
    }

    @Test
    void intervalHeaderSetsTheWindow() throws Exception {
        RateLimiter limiter = new RateLimiter(2, WINDOW, clock, clock, Duration.ofSeconds(30));
        limiter.observe(null, OptionalInt.empty(), OptionalInt.empty(), Optional.of(Duration.ofSeconds(20)));
        limiter.acquire().release();
        limiter.acquire().release();
        assertThat(limiter.acquire().acquiredAt()).isEqualTo(START.plusSeconds(20));
    }

    @Test
    void pauseIsSleptThroughWhenShort() throws Exception {
        RateLimiter limiter = RateLimiter.per10Seconds(100, clock, clock);
        limiter.pauseUntil(START.plusSeconds(7));
        limiter.pauseUntil(START.plusSeconds(3)); // never shortens
        assertThat(limiter.pausedUntil()).contains(START.plusSeconds(7));
        assertThat(limiter.acquire().acquiredAt()).isEqualTo(START.plusSeconds(7));
        assertThat(clock.slept()).isEqualTo(Duration.ofSeconds(7));
        assertThat(limiter.pausedUntil()).isEmpty();
    }

    @Test
    void longPauseThrowsWithItsEndInsteadOfBlocking() {
        RateLimiter limiter = RateLimiter.per10Seconds(100, clock, clock);
        Instant nextHour = START.plus(Duration.ofHours(1));
        limiter.pauseUntil(nextHour);
        assertThatThrownBy(limiter::acquire)
                .isInstanceOfSatisfying(RateLimitedException.class, e -> assertThat(e.notBefore()).isEqualTo(nextHour));
        assertThat(clock.sleeps()).isZero();
    }

    @Test
    void tightenLowersButNeverRaises() {
        RateLimiter limiter = RateLimiter.per10Seconds(100, clock, clock);
        limiter.tighten(50);
        limiter.tighten(80);
        assertThat(limiter.effectiveMax()).isEqualTo(50);
    }

    @Test
    void learnsThatExemptCallsAreCounted() {
        RateLimiter limiter = RateLimiter.per10Seconds(100, clock, clock);
        assertThat(limiter.exemptCallsCounted()).isFalse();
        limiter.exemptCallsAreCounted();
        assertThat(limiter.exemptCallsCounted()).isTrue();
    }

    @Test
    void aClockThatNeverMovesDoesNotHangTheCaller() throws Exception {
        // e.g. Clock.fixed in a test: the sleep is the wait, then the call goes
        java.time.Clock fixed = java.time.Clock.fixed(START, java.time.ZoneOffset.UTC);
        List<Duration> slept = new ArrayList<>();
        RateLimiter limiter = new RateLimiter(190, WINDOW, fixed, slept::add, Duration.ofSeconds(15));
        for (int i = 0; i < 3; i++) {
            limiter.acquire().release();
        }
        assertThat(slept).containsExactly(limiter.spacing(), limiter.spacing());
    }

    @Test
    void refusesABudgetBelowOne() {
        assertThatThrownBy(() -> RateLimiter.per10Seconds(0, clock, clock)).isInstanceOf(IllegalArgumentException.class);
    }
}
