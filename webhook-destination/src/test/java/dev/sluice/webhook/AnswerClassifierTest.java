package dev.sluice.webhook;

import dev.sluice.api.Outcome;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static dev.sluice.webhook.TestConfigs.CLOCK;
import static dev.sluice.webhook.TestConfigs.NOW;
import static org.assertj.core.api.Assertions.assertThat;

class AnswerClassifierTest {

    private static final HttpUrl URL = HttpUrl.get("https://hooks.example.com/in?key=sekrit-query-1234");
    private final AnswerClassifier classifier = new AnswerClassifier(CLOCK, URL,
            new SecretMask(List.of("key=sekrit-query-1234", "sekrit-query-1234")));

    private static AnswerClassifier.Answer answer(int status, String body) {
        return new AnswerClassifier.Answer(status, Optional.empty(), Optional.empty(), body);
    }

    @Test
    void every2xxIsDelivered() {
        for (int status : new int[] {200, 201, 202, 204, 299}) {
            assertThat(classifier.classify(answer(status, ""))).isEqualTo(Outcome.delivered());
        }
    }

    @Test
    void unexpectedStatusesAreRetried() {
        assertThat(classifier.classify(answer(600, "?"))).isInstanceOfSatisfying(Outcome.Retry.class,
                r -> assertThat(r.reason()).startsWith("unexpected answer HTTP 600 from https://hooks.example.com:443/in"));
    }

    @Test
    void redirectWithoutLocationOrWithRelativeLocation() {
        assertThat(classifier.classify(answer(302, ""))).isInstanceOf(Outcome.Rejected.class);
        Outcome relative = classifier.classify(new AnswerClassifier.Answer(307, Optional.empty(),
                Optional.of("/v2/in?key=sekrit-query-1234"), ""));
        assertThat(relative).isEqualTo(Outcome.rejected("HTTP 307 from https://hooks.example.com:443/in: redirect to"
                + " https://hooks.example.com:443/v2/in not followed; set url to the final address"));
    }

    @Test
    void retryAfterSecondsDateGarbageAndPast() {
        assertThat(AnswerClassifier.retryAfter("0", NOW)).contains(NOW);
        assertThat(AnswerClassifier.retryAfter(" 15 ", NOW)).contains(NOW.plusSeconds(15));
        assertThat(AnswerClassifier.retryAfter("Thu, 01 Jan 2026 00:10:00 GMT", NOW))
                .contains(Instant.parse("2026-01-01T00:10:00Z"));
        assertThat(AnswerClassifier.retryAfter("Wed, 31 Dec 2025 23:00:00 GMT", NOW)).contains(NOW);
        assertThat(AnswerClassifier.retryAfter("soon", NOW)).isEmpty();
        assertThat(AnswerClassifier.retryAfter("-5", NOW)).isEmpty();
        assertThat(AnswerClassifier.retryAfter("99999999999999999", NOW)).isPresent();
    }

    @Test
    void ioFailureMessagesLoseQueryStringsAndSecrets() {
        IOException failure = new ConnectException("Failed to connect to https://u:p@hooks.example.com/in?key=sekrit-query-1234");
        assertThat(classifier.classify(failure)).isInstanceOfSatisfying(Outcome.Retry.class, r -> {
            assertThat(r.reason()).startsWith("ConnectException calling https://hooks.example.com:443/in: Failed to connect")
                    .doesNotContain("sekrit", "?", "u:p@");
            assertThat(r.notBefore()).isEmpty();
        });
    }

    @Test
    void singleLineCollapsesWhitespaceAndControls() {
        assertThat(AnswerClassifier.singleLine("  a\r\n\tb \u0000 c  ")).isEqualTo("a b c");
    }
}
