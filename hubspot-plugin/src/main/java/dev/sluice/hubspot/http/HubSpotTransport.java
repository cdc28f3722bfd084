package dev.sluice.hubspot.http;

import java.io.IOException;

/**
 * Sends calls to HubSpot: adds credentials (bearer header, or the deprecated {@code hapikey} query
 * parameter), the User-Agent, timeouts, and paces calls with the token's rate limiter. Shared by the
 * contacts and events adapters of one destination.
 */
public interface HubSpotTransport extends AutoCloseable {

    /**
     * Sends one call, waiting for the rate limiter first.
     *
     * @throws IOException on timeouts and connection failures (message free of secrets;
     *     {@link CallFailedException} with its {@link CallFailedException.Kind}), and
     *     {@link dev.sluice.hubspot.ratelimit.RateLimitedException} without calling when the next
     *     allowed call is further away than the limiter blocks (a DAILY limit): retry at its
     *     {@code notBefore()}; {@link ResponseClassifier#classify(IOException)} does that
     * @throws InterruptedException when the delivery thread is interrupted while waiting to send
     */
    HubSpotResponse send(HubSpotRequest request) throws IOException, InterruptedException;

    @Override
    void close();
}
