package dev.sluice.hubspot.delivery;

import dev.sluice.api.Outcome;
import dev.sluice.hubspot.http.HubSpotResponse;

import java.io.IOException;

/**
 * The outcome for every event of a request that failed as a whole, for reasons that are not the
 * content of its inputs: auth (401/403), rate limits (429), locks (423), migrations (477), outages
 * (5xx) and I/O failures. The adapters decide 2xx, 400 and 409 themselves and ask this for the rest.
 * Implemented by {@link dev.sluice.hubspot.http.ResponseClassifier}.
 */
public interface FailureClassifier {

    Outcome classify(HubSpotResponse response);

    Outcome classify(IOException failure);
}
