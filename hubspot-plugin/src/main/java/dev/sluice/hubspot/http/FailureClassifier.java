package dev.sluice.hubspot.http;

import dev.sluice.api.Outcome;

import java.io.IOException;

/**
 * The outcome for every event of a request that failed as a whole, for reasons that are not the
 * content of its inputs: auth (401/403), rate limits (429), locks (423), migrations (477), outages
 * (5xx) and I/O failures. The adapters decide 2xx, 400 and 409 themselves and ask this for the rest.
 * Implemented by {@link ResponseClassifier}; it lives with the HTTP answers it reads, so the
 * delivery package depends on {@code http} and never the other way.
 */
public interface FailureClassifier {

    Outcome classify(HubSpotResponse response);

    Outcome classify(IOException failure);
}
