package dev.sluice.host.ingest;

import dev.sluice.host.config.ApiKey;
import io.undertow.io.Receiver;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Events API's HTTP gate: matches the route, checks the method, the token and (client route)
 * the origin on the IO thread and receives the body without blocking, then hands the body to the
 * {@link EventIngestor}, which prepares, stores and answers it.
 */
final class IngestHttpHandler implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(IngestHttpHandler.class);

    static final String ALLOW_METHODS = "POST, OPTIONS";
    static final String ALLOW_HEADERS = "Content-Type, X-Auth-Token, api_key, Authorization";
    static final String MAX_AGE = "86400";

    private static final HttpString ACAO = new HttpString("Access-Control-Allow-Origin");
    private static final HttpString ACAC = new HttpString("Access-Control-Allow-Credentials");
    private static final HttpString ACAM = new HttpString("Access-Control-Allow-Methods");
    private static final HttpString ACAH = new HttpString("Access-Control-Allow-Headers");
    private static final HttpString ACMA = new HttpString("Access-Control-Max-Age");

    private final ApiKeyTokens tokens;
    private final EventIngestor ingestor;
    private final long maxBodySize;

    IngestHttpHandler(ApiKeyTokens tokens, EventIngestor ingestor, long maxBodySize) {
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.ingestor = Objects.requireNonNull(ingestor, "ingestor");
        this.maxBodySize = maxBodySize;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        IngestRoute route = IngestRoute.of(exchange.getRequestPath());
        if (route == null) {
            reject(exchange, new IngestRejection(404, "Not found: " + exchange.getRequestPath()
                    + ". The Events API is POST /api/v1/event (client secret) and POST /api/v1/s2s/event (server secret)"));
            return;
        }
        Optional<String> token = TokenExtractor.extract(exchange);
        Optional<ApiKeyTokens.Match> key = token.flatMap(t -> tokens.find(route, t));
        String origin = exchange.getRequestHeaders().getFirst(Headers.ORIGIN);
        boolean preflight = route == IngestRoute.CLIENT && exchange.getRequestMethod().equals(Methods.OPTIONS);
        if (route == IngestRoute.CLIENT && origin != null) {
            if (!tokens.allowsOrigin(key, origin)) {
                reject(exchange, new IngestRejection(403, "Origin " + origin
                        + " is not allowed for this token (api_keys[].origins)"));
                return;
            }
            allowOrigin(exchange.getResponseHeaders(), origin);
        }
        if (preflight) {
            answerPreflight(exchange, origin);
            return;
        }
        if (!exchange.getRequestMethod().equals(Methods.POST)) {
            exchange.getResponseHeaders().put(Headers.ALLOW, route == IngestRoute.CLIENT ? ALLOW_METHODS : "POST");
            reject(exchange, new IngestRejection(405, "Method " + exchange.getRequestMethod()
                    + " is not allowed on " + exchange.getRequestPath() + ": use POST"));
            return;
        }
        if (key.isEmpty()) {
            reject(exchange, tokenRejection(route, token));
            return;
        }
        long length = exchange.getRequestContentLength();
        if (length - maxBodySize > maxBodySize) {
            // far too large to read and drop (see receiveBody): refuse at once
            reject(exchange, bodyTooLarge(length));
            return;
        }
        ApiKey apiKey = key.get().key();
        RequestFacts facts = new RequestFacts(route, apiKey.storedId(), clientIp(exchange),
                Optional.ofNullable(exchange.getRequestHeaders().getFirst(Headers.USER_AGENT)));
        receiveBody(exchange, length, body -> ingestor.accept(exchange, body, facts, apiKey));
    }

    private void receiveBody(HttpServerExchange exchange, long length, Consumer<byte[]> then) {
        exchange.getRequestReceiver().receivePartialBytes(new BodyCollector(length, then), this::readFailed);
    }

    /**
     * Collects the body without blocking (a chunked body has no length to check up front). Once
     * it is known to be or grows past the limit, the rest is read and dropped before the 413, so
     * the client (still sending) gets the answer rather than a connection reset; past twice the
     * limit it is refused at once. The receiver gives each chunk an array of its own and ends with
     * an empty last one: a body that came in one chunk is that chunk; only a second one starts a copy.
     */
    private final class BodyCollector implements Receiver.PartialBytesCallback {
        private final long length;
        private final Consumer<byte[]> then;
        /** The first data chunk, as the receiver gave it. */
        private byte[] first;
        /** The body so far, once a second data chunk came. */
        private ByteArrayOutputStream collected;
        /** Bytes read and dropped once the body is known to be too large; -1 before. */
        private long dropped = -1;

        BodyCollector(long length, Consumer<byte[]> then) {
            this.length = length;
            this.then = then;
        }

        @Override
        public void handle(HttpServerExchange exchange, byte[] chunk, boolean last) {
            if (exchange.isResponseStarted()) {
                return;
            }
            if (dropped >= 0 || size() + chunk.length > maxBodySize) {
                if (dropped < 0) {
                    dropped = size();
                    first = null;
                    collected = null;
                }
                dropped += chunk.length;
                if (last || dropped - maxBodySize > maxBodySize) {
                    exchange.getRequestReceiver().pause();
                    reject(exchange, bodyTooLarge(length));
                }
                return;
            }
            if (chunk.length > 0) {
                add(chunk);
            }
            if (last) {
                then.accept(collected != null ? collected.toByteArray() : first != null ? first : chunk);
            }
        }

        private long size() {
            return collected != null ? collected.size() : first != null ? first.length : 0;
        }

        private void add(byte[] chunk) {
            if (first == null && collected == null) {
                first = chunk;
                return;
            }
            if (collected == null) {
                collected = new ByteArrayOutputStream(length > 0 ? (int) Math.min(length, maxBodySize)
                        : Math.max(1024, 2 * (first.length + chunk.length)));
                collected.write(first, 0, first.length);
                first = null;
            }
            collected.write(chunk, 0, chunk.length);
        }
    }

    private void readFailed(HttpServerExchange exchange, IOException error) {
        if (error instanceof RequestTooBigException) {
            reject(exchange, bodyTooLarge(-1));
        } else if (!exchange.isResponseStarted()) {
            LOG.debug("Could not read a request body on {}: {}", exchange.getRequestPath(), error.toString());
            reject(exchange, new IngestRejection(400, "Could not read the request body: " + error.getMessage()));
        }
    }

    private IngestRejection bodyTooLarge(long length) {
        return new IngestRejection(413, "Request body is too large"
                + (length >= 0 ? ": " + length + " bytes" : "")
                + ", the limit (server.max_body_size) is " + maxBodySize + " bytes");
    }

    private IngestRejection tokenRejection(IngestRoute route, Optional<String> token) {
        String expected = route == IngestRoute.CLIENT
                ? "POST /api/v1/event takes a client secret (api_keys[].client_secret)"
                : "POST /api/v1/s2s/event takes a server secret (api_keys[].server_secret)";
        if (token.isEmpty()) {
            return new IngestRejection(401, "The token is not found: the request has no token. " + expected
                    + " in the 'token' query parameter, the X-Auth-Token or api_key header, a p_* query parameter "
                    + "or as the basic-auth user name");
        }
        if (tokens.isOtherKind(route, token.get())) {
            return new IngestRejection(401, route == IngestRoute.S2S
                    ? "The token isn't a server secret token. Please use an s2s integration token"
                    : "The token isn't a client secret token. Please use a client (browser) token, "
                            + "or send server secrets to /api/v1/s2s/event");
        }
        return new IngestRejection(401, "The token is not found. " + expected);
    }

    private static void answerPreflight(HttpServerExchange exchange, String origin) {
        HeaderMap headers = exchange.getResponseHeaders();
        headers.put(Headers.ALLOW, ALLOW_METHODS);
        if (origin != null) {
            headers.put(ACAM, ALLOW_METHODS);
            headers.put(ACAH, ALLOW_HEADERS);
            headers.put(ACMA, MAX_AGE);
        }
        exchange.setStatusCode(204);
        exchange.endExchange();
    }

    private static void reject(HttpServerExchange exchange, IngestRejection rejection) {
        Answers.reject(exchange, rejection);
    }

    private static void allowOrigin(HeaderMap headers, String origin) {
        headers.put(ACAO, origin);
        headers.put(ACAC, "true");
        headers.add(Headers.VARY, "Origin");
    }

    static String clientIp(HttpServerExchange exchange) {
        String forwarded = exchange.getRequestHeaders().getFirst(Headers.X_FORWARDED_FOR);
        if (forwarded != null) {
            int comma = forwarded.indexOf(',');
            String first = (comma < 0 ? forwarded : forwarded.substring(0, comma)).trim();
            if (!first.isEmpty()) {
                return first;
            }
        }
        var peer = exchange.getSourceAddress();
        if (peer == null) {
            return "";
        }
        return peer.getAddress() != null ? peer.getAddress().getHostAddress() : peer.getHostString();
    }
}
