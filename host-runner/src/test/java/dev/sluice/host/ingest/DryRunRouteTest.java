package dev.sluice.host.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.host.config.ServerConfig;
import dev.sluice.host.routing.DestinationRoute;
import dev.sluice.host.routing.RouteCounts;
import dev.sluice.host.routing.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code POST /api/v1/events/dry-run}: answers what would happen, stores and counts nothing. */
class DryRunRouteTest {

    private final RecordingSink sink = new RecordingSink();
    private Router router;
    private IngestServer server;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void start() throws Exception {
        router = Router.create(List.of(
                new DestinationRoute("hs", List.of(), Optional.of("$.user?.email"),
                        Optional.of("return [{...$, user: $.eventn_ctx?.user}, {...$, JITSU_TABLE_NAME: 'extra'}]")),
                new DestinationRoute("web_only", List.of("web"), Optional.empty())));
        ServerConfig config = new ServerConfig("127.0.0.1", 0, 51_200, 1 << 20);
        EventIngestor ingestor = new EventIngestor(51_200, EventEnricher.standard(), router, sink);
        DryRunHandler dryRun = new DryRunHandler(IngestTestServer.defaultKeys(),
                new DryRunner(51_200, EventEnricher.standard(), router), 1 << 20);
        server = new IngestServer(config, new ApiKeyTokens(IngestTestServer.defaultKeys()), ingestor,
                Map.of(DryRunHandler.PATH, dryRun));
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
        router.close();
    }

    private HttpResponse<String> post(String query, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                        + DryRunHandler.PATH + query)).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void answersPerEventWhatTheDestinationWouldDoAndStoresNothing() throws Exception {
        HttpResponse<String> answer = post("?destination=hs&token=" + IngestTestServer.OTHER_SERVER_SECRET,
                "{\"event_type\":\"signup\",\"eventn_ctx\":{\"user\":{\"email\":\"a@b.c\"}}}");
        assertThat(answer.statusCode()).isEqualTo(200);
        JsonNode event = new ObjectMapper().readTree(answer.body()).get("events").get(0);
        assertThat(event.get("enriched").get("source_ip").asText()).isEqualTo("127.0.0.1");
        // As ingest stores it: the api key's id, and the secret the request used appears nowhere.
        assertThat(event.get("enriched").get("api_key").asText()).isEqualTo("backend");
        assertThat(answer.body()).doesNotContain(IngestTestServer.OTHER_SERVER_SECRET);
        assertThat(event.get("transform").get("events")).hasSize(2);
        JsonNode first = event.get("results").get(0);
        assertThat(first.get("table_name_from").asText()).isEqualTo("table_name_template");
        assertThat(first.get("table_name").asText()).isEqualTo("a@b.c");
        JsonNode second = event.get("results").get(1);
        assertThat(second.get("table_name_from").asText()).isEqualTo("JITSU_TABLE_NAME");
        assertThat(second.get("event").has("JITSU_TABLE_NAME")).isFalse();
        assertThat(event.get("outcome").asText()).isEqualTo("queued");
        assertThat(event.get("queued_events").asInt()).isEqualTo(2);

        assertThat(sink.calls).isEmpty();
        assertThat(router.counts().get("hs")).isEqualTo(new RouteCounts(0, 0, 0, 0, 0));
    }

    @Test
    void onlyTokensAreAppliedAsIngestWould() throws Exception {
        JsonNode event = new ObjectMapper().readTree(post("?destination=web_only&token="
                + IngestTestServer.OTHER_SERVER_SECRET, "{}").body()).get("events").get(0);
        assertThat(event.get("outcome").asText()).isEqualTo("not routed");
    }

    @Test
    void refusesWithoutAServerSecretOrADestination() throws Exception {
        assertThat(post("?destination=hs&token=" + IngestTestServer.CLIENT_SECRET, "{}").statusCode()).isEqualTo(401);
        assertThat(post("?destination=hs", "{}").statusCode()).isEqualTo(401);
        assertThat(post("?token=" + IngestTestServer.SERVER_SECRET, "{}").statusCode()).isEqualTo(400);
        HttpResponse<String> unknown = post("?destination=nope&token=" + IngestTestServer.SERVER_SECRET, "{}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("No destination 'nope'");
        assertThat(post("?destination=hs&token=" + IngestTestServer.SERVER_SECRET, "[1]").statusCode()).isEqualTo(400);
    }
}
