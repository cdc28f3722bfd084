package dev.sluice.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.api.Destination;
import dev.sluice.api.DestinationContext;
import dev.sluice.api.DestinationMetrics;
import dev.sluice.api.Event;
import dev.sluice.api.Outcome;
import dev.sluice.api.config.Secret;
import okhttp3.Headers;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One configured webhook: sends events as JSON to {@link WebhookConfig#url()}.
 *
 * <p>With {@code batch_size} 1 each event is one request whose body is the event's JSON object;
 * with more, each request's body is a JSON array of up to {@code batch_size} events. Each request
 * settles all of its events the same way ({@link AnswerClassifier}). Requests of one
 * {@link #deliver} call go one after another; after an answer that says "later" (408, 429, 5xx,
 * a network failure) the rest of the batch is not sent and gets the same retry, while after a
 * rejection the next request goes out.
 *
 * <p>{@link #start()} does nothing: a webhook has no schema to read and is not probed. Header
 * values, the bearer token, the signing secret and the URL's query never appear in reasons,
 * exceptions or {@link #toString()}.
 */
public final class WebhookDestination implements Destination {

    /** {@code sluice-webhook/<plugin version>}. */
    public static final String USER_AGENT = "sluice-webhook/" + pluginVersion();

    /** How much of an answer body is read for a reason. */
    static final long MAX_ANSWER_BYTES = 4096;

    private static final MediaType JSON = MediaType.get("application/json");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Turns one event into its JSON bytes. */
    @FunctionalInterface
    interface EventWriter {
        byte[] write(Event event) throws Exception;
    }

    private final String destinationId;
    private final WebhookConfig config;
    private final Clock clock;
    private final DestinationMetrics metrics;
    private final OkHttpClient client;
    private final Headers fixedHeaders;
    private final Optional<RequestSigner> signer;
    private final AnswerClassifier classifier;
    private final EventWriter writer;
    private final AtomicBoolean closed = new AtomicBoolean();

    WebhookDestination(WebhookConfig config, DestinationContext context) {
        this(config, context, event -> MAPPER.writeValueAsBytes(event.fields()));
    }

    WebhookDestination(WebhookConfig config, DestinationContext context, EventWriter writer) {
        this.config = Objects.requireNonNull(config, "config");
        this.destinationId = context.destinationId();
        this.clock = context.clock();
        this.metrics = context.metrics();
        this.writer = Objects.requireNonNull(writer, "writer");
        this.signer = config.signingSecret().map(RequestSigner::new);
        this.classifier = new AnswerClassifier(clock, config.url(), new SecretMask(config.secretForms()));
        this.fixedHeaders = fixedHeaders(config);
        this.client = new OkHttpClient.Builder()
                .followRedirects(false)
                .followSslRedirects(false)
                .connectTimeout(config.connectTimeout())
                .readTimeout(config.readTimeout())
                .writeTimeout(config.readTimeout())
                .build();
    }

    /** User-Agent, then the configured headers, then the bearer token: the same for every request. */
    private static Headers fixedHeaders(WebhookConfig config) {
        Headers.Builder headers = new Headers.Builder().set("User-Agent", USER_AGENT);
        for (Map.Entry<String, String> header : config.headers().entrySet()) {
            // Checked by the factory: OkHttp's own message for a bad value would show the value.
            if (!HeaderRules.isValidName(header.getKey()) || !HeaderRules.isSendableValue(header.getValue())) {
                throw new IllegalArgumentException("header '" + header.getKey() + "' cannot be sent");
            }
            headers.set(header.getKey(), header.getValue());
        }
        config.bearerToken().map(Secret::reveal).ifPresent(token -> {
            if (!HeaderRules.isSendableValue(token)) {
                throw new IllegalArgumentException("bearer_token cannot be sent in a header");
            }
            headers.set("Authorization", "Bearer " + token);
        });
        return headers.build();
    }

    /** The settings this destination sends with. */
    public WebhookConfig config() {
        return config;
    }

    @Override
    public int maxBatchSize() {
        return config.batchSize();
    }

    /** Sends the events, {@code batch_size} per request, and returns one outcome per event, in order. */
    @Override
    public List<Outcome> deliver(List<Event> events) {
        if (closed.get()) {
            throw new IllegalStateException("webhook destination '" + destinationId + "' is closed");
        }
        Outcome[] outcomes = new Outcome[events.size()];
        List<Integer> chunk = new ArrayList<>(config.batchSize());
        List<byte[]> bodies = new ArrayList<>(config.batchSize());
        Outcome.Retry stop = null;
        for (int i = 0; i < events.size(); i++) {
            if (stop != null) {
                outcomes[i] = notSent(stop);
                continue;
            }
            byte[] json = serialize(events.get(i));
            if (json == null) {
                outcomes[i] = Outcome.rejected("event cannot be written as JSON");
                continue;
            }
            chunk.add(i);
            bodies.add(json);
            if (chunk.size() == config.batchSize()) {
                stop = send(chunk, bodies, outcomes);
                chunk.clear();
                bodies.clear();
            }
        }
        if (!chunk.isEmpty()) {
            send(chunk, bodies, outcomes);
        }
        return Arrays.asList(outcomes);
    }

    private byte[] serialize(Event event) {
        try {
            return writer.write(event);
        } catch (Exception | StackOverflowError e) {
            return null;
        }
    }

    /** Sends one request for the events at {@code indexes}; returns its outcome when it says "later". */
    private Outcome.Retry send(List<Integer> indexes, List<byte[]> jsons, Outcome[] outcomes) {
        Outcome outcome = call(body(jsons));
        for (int index : indexes) {
            outcomes[index] = outcome;
        }
        return outcome instanceof Outcome.Retry retry ? retry : null;
    }

    private byte[] body(List<byte[]> jsons) {
        if (config.batchSize() == 1) {
            return jsons.get(0);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write('[');
        for (int i = 0; i < jsons.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.writeBytes(jsons.get(i));
        }
        out.write(']');
        return out.toByteArray();
    }

    private Outcome call(byte[] body) {
        Request.Builder request = new Request.Builder().url(config.url()).headers(fixedHeaders);
        signer.ifPresent(s -> {
            long timestamp = clock.instant().getEpochSecond();
            request.header(HeaderRules.TIMESTAMP_HEADER, Long.toString(timestamp));
            request.header(config.signatureHeader(), s.sign(timestamp, body));
        });
        request.method(config.method(), RequestBody.create(body, JSON));
        try (Response response = client.newCall(request.build()).execute()) {
            metrics.callAnswered(response.code());
            return classifier.classify(new AnswerClassifier.Answer(response.code(),
                    Optional.ofNullable(response.header("Retry-After")),
                    Optional.ofNullable(response.header("Location")),
                    response.isSuccessful() ? "" : answerStart(response)));
        } catch (IOException e) {
            metrics.callFailed();
            return classifier.classify(e);
        }
    }

    private static String answerStart(Response response) {
        try {
            return response.peekBody(MAX_ANSWER_BYTES).string();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static Outcome notSent(Outcome.Retry cause) {
        String reason = "not sent because an earlier request of this batch failed: " + cause.reason();
        return cause.notBefore().map(at -> Outcome.retry(reason, at)).orElseGet(() -> Outcome.retry(reason));
    }

    /** Stops the HTTP client's threads and drops its idle connections. A second call does nothing. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }

    /** True once {@link #close()} was called. */
    boolean isClosed() {
        return closed.get();
    }

    /** The id and the settings without any value that may be secret. */
    @Override
    public String toString() {
        return "WebhookDestination{id=" + destinationId + ", " + config + "}";
    }

    private static String pluginVersion() {
        try (InputStream in = WebhookDestination.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
                String v = p.getProperty("version", "");
                if (!v.isBlank() && !v.startsWith("${")) {
                    return v.trim();
                }
            }
        } catch (IOException e) {
            // fall through to the default below
        }
        return "dev";
    }
}
