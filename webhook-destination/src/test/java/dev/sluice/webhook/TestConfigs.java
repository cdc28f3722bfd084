package dev.sluice.webhook;

import dev.sluice.api.DestinationContext;
import dev.sluice.api.DestinationFactory;
import dev.sluice.api.config.DestinationConfig;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

/** Raw configs, validated configs and destinations for tests; distinctive secrets to look for. */
final class TestConfigs {

    static final String HEADER_SECRET = "hdr-secret-7f3a9c";
    static final String BEARER_SECRET = "bearer-secret-51d2e8";
    static final String SIGNING_SECRET = "signing-secret-a83b0f";
    static final String QUERY_SECRET = "query-key-c4e961";
    static final String[] ALL_SECRETS = {HEADER_SECRET, BEARER_SECRET, SIGNING_SECRET, QUERY_SECRET};

    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    static final WebhookDestinationFactory FACTORY = new WebhookDestinationFactory();

    private TestConfigs() {
    }

    static Map<String, Object> raw(Object... pairs) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }

    static DestinationConfig config(Map<String, ?> raw) {
        return DestinationConfig.validate(FACTORY.configFields(), raw);
    }

    static WebhookDestination create(Map<String, ?> raw) {
        return (WebhookDestination) FACTORY.create(DestinationContext.of("hook", DestinationFactory.MODE_STREAM,
                config(raw), CLOCK));
    }
}
