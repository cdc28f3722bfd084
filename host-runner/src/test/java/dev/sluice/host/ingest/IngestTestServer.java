package dev.sluice.host.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.host.config.ApiKey;
import dev.sluice.host.config.ServerConfig;
import dev.sluice.host.pipeline.RoutedEvent;
import dev.sluice.host.routing.DestinationRoute;
import dev.sluice.host.routing.Router;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** An IngestServer on 127.0.0.1, a random port, a recording sink and a fixed clock, plus a client. */
final class IngestTestServer implements AutoCloseable {

    static final String CLIENT_SECRET = "js-secret-1";
    static final String SERVER_SECRET = "s2s-secret-1";
    static final String OTHER_SERVER_SECRET = "s2s-secret-2";
    static final Instant NOW = Instant.parse("2026-01-02T03:04:05.006Z");
    static final ObjectMapper JSON = new ObjectMapper();

    final RecordingSink sink = new RecordingSink();
    final Router router;
    final IngestServer server;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicInteger ids = new AtomicInteger();

    /** Keys "web" (client + server secret, origins *example.com and https://*.shop.test) and "backend". */
    static List<ApiKey> defaultKeys() {
        return List.of(
                new ApiKey("web", Optional.of(CLIENT_SECRET), Optional.of(SERVER_SECRET),
                        List.of("*example.com", "https://*.shop.test")),
                new ApiKey("backend", Optional.empty(), Optional.of(OTHER_SERVER_SECRET), List.of()));
    }

    IngestTestServer() throws Exception {
        this(defaultKeys(), List.of(new DestinationRoute("all", List.of(), Optional.empty())), 51_200, 1 << 20);
    }

    IngestTestServer(List<ApiKey> keys, List<DestinationRoute> routes, long maxEventSize, long maxBodySize)
            throws Exception {
        router = Router.create(routes);
        EventEnricher enricher = new EventEnricher(Clock.fixed(NOW, ZoneOffset.UTC), () -> "id-" + ids.incrementAndGet());
        EventIngestor ingestor = new EventIngestor(maxEventSize, enricher, router, sink);
        server = new IngestServer(new ServerConfig("127.0.0.1", 0, maxEventSize, maxBodySize),
                new ApiKeyTokens(keys), ingestor);
        server.start();
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + server.port() + pathAndQuery);
    }

    Answer post(String pathAndQuery, String body, String... headers) throws IOException, InterruptedException {
        return send("POST", pathAndQuery, body, headers);
    }

    Answer send(String method, String pathAndQuery, String body, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body(), response);
    }

    /** The stored events as maps, in order. */
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> storedEvents() throws IOException {
        List<RoutedEvent> events = sink.all();
        java.util.ArrayList<Map<String, Object>> out = new java.util.ArrayList<>();
        for (RoutedEvent event : events) {
            out.add(JSON.readValue(event.json(), Map.class));
        }
        return out;
    }

    @Override
    public void close() {
        server.stop(Duration.ofSeconds(5));
    }

    record Answer(int status, String body, HttpResponse<String> response) {
        Optional<String> header(String name) {
            return response.headers().firstValue(name);
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> json() throws IOException {
            return JSON.readValue(body, Map.class);
        }

        /** The error message of a {"message":"...","error":""} answer, checking that shape. */
        String message() throws IOException {
            Map<String, Object> json = json();
            if (!json.keySet().equals(java.util.Set.of("message", "error")) || !"".equals(json.get("error"))) {
                throw new AssertionError("not an error answer: " + body);
            }
            return (String) json.get("message");
        }
    }
}
