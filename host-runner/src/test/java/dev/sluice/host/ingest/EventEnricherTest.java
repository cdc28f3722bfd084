package dev.sluice.host.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EventEnricherTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-03-04T05:06:07.089Z");

    private final AtomicInteger ids = new AtomicInteger();
    private final EventEnricher enricher = new EventEnricher(Clock.fixed(NOW, ZoneOffset.UTC),
            () -> "generated-" + ids.incrementAndGet());

    @SuppressWarnings("unchecked")
    private static Map<String, Object> event(String json) throws Exception {
        return JSON.readValue(json, LinkedHashMap.class);
    }

    private static RequestFacts client(String ua) {
        return new RequestFacts(IngestRoute.CLIENT, "js-token", "203.0.113.7", Optional.ofNullable(ua));
    }

    private static RequestFacts s2s() {
        return new RequestFacts(IngestRoute.S2S, "s2s-token", "198.51.100.2", Optional.of("curl/8"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Map<String, Object> parent, String key) {
        return (Map<String, Object>) parent.get(key);
    }

    @Test
    void flatClientEventGetsEveryJitsuField() throws Exception {
        Map<String, Object> e = event("{\"event_type\":\"pageview\",\"user_agent\":\"old\",\"user\":{\"anonymous_id\":\"a1\"}}");

        String id = enricher.enrich(e, client("Mozilla/5.0"));

        assertThat(id).isEqualTo("generated-1");
        assertThat(e).containsEntry("source_ip", "203.0.113.7")
                .containsEntry("user_agent", "Mozilla/5.0")
                .containsEntry("eventn_ctx_event_id", "generated-1")
                .containsEntry("api_key", "js-token")
                .containsEntry("_timestamp", "2026-03-04T05:06:07.089Z")
                .doesNotContainKey("src");
        assertThat(object(e, "user")).containsEntry("anonymous_id", "a1")
                .containsEntry("hashed_anonymous_id", EventEnricher.md5Hex("203.0.113.7Mozilla/5.0"));
    }

    @Test
    void hashedAnonymousIdIsLowerHexMd5OfIpAndUserAgent() {
        // md5("1.2.3.4ua") computed independently with coreutils md5sum
        assertThat(EventEnricher.md5Hex("1.2.3.4ua")).isEqualTo("c3504766385ca3799cb82b0f6ec029bb");
        assertThat(EventEnricher.md5Hex("")).isEqualTo("d41d8cd98f00b204e9800998ecf8427e");
        assertThat(EventEnricher.md5Hex("abc")).isEqualTo("900150983cd24fb0d6963f7d28e17f72");
    }

    @Test
    void nestedEventWritesIntoEventnCtx() throws Exception {
        Map<String, Object> e = event("{\"event_type\":\"user_identify\",\"eventn_ctx\":{\"event_id\":\"ctx-id\","
                + "\"user\":{\"email\":\"a@b.c\"},\"user_agent\":\"old\"}}");

        String id = enricher.enrich(e, client("UA"));

        Map<String, Object> ctx = object(e, "eventn_ctx");
        assertThat(id).isEqualTo("ctx-id");
        assertThat(ctx).containsEntry("event_id", "ctx-id").containsEntry("user_agent", "UA");
        assertThat(object(ctx, "user")).containsEntry("email", "a@b.c")
                .containsEntry("hashed_anonymous_id", EventEnricher.md5Hex("203.0.113.7UA"));
        assertThat(e).doesNotContainKeys("eventn_ctx_event_id", "user", "user_agent");
    }

    @Test
    void eventIdComesFromTheFirstNonBlankSourceWhichIsRemoved() throws Exception {
        Map<String, Object> fromTopLevel = event("{\"eventn_ctx_event_id\":\"\",\"event_id\":\"mine\"}");
        assertThat(enricher.enrich(fromTopLevel, s2s())).isEqualTo("mine");
        assertThat(fromTopLevel).doesNotContainKey("event_id").containsEntry("eventn_ctx_event_id", "mine");

        Map<String, Object> preferCtxId = event("{\"eventn_ctx_event_id\":\"first\",\"event_id\":\"second\"}");
        assertThat(enricher.enrich(preferCtxId, s2s())).isEqualTo("first");
        assertThat(preferCtxId).containsEntry("event_id", "second").containsEntry("eventn_ctx_event_id", "first");

        Map<String, Object> nestedFromTopLevel = event("{\"event_id\":\"top\",\"eventn_ctx\":{\"event_id\":\"  \"}}");
        assertThat(enricher.enrich(nestedFromTopLevel, s2s())).isEqualTo("top");
        assertThat(object(nestedFromTopLevel, "eventn_ctx")).containsEntry("event_id", "top");
        assertThat(nestedFromTopLevel).doesNotContainKeys("event_id", "eventn_ctx_event_id");

        Map<String, Object> numeric = event("{\"event_id\":12345}");
        assertThat(enricher.enrich(numeric, s2s())).isEqualTo("12345");

        Map<String, Object> none = event("{\"event_id\":\"\"}");
        assertThat(enricher.enrich(none, s2s())).isEqualTo("generated-1");
        assertThat(none).containsEntry("eventn_ctx_event_id", "generated-1");
    }

    @Test
    void s2sSetsSrcOnlyWhenMissingAndLeavesUserAgentAlone() throws Exception {
        Map<String, Object> missing = event("{\"user_agent\":\"from-event\"}");
        enricher.enrich(missing, s2s());
        assertThat(missing).containsEntry("src", "api").containsEntry("user_agent", "from-event");

        Map<String, Object> present = event("{\"src\":\"jitsu\"}");
        enricher.enrich(present, s2s());
        assertThat(present).containsEntry("src", "jitsu");
    }

    @Test
    void keepsExistingSourceIpAndTimestamp() throws Exception {
        Map<String, Object> e = event("{\"source_ip\":\"10.0.0.1\",\"_timestamp\":\"2020-01-01T00:00:00.000Z\"}");
        enricher.enrich(e, s2s());
        assertThat(e).containsEntry("source_ip", "10.0.0.1").containsEntry("_timestamp", "2020-01-01T00:00:00.000Z");
    }

    @Test
    void createsTheUserObjectWhenMissingButLeavesANonObjectUserAlone() throws Exception {
        Map<String, Object> missing = event("{}");
        enricher.enrich(missing, s2s());
        assertThat(object(missing, "user")).containsOnlyKeys("hashed_anonymous_id");

        Map<String, Object> text = event("{\"user\":\"bob\"}");
        enricher.enrich(text, s2s());
        assertThat(text).containsEntry("user", "bob");
    }

    @Test
    void clientRouteWithoutUserAgentKeepsTheEventsOwnAndHashesWithEmptyAgent() throws Exception {
        Map<String, Object> e = event("{\"user_agent\":\"from-event\"}");
        enricher.enrich(e, client(null));
        assertThat(e).containsEntry("user_agent", "from-event");
        assertThat(object(e, "user")).containsEntry("hashed_anonymous_id", EventEnricher.md5Hex("203.0.113.7"));
    }

    @Test
    void apiKeyIsAlwaysTheTokenUsed() throws Exception {
        Map<String, Object> e = event("{\"api_key\":\"what-the-sdk-said\"}");
        enricher.enrich(e, client("UA"));
        assertThat(e).containsEntry("api_key", "js-token");
    }

    @Test
    void theTimestampIsWrittenAsTheIsoFormatterWritesIt() {
        long[] edges = {0L, 999L, 1000L, -1L, -86_400_000L + 1, 951_782_400_000L /* 2000-02-29 */,
                1_767_225_599_999L /* 2025-12-31T23:59:59.999 */, 1_767_225_600_000L, 253_402_300_799_999L /* 9999-12-31 */,
                -62_167_219_200_000L /* 0000-01-01 */};
        for (long millis : edges) {
            assertThat(EventEnricher.timestamp(millis)).as("%d", millis)
                    .isEqualTo(EventEnricher.TIMESTAMP.format(Instant.ofEpochMilli(millis)));
        }
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 20_000; i++) {
            long millis = random.nextLong(-62_167_219_200_000L, 253_402_300_800_000L);
            assertThat(EventEnricher.timestamp(millis)).as("%d", millis)
                    .isEqualTo(EventEnricher.TIMESTAMP.format(Instant.ofEpochMilli(millis)));
        }
        // Outside years 1-9999 (yyyy is the year of the era) it is the formatter's own text.
        long far = 253_402_300_800_000L;
        assertThat(EventEnricher.timestamp(far)).isEqualTo(EventEnricher.TIMESTAMP.format(Instant.ofEpochMilli(far)));
    }
}
