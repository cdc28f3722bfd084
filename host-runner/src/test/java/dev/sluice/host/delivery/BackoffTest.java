package dev.sluice.host.delivery;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackoffTest {

    final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(10));

    @Test
    void ceilingDoublesPerAttemptUpToTheCap() {
        assertThat(backoff.ceiling(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.ceiling(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.ceiling(3)).isEqualTo(Duration.ofSeconds(4));
        assertThat(backoff.ceiling(10)).isEqualTo(Duration.ofSeconds(512));
        assertThat(backoff.ceiling(11)).isEqualTo(Duration.ofMinutes(10));
        assertThat(backoff.ceiling(1000)).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void delayIsDrawnBetweenTheInitialDelayAndTheCeiling() {
        assertThat(backoff.delay(4, 0.0)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.delay(4, 0.5)).isEqualTo(Duration.ofMillis(4500));
        assertThat(backoff.delay(4, 0.999_999)).isEqualTo(Duration.ofMillis(7999));
        assertThat(backoff.delay(1, 0.7)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.delay(50, 0.999_999_9)).isLessThanOrEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void refusesACapBelowTheInitialDelay() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(5), Duration.ofSeconds(1)))
                .hasMessage("backoff max PT1S is below backoff initial PT5S");
    }
}
