package dev.sluice.host.web;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the Jitsu browser client the way Jitsu Classic did: {@code GET /s/lib.js} (and
 * {@code /t/lib.js}, Jitsu's second prefix for the same files) answer the {@code @jitsu/sdk-js}
 * browser build that the {@code browser-client} module put on the class path at build time. The
 * bytes are read once and served from memory: no file system or network access per request.
 *
 * <p>Headers: {@code Content-Type: application/javascript}, {@code Cache-Control} (one hour, as a
 * host upgrade may change the script), a strong {@code ETag} (304 on {@code If-None-Match}),
 * {@code Access-Control-Allow-Origin: *} (any page may load it; what it sends is judged by the
 * Events API's {@code origins}), gzip when the client accepts it. When the script is not on the
 * class path (a build without the browser-client JAR) the paths answer 404 saying so.
 */
public final class BrowserScriptHandler implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(BrowserScriptHandler.class);

    /** Where the browser-client JAR keeps the script and the package's package.json. */
    static final String RESOURCE = "dev/sluice/browser/lib.js";
    static final String PACKAGE_JSON = "dev/sluice/browser/package.json";

    public static final String LIB_JS = "/s/lib.js";
    /** Jitsu Classic served its static files under {@code /s/} and {@code /t/} alike. */
    public static final String LIB_JS_T = "/t/lib.js";

    static final String CONTENT_TYPE = "application/javascript; charset=utf-8";
    static final String CACHE_CONTROL = "public, max-age=3600";
    static final String ALLOW = "GET, HEAD, OPTIONS";

    private static final HttpString ACAO = new HttpString("Access-Control-Allow-Origin");
    private static final Pattern VERSION = Pattern.compile("\"version\"\\s*:\\s*\"([^\"]+)\"");

    private final Optional<Script> script;

    private record Script(byte[] plain, byte[] gzipped, String etag, String version) {
    }

    BrowserScriptHandler(Optional<byte[]> script, Optional<String> version) {
        this.script = script.map(bytes -> new Script(bytes.clone(), gzip(bytes), etag(bytes), version.orElse("unknown")));
    }

    /** The handler for the script on this class loader's class path (the browser-client JAR). */
    public static BrowserScriptHandler fromClassPath() {
        ClassLoader loader = BrowserScriptHandler.class.getClassLoader();
        Optional<byte[]> bytes = read(loader, RESOURCE);
        Optional<String> version = read(loader, PACKAGE_JSON)
                .map(json -> VERSION.matcher(new String(json, StandardCharsets.UTF_8)))
                .filter(Matcher::find).map(m -> m.group(1));
        if (bytes.isEmpty()) {
            LOG.warn("The Jitsu browser client ({}) is not on the class path: {} and {} answer 404."
                    + " It comes from the browser-client JAR, which the distribution ships in lib/", RESOURCE, LIB_JS,
                    LIB_JS_T);
        }
        return new BrowserScriptHandler(bytes, version);
    }

    /** Exact request paths to this handler, for the Events API server's other routes. */
    public Map<String, HttpHandler> routes() {
        Map<String, HttpHandler> routes = new LinkedHashMap<>();
        routes.put(LIB_JS, this);
        routes.put(LIB_JS_T, this);
        return routes;
    }

    /** The served package version ({@code @jitsu/sdk-js}), when the script is there. */
    public Optional<String> version() {
        return script.map(Script::version);
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        var headers = exchange.getResponseHeaders();
        headers.put(ACAO, "*");
        HttpString method = exchange.getRequestMethod();
        if (method.equals(Methods.OPTIONS)) {
            headers.put(Headers.ALLOW, ALLOW);
            headers.put(new HttpString("Access-Control-Allow-Methods"), ALLOW);
            exchange.setStatusCode(204);
            exchange.endExchange();
            return;
        }
        if (!method.equals(Methods.GET) && !method.equals(Methods.HEAD)) {
            headers.put(Headers.ALLOW, ALLOW);
            text(exchange, 405, "Method " + method + " is not allowed on " + exchange.getRequestPath()
                    + ": use GET");
            return;
        }
        if (script.isEmpty()) {
            text(exchange, 404, "The Jitsu browser client is not in this build of Sluice (the browser-client JAR"
                    + " is missing from the class path)");
            return;
        }
        Script s = script.get();
        headers.put(Headers.CACHE_CONTROL, CACHE_CONTROL);
        headers.put(Headers.ETAG, s.etag());
        headers.put(Headers.VARY, "Accept-Encoding");
        headers.put(new HttpString("X-Content-Type-Options"), "nosniff");
        String ifNoneMatch = exchange.getRequestHeaders().getFirst(Headers.IF_NONE_MATCH);
        if (ifNoneMatch != null && matches(ifNoneMatch, s.etag())) {
            exchange.setStatusCode(304);
            exchange.endExchange();
            return;
        }
        boolean gzip = acceptsGzip(exchange.getRequestHeaders().getFirst(Headers.ACCEPT_ENCODING));
        byte[] body = gzip ? s.gzipped() : s.plain();
        exchange.setStatusCode(200);
        headers.put(Headers.CONTENT_TYPE, CONTENT_TYPE);
        if (gzip) {
            headers.put(Headers.CONTENT_ENCODING, "gzip");
        }
        headers.put(Headers.CONTENT_LENGTH, body.length);
        if (method.equals(Methods.HEAD)) {
            exchange.endExchange();
        } else {
            exchange.getResponseSender().send(ByteBuffer.wrap(body));
        }
    }

    private static boolean matches(String ifNoneMatch, String etag) {
        for (String candidate : ifNoneMatch.split(",")) {
            String c = candidate.trim();
            if (c.equals("*") || c.equals(etag) || c.equals("W/" + etag)) {
                return true;
            }
        }
        return false;
    }

    /** {@code gzip} listed without {@code q=0}. */
    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        for (String part : acceptEncoding.split(",")) {
            String[] pieces = part.trim().split(";");
            if (pieces[0].trim().equalsIgnoreCase("gzip")) {
                for (int i = 1; i < pieces.length; i++) {
                    String p = pieces[i].replace(" ", "");
                    if (p.matches("q=0(\\.0*)?")) {
                        return false;
                    }
                }
                return true;
            }
        }
        return false;
    }

    private static void text(HttpServerExchange exchange, int status, String message) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
        exchange.getResponseSender().send(message + "\n", StandardCharsets.UTF_8);
    }

    private static Optional<byte[]> read(ClassLoader loader, String resource) {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + resource + " from the class path", e);
        }
    }

    private static String etag(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 2);
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
