package dev.sluice.e2e.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Posts to a host's Jitsu Events API s2s route over loopback. Thread-safe. */
public final class EventsApi {

    private final HttpClient client = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    private final URI s2s;

    public EventsApi(int port, String serverSecret) {
        this.s2s = URI.create("http://127.0.0.1:" + port + "/api/v1/s2s/event?token=" + serverSecret);
    }

    /**
     * Posts a JSON body (one event or an array).
     *
     * @return the HTTP status
     * @throws IOException when no answer came (host down, connection reset, timeout)
     */
    public int post(String json) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(s2s)
                .timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
        return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
