package dev.sluice.host.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BrowserScriptHandlerTest {

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Undertow server;
    private String base;

    private void serve(BrowserScriptHandler handler) {
        Map<String, HttpHandler> routes = handler.routes();
        server = Undertow.builder().addHttpListener(0, "127.0.0.1")
                .setHandler(exchange -> {
                    HttpHandler h = routes.get(exchange.getRequestPath());
                    if (h == null) {
                        exchange.setStatusCode(418);
                        exchange.endExchange();
                    } else {
                        h.handleRequest(exchange);
                    }
                }).build();
        server.start();
        base = "http://127.0.0.1:" + ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private HttpResponse<byte[]> send(String method, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String classPathScript() throws IOException {
        try (InputStream in = BrowserScriptHandler.class.getClassLoader().getResourceAsStream(BrowserScriptHandler.RESOURCE)) {
            assertThat(in).as("the browser-client JAR on the test class path").isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void servesTheBundledJitsuClientAtBothClassicPathsWithScriptHeaders() throws Exception {
        BrowserScriptHandler handler = BrowserScriptHandler.fromClassPath();
        serve(handler);
        assertThat(handler.version()).contains("3.1.5");
        String expected = classPathScript();
        for (String path : new String[] {"/s/lib.js", "/t/lib.js"}) {
            HttpResponse<byte[]> answer = send("GET", path, "Origin", "https://shop.example.com");
            assertThat(answer.statusCode()).as(path).isEqualTo(200);
            assertThat(new String(answer.body(), StandardCharsets.UTF_8)).as(path).isEqualTo(expected);
            assertThat(answer.headers().firstValue("Content-Type")).contains("application/javascript; charset=utf-8");
            assertThat(answer.headers().firstValue("Cache-Control")).contains("public, max-age=3600");
            assertThat(answer.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
            assertThat(answer.headers().firstValue("ETag")).hasValueSatisfying(e -> assertThat(e).matches("\"[0-9a-f]{32}\""));
            assertThat(answer.headers().firstValue("Content-Encoding")).isEmpty();
        }
    }

    @Test
    void headAnswersTheHeadersWithoutTheBody() throws Exception {
        serve(new BrowserScriptHandler(Optional.of("var a=1;".getBytes(StandardCharsets.UTF_8)), Optional.of("9.9.9")));
        HttpResponse<byte[]> answer = send("HEAD", "/s/lib.js");
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEmpty();
        assertThat(answer.headers().firstValue("Content-Length")).contains("8");
        assertThat(answer.headers().firstValue("Content-Type")).contains("application/javascript; charset=utf-8");
    }

    @Test
    void aMatchingIfNoneMatchIs304AndADifferentOneGetsTheScript() throws Exception {
        serve(new BrowserScriptHandler(Optional.of("var a=1;".getBytes(StandardCharsets.UTF_8)), Optional.empty()));
        String etag = send("GET", "/s/lib.js").headers().firstValue("ETag").orElseThrow();
        HttpResponse<byte[]> same = send("GET", "/s/lib.js", "If-None-Match", etag);
        assertThat(same.statusCode()).isEqualTo(304);
        assertThat(same.body()).isEmpty();
        assertThat(send("GET", "/s/lib.js", "If-None-Match", "\"other\"").statusCode()).isEqualTo(200);
    }

    @Test
    void gzipWhenAcceptedAndNotWhenRefused() throws Exception {
        byte[] script = "function f(){return 1}\n".repeat(200).getBytes(StandardCharsets.UTF_8);
        serve(new BrowserScriptHandler(Optional.of(script), Optional.empty()));
        HttpResponse<byte[]> gz = send("GET", "/s/lib.js", "Accept-Encoding", "br, gzip;q=0.8");
        assertThat(gz.headers().firstValue("Content-Encoding")).contains("gzip");
        assertThat(gz.headers().firstValue("Vary")).contains("Accept-Encoding");
        assertThat(gz.body().length).isLessThan(script.length);
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz.body()))) {
            assertThat(in.readAllBytes()).isEqualTo(script);
        }
        HttpResponse<byte[]> refused = send("GET", "/s/lib.js", "Accept-Encoding", "gzip;q=0, identity");
        assertThat(refused.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(refused.body()).isEqualTo(script);
    }

    @Test
    void onlyReadingMethodsAreAllowed() throws Exception {
        serve(new BrowserScriptHandler(Optional.of("x".getBytes(StandardCharsets.UTF_8)), Optional.empty()));
        HttpResponse<byte[]> post = send("POST", "/s/lib.js");
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).contains("GET, HEAD, OPTIONS");
        assertThat(new String(post.body(), StandardCharsets.UTF_8)).contains("Method POST is not allowed on /s/lib.js");
        HttpResponse<byte[]> options = send("OPTIONS", "/s/lib.js", "Origin", "https://a.test");
        assertThat(options.statusCode()).isEqualTo(204);
        assertThat(options.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
    }

    @Test
    void withoutTheScriptOnTheClassPathThePathsSayWhy() throws Exception {
        serve(new BrowserScriptHandler(Optional.empty(), Optional.empty()));
        HttpResponse<byte[]> answer = send("GET", "/s/lib.js");
        assertThat(answer.statusCode()).isEqualTo(404);
        assertThat(new String(answer.body(), StandardCharsets.UTF_8)).contains("browser-client JAR");
    }

    @Test
    void acceptEncodingParsing() {
        assertThat(BrowserScriptHandler.acceptsGzip("gzip, deflate, br")).isTrue();
        assertThat(BrowserScriptHandler.acceptsGzip("GZIP;q=0.5")).isTrue();
        assertThat(BrowserScriptHandler.acceptsGzip("gzip;q=0.0")).isFalse();
        assertThat(BrowserScriptHandler.acceptsGzip("deflate")).isFalse();
        assertThat(BrowserScriptHandler.acceptsGzip(null)).isFalse();
    }
}
