package dev.sluice.hubspot.ratelimit;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RateLimiterTest {

    private static final Instant START = Instant.parse("2026-03-02T10:00:00Z");
    private static final Duration WINDOW = Duration.ofSeconds(10);

    private final MutableClock clock = new MutableClock(START);

    /** The most calls found in any window [t, t + WINDOW) starting at one of the calls. */
    private static int maxInAnyWindow(List<Instant> times) {
        int worst = 0;
        for (int i = 0; i < times.size(); i++) {
            Instant end = times.get(i).plus(WINDOW);
            int count = 0;
            for (int j = i; j < times.size() && times.get(j).isBefore(end); j++) {
                count++;
            }
            worst = Math.max(worst, count);
        }
        return worst;
    }

    @Test
    void burstOverASimulatedMinuteNeverExceedsTheLimitInAnyWindow() throws Exception {
        RateLimiter limiter = RateLimiter.per10Seconds(100, clock, clock);
        List<Instant> sent = new ArrayList<>();
        Instant minuteLater = START.plus(Duration.ofMinutes(1));
        while (clock.instant().isBefore(minuteLater)) {
            RateLimiter.Permit permit = limiter.acquire();
            sent.add(permit.acquiredAt());
            permit.release();
        }
        assertThat(maxInAnyWindow(sent)).isEqualTo(100);
        // full use of the budget: 100 at 0 s, 10 s, ... 50 s, and the 601st at 60 s
        assertThat(sent.stream().filter(t -> t.isBefore(minuteLater)).count()).isEqualTo(600);
        assertThat(sent.get(100)).isEqualTo(START.plus(WINDOW));
    }

    @Test
    void randomLatenciesAndGapsNeverExceedTheLimitInAnyWindow() throws Exception {
        Random random = new Random(42);
        RateLimiter limiter = RateLimiter.per10Seconds(100, clock, clock);
        List<Instant> sent = new ArrayList<>();
        List<Instant> arrivedAtHubSpot = new ArrayList<>();
        Instant minuteLater = START.plus(Duration.ofMinutes(1));
        while (clock.instant().isBefore(minuteLater)) {
            clock.advance(Duration.ofMillis(random.nextInt(40)));
            RateLimiter.Permit permit = limiter.acquire();
            sent.add(permit.acquiredAt());
            Duration latency = Duration.ofMillis(random.nextInt(300));
            // HubSpot counts the call somewhere between our send and its answer
            arrivedAtHubSpot.add(permit.acquiredAt().plusMillis((long) (latency.toMillis() * random.nextDouble())));
            clock.advance(latency);
            permit.release();
        }
        arrivedAtHubSpot.sort(null);
        assertThat(sent.size()).isGreaterThan(300);
        assertThat(maxInAnyWindow(sent)).isLessThanOrEqualTo(100);
        assertThat(maxInAnyWindow(arrivedAtHubSpot)).isLessThanOrEqualTo(100);
    }

    @Test
    void slotOfACallInFlightFreesOneWindowAfterItFinishes() throws Exception {
        RateLimiter limiter = RateLimiter.per10Seconds(2, clock, clock);
        RateLimiter.Permit first = limiter.acquire();
        RateLimiter.Permit second = limiter.acquire();
        clock.advance(Duration.ofSeconds(3));
        second.release();
        clock.advance(Duration.ofSeconds(9));
        // 12 s after the first send, the first call is still in flight: the second's slot frees at 13 s
        RateLimiter.Permit third = limiter.acquire();
        assertThat(third.acquiredAt()).isEqualTo(START.plusSeconds(13));
        first.release();
        // the first call finished at 13 s; its slot is free one window later
        assertThat(limiter.acquire().acquiredAt()).isEqualTo(START.plusSeconds(23));
    }

    @Test
    void waitsWhileEverySlotIsHeldByCallsInFlight() throws Exception {
        List<RateLimiter.Permit> inFlight = new ArrayList<>();
        Sleeper callsFinishAfterTwoSeconds = d -> {
            clock.sleep(d);
            if (clock.instant().isAfter(START.plusSeconds(2))) {
                inFlight.forEach(RateLimiter.Permit::release);
            }
        };
        RateLimiter limiter = new RateLimiter(3, WINDOW, clock, callsFinishAfterTwoSeconds, Duration.ofSeconds(15));
        for (int i = 0; i < 3; i++) {
            inFlight.add(limiter.acquire());
        }
        RateLimiter.Permit next = limiter.acquire();
        // polled every 50 ms; the calls finished at the first poll after 2 s (2.05 s)
        assertThat(next.acquiredAt()).isEqualTo(START.plusMillis(12_050));
    }

    @Test
    void remainingZeroWaitsForTheWindow() throws Exception {
        RateLimiter limiter = RateLimiter.per10Seconds(100, clock, clock);
        limiter.acquire().release();
        limiter.observe(OptionalInt.of(100), OptionalInt.of(0), Optional.of(Duration.ofMillis(10_000)));
        Instant observedAt = clock.instant();
        RateLimiter.Permit next = limiter.acquire();
        assertThat(next.acquiredAt()).isEqualTo(observedAt.plusSeconds(10));
    }

    @Test
    void remainingZeroThatOurOwnCallsExplainFreesWhenOurOldestCallAgesOut() throws Exception {
        RateLimiter limiter = RateLimiter.per10Seconds(190, clock, clock);
        for (int i = 0; i < 190; i++) {
            RateLimiter.Permit permit = limiter.acquire();
            clock.advance(Duration.ofMillis(10));
            limiter.observe(OptionalInt.of(190), OptionalInt.of(189 - i), Optional.of(Duration.ofMillis(10_000)));
            permit.release();
        }
        // The last answer (at 1.9 s) said Remaining 0. Our first call ended at 0.01 s, so the rolling
        // window has room again at 10.01 s, not a whole window after that answer (11.9 s).
        assertThat(limiter.acquire().acquiredAt()).isEqualTo(START.plusMillis(10_010));
    }

    @Test
    void remainingCapsTheCallsLeftInTheWindow() throws Exception {
        RateLimiter limiter = RateLimiter.per10Seconds(100, clock, clock);
        limiter.observe(OptionalInt.empty(), OptionalInt.of(3), Optional.empty());
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.acquire().acquiredAt()).isEqualTo(START);
        }
        assertThat(limiter.acquire().acquiredAt()).isEqualTo(START.plusSeconds(10));
    }

    @Test
    void smallerHeaderMaxLowersTheBudget() throws Exception {
        RateLimiter limiter = RateLimiter.per10Seconds(100, clock, clock);
        limiter.observe(OptionalInt.of(40), OptionalInt.empty(), Optional.empty());
        assertThat(limiter.effectiveMax()).isEqualTo(40);
        List<Instant> sent = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            RateLimiter.Permit p = limiter.acquire();
            sent.add(p.acquiredAt());
            p.release();
        }
        assertThat(maxInAnyWindow(sent)).isEqualTo(40);
        // a larger header max does not raise the configured budget
        limiter.observe(OptionalInt.of(190), OptionalInt.empty(), Optional.empty());
        assertThat(limiter.effectiveMax()).isEqualTo(100);
    }

    @Test
    void intervalHeaderSetsTheWindow() throws Exception {
        RateLimiter limiter = new RateLimiter(2, WINDOW, clock, clock, Duration.ofSeconds(30));
        limiter.observe(OptionalInt.empty(), OptionalInt.empty(), Optional.of(Duration.ofSeconds(20)));
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
    void refusesABudgetBelowOne() {
        assertThatThrownBy(() -> RateLimiter.per10Seconds(0, clock, clock)).isInstanceOf(IllegalArgumentException.class);
    }
}
