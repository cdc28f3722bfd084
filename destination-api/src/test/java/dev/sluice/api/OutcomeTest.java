package dev.sluice.api;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OutcomeTest {

    @Test
    void retryCarriesItsEarliestTimeOnlyWhenGiven() {
        Instant at = Instant.parse("2026-01-01T00:00:10Z");

        assertThat(Outcome.retry("429")).isEqualTo(new Outcome.Retry("429", java.util.Optional.empty()));
        assertThat(((Outcome.Retry) Outcome.retry("429", at)).notBefore()).contains(at);
    }

    @Test
    void everyOutcomeButDeliveredNeedsAReason() {
        assertThatThrownBy(() -> Outcome.rejected(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Outcome.skipped(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Outcome.retry(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void switchesCoverEveryKind() {
        Outcome[] all = {Outcome.delivered(), Outcome.skipped("s"), Outcome.retry("r"), Outcome.rejected("x")};
        StringBuilder kinds = new StringBuilder();
        for (Outcome o : all) {
            kinds.append(describe(o)).append(' ');
        }
        assertThat(kinds.toString()).isEqualTo("delivered skipped:s retry:r rejected:x ");
    }

    private static String describe(Outcome outcome) {
        if (outcome instanceof Outcome.Delivered) {
            return "delivered";
        } else if (outcome instanceof Outcome.Skipped s) {
            return "skipped:" + s.reason();
        } else if (outcome instanceof Outcome.Retry r) {
            return "retry:" + r.reason();
        } else if (outcome instanceof Outcome.Rejected r) {
            return "rejected:" + r.reason();
        }
        throw new AssertionError(outcome);
    }

    @Test
    void defaultUnsupportedModeMessageNamesTheModeAndTheSupportedOnes() {
        DestinationFactory factory = new DestinationFactory() {
            @Override
            public String type() {
                return "hubspot";
            }

            @Override
            public String displayName() {
                return "HubSpot";
            }

            @Override
            public java.util.Set<String> supportedModes() {
                return java.util.Set.of("stream");
            }

            @Override
            public java.util.List<dev.sluice.api.config.ConfigField> configFields() {
                return java.util.List.of();
            }

            @Override
            public Destination create(DestinationContext context) {
                throw new UnsupportedOperationException();
            }
        };

        assertThat(factory.unsupportedModeMessage("batch"))
                .isEqualTo("HubSpot destination doesn't support batch mode; supported: stream");
    }
}
