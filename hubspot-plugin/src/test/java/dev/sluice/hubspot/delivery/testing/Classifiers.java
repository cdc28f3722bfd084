package dev.sluice.hubspot.delivery.testing;

import dev.sluice.hubspot.http.ResponseClassifier;
import dev.sluice.hubspot.http.RetrySchedule;

import java.time.Clock;

/** The production classifier for whole-request failures, on a test clock. */
public final class Classifiers {

    private Classifiers() {
    }

    public static ResponseClassifier real(Clock clock) {
        return new ResponseClassifier(new RetrySchedule(clock), System.getLogger("sluice.test"), "test-destination");
    }
}
