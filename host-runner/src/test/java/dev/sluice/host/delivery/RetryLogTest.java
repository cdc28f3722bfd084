package dev.sluice.host.delivery;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.sluice.host.queue.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class RetryLogTest {

    private final Logger logger = (Logger) LoggerFactory.getLogger("test.retry-log");
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final RetryLog log = new RetryLog("crm", clock, logger);

    @BeforeEach
    void attach() {
        lines.start();
        logger.addAppender(lines);
    }

    @AfterEach
    void detach() {
        logger.detachAppender(lines);
    }

    @Test
    void aStormOfRetriesIsTheFirstLineThenOneSummaryPerMinute() {
        // An outage: 15 batches of retries over 2.5 minutes, each a few seconds apart.
        for (int i = 0; i < 15; i++) {
            log.retried(2, "HubSpot answered 502 (attempt " + (i + 1) + ")");
            clock.advance(Duration.ofSeconds(10));
            log.tick();
        }
        assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                "destination crm: 2 events will be retried: HubSpot answered 502 (attempt 1) "
                        + "(further retries are summarised every 1m)",
                "destination crm: 10 more events retried in 5 batches over the last 1m; "
                        + "last reason: HubSpot answered 502 (attempt 6)",
                "destination crm: 12 more events retried in 6 batches over the last 1m; "
                        + "last reason: HubSpot answered 502 (attempt 12)");

        // The outage ends: the last window's retries are summarised when it closes, then quiet.
        clock.advance(Duration.ofSeconds(60));
        log.tick();
        clock.advance(Duration.ofMinutes(5));
        log.tick();
        assertThat(lines.list).hasSize(4);
        assertThat(lines.list.get(3).getFormattedMessage()).isEqualTo(
                "destination crm: 6 more events retried in 3 batches over the last 1m30s; "
                        + "last reason: HubSpot answered 502 (attempt 15)");

        // The next retry after the quiet spell is told at once again.
        log.retried(1, "timeout");
        assertThat(lines.list).hasSize(5);
        assertThat(lines.list.get(4).getFormattedMessage()).startsWith("destination crm: 1 event will be retried: timeout");
    }

    @Test
    void aSingleRetryIsOneLineAndNoSummary() {
        log.retried(1, "HubSpot answered 503");
        clock.advance(Duration.ofMinutes(2));
        log.tick();
        clock.advance(Duration.ofMinutes(2));
        log.tick();
        assertThat(lines.list).hasSize(1);
    }
}
