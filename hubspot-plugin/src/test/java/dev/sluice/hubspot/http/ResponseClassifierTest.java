package dev.sluice.hubspot.http;

import dev.sluice.api.Outcome;
import dev.sluice.hubspot.ratelimit.MutableClock;
import dev.sluice.hubspot.ratelimit.RateLimitedException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ResponseClassifierTest {

    private static final Instant NOW = Instant.parse("2026-03-02T10:15:30Z");

    private final MutableClock clock = new MutableClock(NOW);
    private final RecordingLogger logger = new RecordingLogger();
    private final ResponseClassifier classifier = new ResponseClassifier(new RetrySchedule(clock), logger, "crm");

    private static HubSpotResponse answer(int status, String body, String... headers) {
        Map<String, List<String>> map = new java.util.HashMap<>();
        for (int i = 0; i < headers.length; i += 2) {
            map.put(headers[i].toLowerCase(java.util.Locale.ROOT), List.of(headers[i + 1]));
        }
        return new HubSpotResponse(status, map, body);
    }

    private static Outcome.Retry retry(Outcome outcome) {
        assertThat(outcome).isInstanceOf(Outcome.Retry.class);
        return (Outcome.Retry) outcome;
    }

    @Test
    void unauthorizedIsRetriedAndLoggedLoudlyOnlyOnce() {
        String body = "{\"status\":\"error\",\"message\":\"Authentication credentials not found.\","
                + "\"correlationId\":\"abc-1\",\"category\":\"INVALID_AUTHENTICATION\"}";
        Outcome.Retry first = retry(classifier.classify(answer(401, body)));
        Outcome.Retry second = retry(classifier.classify(answer(401, body)));
        assertThat(first.reason()).isEqualTo("HubSpot rejected the access token (401 INVALID_AUTHENTICATION)");
        assertThat(first.notBefore()).contains(NOW.plus(Duration.ofMinutes(1)));
        assertThat(second.reason()).isEqualTo(first.reason());
        assertThat(logger.entries()).singleElement().satisfies(e -> {
            assertThat(e.level()).isEqualTo(System.Logger.Level.ERROR);
            assertThat(e.message()).contains("'crm'", "401 INVALID_AUTHENTICATION", "access_token", "abc-1");
        });
    }

    @Test
    void forbiddenNamesTheMissingScopesFromRequiredScopes() {
        String body = "{\"status\":\"error\",\"message\":\"This app hasn't been granted all required scopes to make"
                + " this call.\",\"correlationId\":\"c2\",\"category\":\"MISSING_SCOPES\",\"errors\":[{\"message\":"
                + "\"One or more of the following scopes are required.\",\"context\":{\"requiredScopes\":"
                + "[\"crm.objects.contacts.write\"]}}],\"context\":{\"requiredScopes\":[\"crm.objects.contacts.write\"]}}";
        Outcome.Retry outcome = retry(classifier.classify(answer(403, body)));
        assertThat(outcome.reason()).isEqualTo("HubSpot refused the call: the access token lacks the scope(s)"
                + " crm.objects.contacts.write (403 MISSING_SCOPES)");
        assertThat(outcome.notBefore()).contains(NOW.plus(Duration.ofMinutes(1)));
        classifier.classify(answer(403, body));
        assertThat(logger.entries()).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("crm.objects.contacts.write"));
    }

    @Test
    void forbiddenWithoutScopesListsWhatTheDestinationNeeds() {
        Outcome.Retry outcome = retry(classifier.classify(answer(403, "{\"message\":\"no\",\"category\":\"FORBIDDEN\"}")));
        assertThat(outcome.reason()).contains("403 FORBIDDEN", "crm.objects.contacts.write", "crm.schemas.contacts.read",
                "analytics.behavioral_events.send", "Enterprise");
    }

    @Test
    void tenSecondlyLimitWaitsForTheWindowFromTheIntervalHeader() {
        Outcome.Retry outcome = retry(classifier.classify(answer(429,
                "{\"status\":\"error\",\"errorType\":\"RATE_LIMIT\",\"policyName\":\"TEN_SECONDLY_ROLLING\"}",
                "X-HubSpot-RateLimit-Interval-Milliseconds", "10000")));
        assertThat(outcome.reason()).isEqualTo("HubSpot rate limit reached (429 TEN_SECONDLY_ROLLING)");
        assertThat(outcome.notBefore()).contains(NOW.plusSeconds(10));
        assertThat(retry(classifier.classify(answer(429, "",
                "X-HubSpot-RateLimit-Interval-Milliseconds", "2500"))).notBefore()).contains(NOW.plusMillis(2500));
        assertThat(retry(classifier.classify(answer(429, ""))).notBefore()).contains(NOW.plusSeconds(10));
    }

    @Test
    void retryAfterWinsForRateLimits() {
        assertThat(retry(classifier.classify(answer(429, "{\"policyName\":\"DAILY\"}", "Retry-After", "30"))).notBefore())
                .contains(NOW.plusSeconds(30));
        assertThat(retry(classifier.classify(answer(429, "", "Retry-After", "Mon, 02 Mar 2026 10:20:00 GMT"))).notBefore())
                .contains(Instant.parse("2026-03-02T10:20:00Z"));
    }

    @Test
    void dailyLimitWaitsForTheNextFullUtcHourAndLogsOnce() {
        Outcome.Retry outcome = retry(classifier.classify(answer(429,
                "{\"status\":\"error\",\"message\":\"You have reached your daily limit.\",\"errorType\":\"RATE_LIMIT\","
                        + "\"policyName\":\"DAILY\"}")));
        assertThat(outcome.notBefore()).contains(Instant.parse("2026-03-02T11:00:00Z"));
        assertThat(outcome.reason()).contains("DAILY");
        classifier.classify(answer(429, "{\"policyName\":\"DAILY\"}"));
        assertThat(logger.entries()).singleElement().satisfies(e -> assertThat(e.message()).contains("daily"));
    }

    @Test
    void lockedWaitsAtLeastTwoSeconds() {
        assertThat(retry(classifier.classify(answer(423, ""))).notBefore()).contains(NOW.plusSeconds(2));
        assertThat(retry(classifier.classify(answer(423, "", "Retry-After", "1"))).notBefore()).contains(NOW.plusSeconds(2));
        assertThat(retry(classifier.classify(answer(423, "", "Retry-After", "7"))).notBefore()).contains(NOW.plusSeconds(7));
    }

    @Test
    void migrationHonoursRetryAfter() {
        assertThat(retry(classifier.classify(answer(477, "", "Retry-After", "120"))).notBefore())
                .contains(NOW.plusSeconds(120));
        assertThat(retry(classifier.classify(answer(477, ""))).notBefore()).contains(NOW.plusSeconds(10));
    }

    @Test
    void serverErrorsAreRetriedAfterAShortPause() {
        for (int status : new int[] {500, 502, 503, 504}) {
            Outcome.Retry outcome = retry(classifier.classify(answer(status,
                    "{\"message\":\"internal error\",\"category\":\"INTERNAL_ERROR\"}")));
            assertThat(outcome.notBefore()).contains(NOW.plusSeconds(5));
            assertThat(outcome.reason()).isEqualTo("HubSpot unavailable (" + status + " INTERNAL_ERROR): internal error");
        }
        assertThat(retry(classifier.classify(answer(503, "<html>down</html>", "Retry-After", "20"))).notBefore())
                .contains(NOW.plusSeconds(20));
    }

    @Test
    void ioFailuresAreRetriedAfterAShortPause() {
        Outcome.Retry timeout = retry(classifier.classify(new CallFailedException(CallFailedException.Kind.TIMEOUT,
                "SocketTimeoutException calling HubSpot GET API /x: timeout")));
        assertThat(timeout.reason()).startsWith("HubSpot call timed out: ");
        assertThat(timeout.notBefore()).contains(NOW.plusSeconds(5));
        Outcome.Retry refused = retry(classifier.classify(new IOException("Connection refused")));
        assertThat(refused.reason()).isEqualTo("HubSpot call failed: Connection refused");
    }

    @Test
    void rateLimitedCallsRetryAtTheLimitersTime() {
        Instant later = NOW.plus(Duration.ofMinutes(44));
        Outcome.Retry outcome = retry(classifier.classify(new RateLimitedException("HubSpot rate limit: no call before "
                + later, later)));
        assertThat(outcome.notBefore()).contains(later);
    }

    @Test
    void otherClientErrorsAreRejectedWithHubSpotsMessage() {
        Outcome outcome = classifier.classify(answer(404, "{\"status\":\"error\",\"message\":\"Unable to route GET"
                + " request\",\"category\":\"OBJECT_NOT_FOUND\"}"));
        assertThat(outcome).isEqualTo(Outcome.rejected("HubSpot refused the request (404 OBJECT_NOT_FOUND): Unable to"
                + " route GET request"));
    }

    @Test
    void longMessagesAreTruncated() {
        String body = "{\"message\":\"" + "x".repeat(5000) + "\"}";
        assertThat(((Outcome.Rejected) classifier.classify(answer(400, body))).reason()).hasSize(1003).endsWith("...");
    }

    @Test
    void destinationClassifierUsesTheContextsClock() {
        ResponseClassifier fromContext = ResponseClassifier.forDestination(dev.sluice.api.DestinationContext.of("crm",
                "stream", dev.sluice.api.config.DestinationConfig.validate(List.of(), Map.of()), clock));
        assertThat(retry(fromContext.classify(answer(503, ""))).notBefore()).contains(NOW.plusSeconds(5));
    }

    @Test
    void unexpectedStatusIsRetried() {
        assertThat(retry(classifier.classify(answer(302, ""))).reason()).isEqualTo("unexpected HubSpot answer: HTTP 302");
    }

    @Test
    void parsesHubSpotsErrorBody() {
        Optional<HubSpotError> error = HubSpotError.parse("{\"status\":\"error\",\"message\":\"Property values were not"
                + " valid\",\"correlationId\":\"c-9\",\"category\":\"VALIDATION_ERROR\",\"subCategory\":\"x\","
                + "\"context\":{\"objectWriteTraceId\":[\"e1\"]},\"errors\":[{\"message\":\"bad\",\"code\":"
                + "\"INVALID_DATE\",\"in\":\"signup_date\",\"context\":{\"propertyName\":[\"signup_date\"]}}],"
                + "\"links\":{\"kb\":\"https://x\"},\"unknownField\":1}");
        assertThat(error).hasValueSatisfying(e -> {
            assertThat(e.status()).isEqualTo("error");
            assertThat(e.message()).isEqualTo("Property values were not valid");
            assertThat(e.category()).isEqualTo("VALIDATION_ERROR");
            assertThat(e.subCategory()).isEqualTo("x");
            assertThat(e.correlationId()).isEqualTo("c-9");
            assertThat(e.context()).containsEntry("objectWriteTraceId", List.of("e1"));
            assertThat(e.errors()).singleElement().satisfies(d -> {
                assertThat(d.code()).isEqualTo("INVALID_DATE");
                assertThat(d.in()).isEqualTo("signup_date");
                assertThat(d.context()).containsEntry("propertyName", List.of("signup_date"));
            });
            assertThat(e.contextValues("propertyName")).containsExactly("signup_date");
            assertThat(e.policyName()).isEmpty();
        });
        assertThat(HubSpotError.parse("")).isEmpty();
        assertThat(HubSpotError.parse("<html>Bad gateway</html>")).isEmpty();
        assertThat(HubSpotError.parse("{not json")).isEmpty();
    }
}
