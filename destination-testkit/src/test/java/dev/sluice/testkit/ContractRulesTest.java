package dev.sluice.testkit;

import dev.sluice.api.DestinationFactory;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * Runs {@link DestinationContractTest} against a destination that keeps every rule and against
 * one per broken rule, and reads what the kit reports.
 */
class ContractRulesTest {

    static final String TOKEN = "kit-secret-token-93f1";

    abstract static class Contract extends DestinationContractTest {
        @Override
        protected Map<String, Object> validConfig() {
            return Map.of("endpoint", "memory", "token", TOKEN, "timeout", "5s");
        }
    }

    static class Good extends Contract {
        @Override
        protected DestinationFactory factory() {
            return new KitPlugins.GoodFactory();
        }
    }

    static class EchoesSecret extends Contract {
        @Override
        protected DestinationFactory factory() {
            return new KitPlugins.EchoesSecretFactory();
        }
    }

    static class LogsSecret extends Contract {
        @Override
        protected DestinationFactory factory() {
            return new KitPlugins.LogsSecretFactory();
        }
    }

    static class ReportsSecret extends Contract {
        @Override
        protected DestinationFactory factory() {
            return new KitPlugins.ReportsSecretFactory();
        }
    }

    static class TooFewOutcomes extends Contract {
        @Override
        protected DestinationFactory factory() {
            return new KitPlugins.TooFewOutcomesFactory();
        }
    }

    static class ThrowsOnMalformed extends Contract {
        @Override
        protected DestinationFactory factory() {
            return new KitPlugins.ThrowsOnMalformedFactory();
        }
    }

    static class RetriesMalformed extends Contract {
        @Override
        protected DestinationFactory factory() {
            return new KitPlugins.RetriesMalformedFactory();
        }
    }

    static class CloseTwice extends Contract {
        @Override
        protected DestinationFactory factory() {
            return new KitPlugins.CloseTwiceFactory();
        }
    }

    static class Unregistered extends Contract {
        @Override
        protected DestinationFactory factory() {
            return new KitPlugins.UnregisteredFactory();
        }
    }

    private static EngineExecutionResults run(Class<?> contract) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(contract)).execute();
    }

    /** The failure message of one contract test, or empty when it passed. */
    private static Optional<String> failure(EngineExecutionResults results, String method) {
        List<Event> finished = results.testEvents().finished().list().stream()
                .filter(e -> e.getTestDescriptor().getDisplayName().startsWith(method + "(")).toList();
        assertThat(finished).as("contract test %s ran", method).hasSize(1);
        return finished.get(0).getPayload(org.junit.platform.engine.TestExecutionResult.class)
                .flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable).map(Throwable::getMessage);
    }

    @Test
    void aDestinationThatKeepsEveryRulePassesTheWholeContract() {
        EngineExecutionResults results = run(Good.class);
        results.testEvents().assertStatistics(s -> s.started(9).succeeded(9).failed(0).aborted(0));
    }

    @Test
    void aSecretInAnOutcomeReasonFailsWithWhereItAppearedButNotTheSecret() {
        Optional<String> message = failure(run(EchoesSecret.class), "keepsSecretsOutOfEveryMessage");
        assertThat(message).hasValueSatisfying(m -> assertThat(m)
                .contains("the value of secret field 'token' appears in an outcome reason")
                .contains("<SECRET>")
                .doesNotContain(TOKEN));
    }

    @Test
    void aSecretInTheLogFails() {
        Optional<String> message = failure(run(LogsSecret.class), "keepsSecretsOutOfEveryMessage");
        assertThat(message).hasValueSatisfying(m -> assertThat(m)
                .contains("secret field 'token' appears in a log line").doesNotContain(TOKEN));
    }

    @Test
    void aSecretInAMetricsLabelFails() {
        Optional<String> message = failure(run(ReportsSecret.class), "keepsSecretsOutOfEveryMessage");
        assertThat(message).hasValueSatisfying(m -> assertThat(m)
                .contains("secret field 'token' appears in a metrics label").doesNotContain(TOKEN));
    }

    @Test
    void tooFewOutcomesFailWithTheCounts() {
        Optional<String> message = failure(run(TooFewOutcomes.class), "deliversExactlyOneOutcomePerEvent");
        assertThat(message).hasValueSatisfying(m -> assertThat(m)
                .contains("deliver() returned 99 outcome(s) for 100 event(s); it must return exactly one per event"));
    }

    @Test
    void throwingOnAMalformedEventFails() {
        Optional<String> message = failure(run(ThrowsOnMalformed.class), "rejectsAMalformedEventAloneWithoutThrowing");
        assertThat(message).hasValueSatisfying(m -> assertThat(m)
                .contains("deliver() threw for 3 event(s) instead of returning one outcome per event")
                .contains("has no event_type"));
    }

    @Test
    void retryingAMalformedEventFails() {
        Optional<String> message = failure(run(RetriesMalformed.class), "rejectsAMalformedEventAloneWithoutThrowing");
        assertThat(message).hasValueSatisfying(m -> assertThat(m)
                .contains("retrying can never fix it: return Outcome.rejected(reason)"));
    }

    @Test
    void aSecondCloseThatThrowsFails() {
        Optional<String> message = failure(run(CloseTwice.class), "closeIsIdempotent");
        assertThat(message).hasValueSatisfying(m -> assertThat(m)
                .contains("a second close() threw for a destination that was never started; close must be idempotent"));
    }

    @Test
    void aFactoryWithoutItsServicesEntryFails() {
        Optional<String> message = failure(run(Unregistered.class), "isRegisteredAsAService");
        assertThat(message).hasValueSatisfying(m -> assertThat(m)
                .contains("KitPlugins$UnregisteredFactory is not listed in META-INF/services/dev.sluice.api.DestinationFactory")
                .contains("@AutoService(DestinationFactory.class)"));
    }

    @Test
    void eachBrokenPluginFailsOnlyItsOwnRule() {
        assertThat(failure(run(TooFewOutcomes.class), "keepsSecretsOutOfEveryMessage")).isEmpty();
        assertThat(failure(run(EchoesSecret.class), "deliversExactlyOneOutcomePerEvent")).isEmpty();
    }
}
