package dev.sluice.host.ingest;

import dev.sluice.host.config.ApiKey;
import dev.sluice.host.pipeline.AsyncEventSink;
import dev.sluice.host.pipeline.QueueFullException;
import dev.sluice.host.pipeline.RoutedEvent;
import dev.sluice.host.pipeline.SinkUnavailableException;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import io.undertow.util.SameThreadExecutor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Events API over HTTP: matches the route, checks the method, the token and (client route)
 * the origin on the IO thread and receives the body without blocking. Then, with an
 * {@link AsyncEventSink}, it prepares small bodies on the IO thread and answers when the sink's
 * commit completes; otherwise it runs the ingest flow on a worker thread, which blocks until the
 * commit.
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

    /** Bodies up to this size are prepared on the IO thread when the sink does not block. */
    static final int MAX_IO_THREAD_BODY = 64 * 1024;

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
        receiveBody(exchange, length, body -> {
            Optional<AsyncEventSink> async = ingestor.asyncSink();
            if (async.isPresent() && body.length <= MAX_IO_THREAD_BODY) {
                Optional<ScriptLane> scripts = ingestor.scriptLane();
                if (scripts.isPresent()) {
                    ScriptLane lane = scripts.get();
                    if (!lane.tryReserve()) {
                        reject(exchange, new IngestRejection(503, "Too many requests are waiting for "
                                + "data_layout.transform or a JavaScript table_name_template; try again later"));
                        return;
                    }
                    exchange.dispatch(lane.executor(), () -> {
                        try {
                            ingestAsync(exchange, body, facts, apiKey, async.get());
                        } finally {
                            lane.release();
                        }
                    });
                } else {
                    ingestAsync(exchange, body, facts, apiKey, async.get());
                }
            } else {
                exchange.dispatch(() -> ingest(exchange, body, facts, apiKey));
            }
        });
    }

    /**
     * With a sink that does not block: prepares the events here on the IO thread (a few
     * microseconds for a small body) and answers from the IO thread once the sink committed, so no
     * worker thread is parked per request. Bigger bodies go to a worker thread.
     */
    private void ingestAsync(HttpServerExchange exchange, byte[] body, RequestFacts facts, ApiKey key,
            AsyncEventSink sink) {
        List<RoutedEvent> routed;
        try {
            routed = ingestor.prepare(body, facts, key);
        } catch (IngestRejection rejection) {
            reject(exchange, explainForm(exchange, rejection));
            return;
        } catch (RuntimeException e) {
            internalError(exchange, key, e);
            return;
        }
        if (routed.isEmpty()) {
            Answers.ok(exchange);
            return;
        }
        // Keep the exchange open after this handler returns; the answer comes from the IO thread.
        exchange.dispatch(SameThreadExecutor.INSTANCE, () -> { });
        CompletionStage<Void> stored;
        try {
            stored = sink.enqueueAsync(routed);
        } catch (RuntimeException e) {
            stored = CompletableFuture.failedFuture(e);
        }
        stored.whenComplete((ok, failure) -> exchange.getIoThread().execute(() -> {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (cause == null) {
                ingestor.stored(routed);
                Answers.ok(exchange);
            } else if (cause instanceof QueueFullException || cause instanceof SinkUnavailableException) {
                reject(exchange, EventIngestor.rejection((Exception) cause));
            } else {
                internalError(exchange, key, cause);
            }
        }));
    }

    /**
     * Collects the body without blocking (a chunked body has no length to check up front). Once
     * it is known to be or grows past the limit, the rest is read and dropped before the 413, so
     * the client (still sending) gets the answer rather than a connection reset; past twice the
     * limit it is refused at once.
     */
    private void receiveBody(HttpServerExchange exchange, long length, Consumer<byte[]> then) {
        ByteArrayOutputStream collected = new ByteArrayOutputStream(
                length > 0 ? (int) Math.min(length, maxBodySize) : 1024);
        long[] dropped = {-1};
        exchange.getRequestReceiver().receivePartialBytes((ex, chunk, last) -> {
            if (ex.isResponseStarted()) {
                return;
            }
            if (dropped[0] >= 0 || collected.size() + (long) chunk.length > maxBodySize) {
                if (dropped[0] < 0) {
                    dropped[0] = collected.size();
                    collected.reset();
                }
                dropped[0] += chunk.length;
                if (last || dropped[0] - maxBodySize > maxBodySize) {
                    ex.getRequestReceiver().pause();
                    reject(ex, bodyTooLarge(length));
                }
                return;
            }
            collected.write(chunk, 0, chunk.length);
            if (last) {
                then.accept(collected.toByteArray());
            }
        }, this::readFailed);
    }

    private void ingest(HttpServerExchange exchange, byte[] body, RequestFacts facts, ApiKey key) {
        try {
            ingestor.ingest(body, facts, key);
            Answers.ok(exchange);
        } catch (IngestRejection rejection) {
            reject(exchange, explainForm(exchange, rejection));
        } catch (RuntimeException | Error e) {
            internalError(exchange, key, e);
        }
    }

    private static void internalError(HttpServerExchange exchange, ApiKey key, Throwable e) {
        LOG.error("Internal error while accepting events on {} for api key {} (events not stored)",
                exchange.getRequestPath(), key.storedId(), e);
        Answers.error(exchange, 500, "Internal error while accepting the events; they were not stored: "
                + e.getClass().getSimpleName());
    }

    private void readFailed(HttpServerExchange exchange, IOException error) {
        if (error instanceof RequestTooBigException) {
            reject(exchange, bodyTooLarge(-1));
        } else if (!exchange.isResponseStarted()) {
            LOG.debug("Could not read a request body on {}: {}", exchange.getRequestPath(), error.toString());
            reject(exchange, new IngestRejection(400, "Could not read the request body: " + error.getMessage()));
        }
    }

    /**
     * A form or multipart body that is not an events body hears that the body must be JSON, naming
     * what it was sent as, rather than a JSON parser's message about the first character. (Not
     * refused up front: {@code curl -d '{...}'} sends JSON as a form, and that works.)
     */
    static IngestRejection explainForm(HttpServerExchange exchange, IngestRejection rejection) {
        String contentType = exchange.getRequestHeaders().getFirst(Headers.CONTENT_TYPE);
        if (rejection.status() != 400 || contentType == null) {
            return rejection;
        }
        String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
        if (!mediaType.equals("application/x-www-form-urlencoded") && !mediaType.startsWith("multipart/")) {
            return rejection;
        }
        return new IngestRejection(400, "Error parsing events body: the body must be JSON (a JSON object, an array"
                + " of JSON objects or {\"template\":{...},\"events\":[...]}), sent as Content-Type: application/json;"
                + " this request was sent as " + mediaType);
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

    private static void allowOrigin(HeaderMap headers, String origin) {
        headers.put(ACAO, origin);
        headers.put(ACAC, "true");
        headers.add(Headers.VARY, "Origin");
    }

    private static void reject(HttpServerExchange exchange, IngestRejection rejection) {
        if (rejection.status() == 400) {
            // A parser message may quote a piece of the body: keep it out of the logs.
            LOG.debug("Refused a request on {} with 400 (malformed body)", exchange.getRequestPath());
        } else {
            LOG.debug("Refused a request on {} with {}: {}", exchange.getRequestPath(), rejection.status(),
                    rejection.getMessage());
        }
        if (rejection.status() == 413) {
            // The rest of the body stays unread: do not keep the connection for another request.
            exchange.setPersistent(false);
        }
        Answers.error(exchange, rejection.status(), rejection.getMessage());
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
