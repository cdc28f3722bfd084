package dev.sluice.host.ingest;

import static dev.sluice.host.ingest.IngestTestServer.CLIENT_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.host.config.ApiKey;
import dev.sluice.host.routing.DestinationRoute;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CorsTest {

    private static final String CLIENT = "/api/v1/event?token=" + CLIENT_SECRET;

    private IngestTestServer server;

    @BeforeEach
    void start() throws Exception {
        server = new IngestTestServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void preflightFromAnAllowedOriginIsAnsweredWithCorsHeaders() throws Exception {
        var answer = server.send("OPTIONS", CLIENT, null, "Origin", "https://www.example.com",
                "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type");
        assertThat(answer.status()).isEqualTo(204);
        assertThat(answer.header("Access-Control-Allow-Origin")).contains("https://www.example.com");
        assertThat(answer.header("Access-Control-Allow-Methods")).contains("POST, OPTIONS");
        assertThat(answer.header("Access-Control-Allow-Headers")).contains("Content-Type, X-Auth-Token, api_key, Authorization");
        assertThat(answer.header("Access-Control-Max-Age")).contains("86400");
        assertThat(answer.header("Access-Control-Allow-Credentials")).contains("true");
        assertThat(answer.header("Vary")).contains("Origin");
        assertThat(server.sink.calls).isEmpty();
    }

    @Test
    void wildcardsMatchAnyRunOfCharacters() throws Exception {
        for (String origin : new String[] {"https://example.com", "http://shop.example.com", "https://a.b.shop.test",
                "HTTPS://WWW.EXAMPLE.COM"}) {
            var answer = server.send("OPTIONS", CLIENT, null, "Origin", origin);
            assertThat(answer.status()).as(origin).isEqualTo(204);
            assertThat(answer.header("Access-Control-Allow-Origin")).as(origin).contains(origin);
        }
        for (String origin : new String[] {"https://example.com.evil.net", "http://a.shop.test", "https://shop.test"}) {
            assertThat(server.send("OPTIONS", CLIENT, null, "Origin", origin).status()).as(origin).isEqualTo(403);
        }
    }

    @Test
    void preflightWithoutATokenIsJudgedByAnyClientKeysOrigins() throws Exception {
        var allowed = server.send("OPTIONS", "/api/v1/event", null, "Origin", "https://example.com");
        assertThat(allowed.status()).isEqualTo(204);
        assertThat(allowed.header("Access-Control-Allow-Origin")).contains("https://example.com");

        var refused = server.send("OPTIONS", "/api/v1/event", null, "Origin", "https://evil.net");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.header("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void postFromANonMatchingOriginIs403NamingTheOriginAndStoresNothing() throws Exception {
        var answer = server.post(CLIENT, "{\"event_type\":\"pageview\"}", "Origin", "https://evil.net");
        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.message()).isEqualTo("Origin https://evil.net is not allowed for this token (api_keys[].origins)");
        assertThat(answer.header("Access-Control-Allow-Origin")).isEmpty();
        assertThat(server.sink.calls).isEmpty();
    }

    @Test
    void postFromAMatchingOriginIsStoredAndCarriesTheOriginBack() throws Exception {
        var answer = server.post(CLIENT, "{\"event_type\":\"pageview\"}", "Origin", "https://www.example.com");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("Access-Control-Allow-Origin")).contains("https://www.example.com");
        assertThat(server.sink.all()).hasSize(1);
    }

    @Test
    void postWithoutOriginIsNotACorsRequestAndIsAccepted() throws Exception {
        assertThat(server.post(CLIENT, "{}").status()).isEqualTo(200);
    }

    @Test
    void s2sRouteIgnoresOrigin() throws Exception {
        var answer = server.post("/api/v1/s2s/event?token=" + IngestTestServer.SERVER_SECRET, "{}",
                "Origin", "https://evil.net");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void aKeyWithoutOriginsAllowsAnyOrigin() throws Exception {
        server.close();
        server = new IngestTestServer(List.of(new ApiKey("open", Optional.of("open-js"), Optional.empty(), List.of())),
                List.of(new DestinationRoute("all", List.of(), Optional.empty())), 51_200, 1 << 20);
        var answer = server.post("/api/v1/event?token=open-js", "{}", "Origin", "https://anything.example.org");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("Access-Control-Allow-Origin")).contains("https://anything.example.org");
        assertThat(server.send("OPTIONS", "/api/v1/event", null, "Origin", "https://x.y").status()).isEqualTo(204);
    }

    @Test
    void errorAnswersToAnAllowedOriginAreReadableByTheBrowser() throws Exception {
        var answer = server.post(CLIENT, "{oops", "Origin", "https://example.com");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.header("Access-Control-Allow-Origin")).contains("https://example.com");
    }
}
