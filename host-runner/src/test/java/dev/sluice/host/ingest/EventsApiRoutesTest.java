package dev.sluice.host.ingest;

import static dev.sluice.host.ingest.IngestTestServer.CLIENT_SECRET;
import static dev.sluice.host.ingest.IngestTestServer.SERVER_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EventsApiRoutesTest {

    private IngestTestServer server;

    @BeforeEach
    void start() throws Exception {
        server = new IngestTestServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/event", "/api/v1/events", "/api/v1/event/", "/api/v1/events/"})
    void clientRoutesAcceptAClientSecretAndAnswerStatusOk(String path) throws Exception {
        var answer = server.post(path + "?token=" + CLIENT_SECRET, "{\"event_type\":\"pageview\"}");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("{\"status\":\"ok\"}");
        assertThat(answer.header("Content-Type")).contains("application/json");
        assertThat(server.sink.all()).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/s2s/event", "/api/v1/s2s/events", "/api/v1/s2s/event/", "/api/v1/s2s/events/"})
    void s2sRoutesAcceptAServerSecretAndAnswerStatusOk(String path) throws Exception {
        var answer = server.post(path + "?token=" + SERVER_SECRET, "{\"event_type\":\"signup\"}");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("{\"status\":\"ok\"}");
        assertThat(server.sink.all()).hasSize(1);
    }

    @Test
    void unknownPathIs404WithAMessageNamingTheRoutes() throws Exception {
        var answer = server.post("/api/v2/event?token=" + CLIENT_SECRET, "{}");
        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.message()).isEqualTo("Not found: /api/v2/event. The Events API is POST /api/v1/event "
                + "(client secret) and POST /api/v1/s2s/event (server secret)");
        assertThat(server.post("/api/v1/eventz", "{}").status()).isEqualTo(404);
        assertThat(server.post("/api/v1/event//", "{}").status()).isEqualTo(404);
    }

    @Test
    void otherMethodsAre405WithAllowHeader() throws Exception {
        var get = server.send("GET", "/api/v1/s2s/event?token=" + SERVER_SECRET, null);
        assertThat(get.status()).isEqualTo(405);
        assertThat(get.message()).isEqualTo("Method GET is not allowed on /api/v1/s2s/event: use POST");
        assertThat(get.header("Allow")).contains("POST");

        var put = server.send("PUT", "/api/v1/event?token=" + CLIENT_SECRET, "{}");
        assertThat(put.status()).isEqualTo(405);
        assertThat(put.header("Allow")).contains("POST, OPTIONS");

        var options = server.send("OPTIONS", "/api/v1/s2s/event", null);
        assertThat(options.status()).isEqualTo(405);
        assertThat(server.sink.calls).isEmpty();
    }

    @Test
    void aTokenWhoseKeyHasNoDestinationStillAnswersOkAndStoresNothing() throws Exception {
        server.close();
        server = new IngestTestServer(IngestTestServer.defaultKeys(),
                java.util.List.of(new dev.sluice.host.routing.DestinationRoute("web_only", java.util.List.of("web"),
                        java.util.Optional.empty())), 51_200, 1 << 20);
        var answer = server.post("/api/v1/s2s/event?token=" + IngestTestServer.OTHER_SERVER_SECRET, "{\"a\":1}");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("{\"status\":\"ok\"}");
        assertThat(server.sink.calls).isEmpty();
    }

    @Test
    void aPortInUseIsAClearStartError() throws Exception {
        var second = new IngestServer(new dev.sluice.host.config.ServerConfig("127.0.0.1", server.server.port(),
                51_200, 1 << 20), new ApiKeyTokens(IngestTestServer.defaultKeys()),
                new EventIngestor(51_200, EventEnricher.standard(), server.router, server.sink));
        org.assertj.core.api.Assertions.assertThatThrownBy(second::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Cannot listen on 127.0.0.1:" + server.server.port() + " (server.bind / server.port): ");
        assertThat(server.post("/api/v1/s2s/event?token=" + SERVER_SECRET, "{}").status()).isEqualTo(200);
    }
}
