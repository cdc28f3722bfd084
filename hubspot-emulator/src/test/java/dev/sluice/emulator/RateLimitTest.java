package dev.sluice.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimitTest extends EmulatorHarness {
    private static final String PROPERTIES = "/crm/v3/properties/contacts";

    @Override
    HubSpotEmulator.Builder configure(HubSpotEmulator.Builder builder) {
        return builder.rateLimit(3).dailyLimit(1000);
    }

    @Test
    void sendsRateLimitHeadersOnEveryApiResponse() {
        Reply first = get(PROPERTIES);
        Reply second = post(upsertPath("v3"), "{}");

        assertThat(first.header("X-HubSpot-RateLimit-Max")).isEqualTo("3");
        assertThat(first.header("X-HubSpot-RateLimit-Remaining")).isEqualTo("2");
        assertThat(first.header("X-HubSpot-RateLimit-Interval-Milliseconds")).isEqualTo("10000");
        assertThat(first.header("X-HubSpot-RateLimit-Daily")).isEqualTo("1000");
        assertThat(first.header("X-HubSpot-RateLimit-Daily-Remaining")).isEqualTo("999");
        assertThat(second.code()).isEqualTo(400);
        assertThat(second.header("X-HubSpot-RateLimit-Remaining")).isEqualTo("1");
    }

    @Test
    void refusesOverTheRollingWindowAndRecoversWhenItSlides() {
        for (int i = 0; i < 3; i++) {
            assertThat(get(PROPERTIES).code()).isEqualTo(200);
            clock.advance(Duration.ofSeconds(3));
        }
        // t = 9 s: the three calls at 0, 3 and 6 s are all in the window.
        Reply refused = get(PROPERTIES);
        clock.advance(Duration.ofSeconds(1));
        // t = 10 s: the call at 0 s has left the window.
        Reply allowed = get(PROPERTIES);

        assertThat(refused.code()).isEqualTo(429);
        JsonNode body = refused.json();
        assertThat(body.get("status").asText()).isEqualTo("error");
        assertThat(body.get("message").asText()).isEqualTo("You have reached your ten_secondly_rolling limit.");
        assertThat(body.get("errorType").asText()).isEqualTo("RATE_LIMIT");
        assertThat(body.get("policyName").asText()).isEqualTo("TEN_SECONDLY_ROLLING");
        assertThat(body.get("correlationId").asText()).isNotBlank();
        assertThat(refused.header("X-HubSpot-RateLimit-Remaining")).isEqualTo("0");
        assertThat(allowed.code()).isEqualTo(200);
    }

    @Test
    void windowIsPerToken() {
        for (int i = 0; i < 3; i++) {
            get(PROPERTIES, "token-a");
        }
        assertThat(get(PROPERTIES, "token-a").code()).isEqualTo(429);
        assertThat(get(PROPERTIES, "token-b").code()).isEqualTo(200);
    }

    @Test
    void dailyLimitIsPerAccountAndResetsAtUtcMidnight() {
        emulator.settings().dailyLimit(2);
        get(PROPERTIES, "token-a");
        get(PROPERTIES, "token-b");

        Reply refused = get(PROPERTIES, "token-c");
        clock.set(Instant.parse("2026-01-21T00:00:00Z"));
        Reply nextDay = get(PROPERTIES, "token-c");

        assertThat(refused.code()).isEqualTo(429);
        assertThat(refused.json().get("policyName").asText()).isEqualTo("DAILY");
        assertThat(refused.json().get("message").asText()).isEqualTo("You have reached your daily limit.");
        assertThat(refused.header("X-HubSpot-RateLimit-Daily-Remaining")).isEqualTo("0");
        assertThat(nextDay.code()).isEqualTo(200);
    }

    @Test
    void statsCountRefusalsAndTheBusiestWindowPerToken() {
        for (int i = 0; i < 5; i++) {
            get(PROPERTIES);
        }
        clock.advance(Duration.ofSeconds(11));
        get(PROPERTIES);
        get(PROPERTIES);

        TrafficStats stats = emulator.stats();
        assertThat(stats.rateLimited()).isEqualTo(2);
        assertThat(stats.rateLimited("TEN_SECONDLY_ROLLING")).isEqualTo(2);
        assertThat(stats.count("properties.list", 200)).isEqualTo(5);
        assertThat(stats.count("properties.list", 429)).isEqualTo(2);
        assertThat(stats.maxRequestsInTenSeconds(TOKEN)).isEqualTo(5);
        assertThat(stats.maxRequestsInTenSecondsAfterFirst429(TOKEN)).isEqualTo(2);
        JsonNode json = get("/_emulator/stats", null).json();
        assertThat(json.at("/rateLimitedByPolicy/TEN_SECONDLY_ROLLING").asLong()).isEqualTo(2);
        JsonNode token = json.get("tokens").elements().next();
        assertThat(token.get("maxRequestsInTenSeconds").asLong()).isEqualTo(5);
        assertThat(token.get("responses429").asLong()).isEqualTo(2);
    }

    @Test
    void limitsCanBeChangedAtRunTime() {
        post("/_emulator/settings", "{\"rateLimit\":1}", null);

        assertThat(get(PROPERTIES).code()).isEqualTo(200);
        assertThat(get(PROPERTIES).code()).isEqualTo(429);
    }
}
