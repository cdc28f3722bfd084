package dev.sluice.hubspot.delivery.testing;

import dev.sluice.hubspot.http.HubSpotRequest;
import dev.sluice.hubspot.http.HubSpotResponse;
import dev.sluice.hubspot.http.HubSpotTransport;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A minimal {@link HubSpotTransport} over OkHttp for tests: bearer auth on authenticated calls,
 * API and TRACK targets on given roots (usually one MockWebServer), no rate limiting.
 */
public final class TestTransport implements HubSpotTransport {

    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

    private final OkHttpClient client = new OkHttpClient.Builder()
            .callTimeout(Duration.ofSeconds(10)).retryOnConnectionFailure(false).build();
    private final HttpUrl apiRoot;
    private final HttpUrl trackRoot;
    private final String token;
    private final AtomicBoolean closed = new AtomicBoolean();

    public TestTransport(HttpUrl apiRoot, HttpUrl trackRoot, String token) {
        this.apiRoot = apiRoot;
        this.trackRoot = trackRoot;
        this.token = token;
    }

    public TestTransport(HttpUrl root, String token) {
        this(root, root, token);
    }

    @Override
    public HubSpotResponse send(HubSpotRequest request) throws IOException {
        HttpUrl root = request.target() == HubSpotRequest.Target.API ? apiRoot : trackRoot;
        String base = root.toString().replaceAll("/$", "");
        Request.Builder builder = new Request.Builder().url(base + request.pathAndQuery())
                .header("User-Agent", "sluice-test");
        if (request.authenticated()) {
            builder.header("Authorization", "Bearer " + token);
        }
        builder.method(request.method(), request.jsonBody().map(b -> RequestBody.create(b, JSON)).orElse(null));
        try (Response response = client.newCall(builder.build()).execute()) {
            Map<String, List<String>> headers = new HashMap<>();
            for (String name : response.headers().names()) {
                headers.put(name.toLowerCase(Locale.ROOT), response.headers(name));
            }
            return new HubSpotResponse(response.code(), headers, response.body().string());
        }
    }

    public boolean closed() {
        return closed.get();
    }

    @Override
    public void close() {
        closed.set(true);
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }
}
