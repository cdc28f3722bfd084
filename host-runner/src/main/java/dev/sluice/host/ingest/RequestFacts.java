package dev.sluice.host.ingest;

import java.util.Objects;
import java.util.Optional;

/**
 * What enrichment needs to know about the request an event came in.
 *
 * @param route     the route it came in on
 * @param keyId     the id of the api key whose secret the request used (written to {@code api_key};
 *                  never the secret itself, see {@link dev.sluice.host.config.ApiKey#storedId()})
 * @param clientIp  first {@code X-Forwarded-For} entry, else the peer address
 * @param userAgent the request's {@code User-Agent}, when it sent one
 */
record RequestFacts(IngestRoute route, String keyId, String clientIp, Optional<String> userAgent) {

    public RequestFacts {
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(clientIp, "clientIp");
        Objects.requireNonNull(userAgent, "userAgent");
    }

    @Override
    public String toString() {
        return "RequestFacts{route=" + route + ", key=" + keyId + ", clientIp=" + clientIp + "}";
    }
}
