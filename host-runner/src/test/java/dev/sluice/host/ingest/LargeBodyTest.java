package dev.sluice.host.ingest;

import static dev.sluice.host.ingest.IngestTestServer.SERVER_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.host.config.ServerConfig;
import dev.sluice.host.routing.DestinationRoute;
import java.io.ByteArrayInputStream;
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

/**
 * Bodies bigger than Undertow's own default entity limit (2 MiB) with the default
 * {@code server.max_body_size} (10 MiB): accepted up to the limit, a JSON 413 over it, sent with a
 * length or chunked.
 */
class LargeBodyTest {

    private static final String S2S = "/api/v1/s2s/event?token=" + SERVER_SECRET;
    private static final long LIMIT = ServerConfig.DEFAULT_MAX_BODY_SIZE;
    private static final String TOO_LARGE = "the limit (server.max_body_size) is " + LIMIT + " bytes";

    private IngestTestServer server;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void start() throws Exception {
        server = new IngestTestServer(IngestTestServer.defaultKeys(),
                List.of(new DestinationRoute("all", List.of(), Optional.empty())),
                ServerConfig.DEFAULT_MAX_EVENT_SIZE, LIMIT);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** A JSON array of small events, at least this many bytes. */
    private static byte[] arrayOfAtLeast(long bytes) {
        String event = "{\"event_type\":\"pv\",\"pad\":\"" + "x".repeat(100) + "\"}";
        StringBuilder body = new StringBuilder((int) bytes + 200).append('[');
        int n = 0;
        while (body.length() < bytes) {
            body.append(n++ == 0 ? "" : ",").append(event);
        }
        return body.append(']').toString().getBytes(StandardCharsets.UTF_8);
    }

    private static int events(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        return text.split("\"event_type\"", -1).length - 1;
    }

    private HttpResponse<String> post(byte[] body, boolean chunked) throws Exception {
        HttpRequest.BodyPublisher publisher = chunked
                // no known length: the JDK client sends it chunked
                ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))
                : HttpRequest.BodyPublishers.ofByteArray(body);
        HttpRequest request = HttpRequest.newBuilder(server.uri(S2S)).timeout(Duration.ofSeconds(30))
                .POST(publisher).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aFiveMebibyteArrayIsAccepted() throws Exception {
        byte[] body = arrayOfAtLeast(5L * 1024 * 1024);
        HttpResponse<String> response = post(body, false);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(server.sink.all()).hasSize(events(body));
    }

    @Test
    void aFiveMebibyteChunkedArrayIsAccepted() throws Exception {
        byte[] body = arrayOfAtLeast(5L * 1024 * 1024);
        HttpResponse<String> response = post(body, true);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(server.sink.all()).hasSize(events(body));
    }

    @Test
    void anElevenMebibyteBodyIsAJson413() throws Exception {
        byte[] body = arrayOfAtLeast(11L * 1024 * 1024);
        HttpResponse<String> response = post(body, false);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(413);
        assertThat(IngestTestServer.JSON.readValue(response.body(), Map.class))
                .containsEntry("message", "Request body is too large: " + body.length + " bytes, " + TOO_LARGE)
                .containsEntry("error", "");
        assertThat(server.sink.calls).isEmpty();
    }

    @Test
    void anElevenMebibyteChunkedBodyIsAJson413WithoutAConnectionReset() throws Exception {
        byte[] body = arrayOfAtLeast(11L * 1024 * 1024);
        HttpResponse<String> response = post(body, true);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(413);
        assertThat(IngestTestServer.JSON.readValue(response.body(), Map.class))
                .containsEntry("message", "Request body is too large, " + TOO_LARGE)
                .containsEntry("error", "");
        assertThat(server.sink.calls).isEmpty();
        // the server still answers afterwards
        assertThat(server.post(S2S, "{\"n\":1}").status()).isEqualTo(200);
    }
}
