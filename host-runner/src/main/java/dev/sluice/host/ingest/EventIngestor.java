package dev.sluice.host.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.host.config.ApiKey;
import dev.sluice.host.pipeline.AsyncEventSink;
import dev.sluice.host.pipeline.EventSink;
import dev.sluice.host.pipeline.QueueFullException;
import dev.sluice.host.pipeline.RoutedEvent;
import dev.sluice.host.pipeline.SinkUnavailableException;
import dev.sluice.host.routing.Router;
import dev.sluice.host.routing.Routing;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.SameThreadExecutor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The ingest flow of one request, from its received body to its answer: parse the body, enrich
 * each event, route it, serialize it once, hand every routed copy of every event to the sink in
 * one call, and answer once they are durable. With an {@link AsyncEventSink} a small body is
 * prepared on the IO thread (or a script thread when routing runs JavaScript) and answered from
 * the IO thread when the commit completes, so no thread waits; otherwise the flow runs on a
 * worker thread that blocks until the commit. Thread-safe.
 */
final class EventIngestor {

    private static final Logger LOG = LoggerFactory.getLogger(EventIngestor.class);

    /** Bodies up to this size are prepared on the IO thread when the sink does not block. */
    static final int MAX_IO_THREAD_BODY = 64 * 1024;

    private final EventsBodyParser parser;
    private final EventJsonWriter writer;
    private final long maxEventSize;
    private final EventEnricher enricher;
    private final Router router;
    private final EventSink sink;
    private final ScriptLane scriptLane;
    /** Per IO thread: the requests it prepared and has not handed to the sink yet. */
    private final ThreadLocal<IoBatch> batches = ThreadLocal.withInitial(IoBatch::new);

    public EventIngestor(long maxEventSize, EventEnricher enricher, Router router, EventSink sink) {
        ObjectMapper mapper = new ObjectMapper();
        this.parser = new EventsBodyParser(mapper, maxEventSize);
        this.writer = new EventJsonWriter(mapper);
        this.maxEventSize = maxEventSize;
        this.enricher = Objects.requireNonNull(enricher, "enricher");
        this.router = Objects.requireNonNull(router, "router");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.scriptLane = router.runsScriptsAtIngest() ? ScriptLane.perCore() : null;
    }

    /**
     * Prepares, stores and answers one request whose body was received (on its IO thread).
     */
    void accept(HttpServerExchange exchange, byte[] body, RequestFacts facts, ApiKey key) {
        if (!(sink instanceof AsyncEventSink async) || body.length > MAX_IO_THREAD_BODY) {
            exchange.dispatch(() -> ingestBlocking(exchange, body, facts, key));
            return;
        }
        if (scriptLane == null) {
            ingestAsync(exchange, body, facts, key, async);
            return;
        }
        if (!scriptLane.tryReserve()) {
            Answers.reject(exchange, new IngestRejection(503, "Too many requests are waiting for "
                    + "data_layout.transform or a JavaScript table_name_template; try again later"));
            return;
        }
        exchange.dispatch(scriptLane.executor(), () -> {
            try {
                ingestAsync(exchange, body, facts, key, async);
            } finally {
                scriptLane.release();
            }
        });
    }

    /**
     * With a sink that does not block: prepares the events on this thread (a few microseconds for
     * a small body) and answers from the IO thread once the sink committed, so no worker thread is
     * parked per request. On an IO thread the sink gets the requests the thread prepared in one
     * round of reading its connections together ({@link IoBatch}).
     */
    private void ingestAsync(HttpServerExchange exchange, byte[] body, RequestFacts facts, ApiKey key,
                             AsyncEventSink async) {
        List<RoutedEvent> routed;
        try {
            routed = prepare(body, facts, key);
        } catch (IngestRejection rejection) {
            Answers.reject(exchange, explainForm(exchange, rejection));
            return;
        } catch (RuntimeException e) {
            internalError(exchange, key, e);
            return;
        }
        if (routed.isEmpty()) {
            Answers.ok(exchange);
            return;
        }
        // Keep the exchange open after this handler returns (on a script thread: before anything
        // can answer it on the IO thread).
        exchange.dispatch(SameThreadExecutor.INSTANCE, () -> { });
        if (exchange.isInIoThread()) {
            // Stored with the other requests this IO thread reads before it next waits for input
            // (one write for all of them), then answered.
            batches.get().add(new Prepared(exchange, key, routed));
            return;
        }
        CompletableFuture<Void> stored;
        try {
            stored = async.enqueueAsync(routed).toCompletableFuture();
        } catch (RuntimeException e) {
            stored = CompletableFuture.failedFuture(e);
        }
        answerWhenStored(new Prepared(exchange, key, routed), stored);
    }

    /** A request prepared for the sink, waiting for its answer. */
    private record Prepared(HttpServerExchange exchange, ApiKey key, List<RoutedEvent> routed) {
    }

    /** Answers once {@code stored} completes: at once when it has, else as a task of the exchange's IO thread. */
    private void answerWhenStored(Prepared p, CompletableFuture<Void> stored) {
        if (stored.isDone() && p.exchange().isInIoThread()) {
            answer(p.exchange(), p.key(), p.routed(), stored);
            return;
        }
        stored.whenComplete((ok, failure) -> p.exchange().getIoThread().execute(
                () -> answer(p.exchange(), p.key(), p.routed(), stored)));
    }

    /**
     * The requests one IO thread prepared since it last stored: handed to the sink together by a
     * task that runs once the thread has read what its connections sent (XNIO runs a thread's own
     * tasks before it next waits for input), so a thread serving several senders writes once for
     * all of them.
     */
    private final class IoBatch {
        private final List<Prepared> prepared = new ArrayList<>();

        void add(Prepared p) {
            prepared.add(p);
            if (prepared.size() == 1) {
                try {
                    p.exchange().getIoThread().execute(this::store);
                } catch (RuntimeException shuttingDown) {
                    store(); // the thread takes no more tasks (the server is stopping): store now
                }
            }
        }

        private void store() {
            List<Prepared> taken = List.copyOf(prepared);
            prepared.clear();
            List<List<RoutedEvent>> requests = new ArrayList<>(taken.size());
            for (Prepared p : taken) {
                requests.add(p.routed());
            }
            List<CompletionStage<Void>> stages;
            try {
                stages = ((AsyncEventSink) sink).enqueueAllAsync(requests);
            } catch (RuntimeException | Error e) {
                for (Prepared p : taken) {
                    answerEach(p, CompletableFuture.failedFuture(e));
                }
                return;
            }
            for (int i = 0; i < taken.size(); i++) {
                answerEach(taken.get(i), stages.get(i).toCompletableFuture());
            }
        }

        /** Answers one request of the round; a failure to answer it is its own, not the round's. */
        private void answerEach(Prepared p, CompletableFuture<Void> stored) {
            try {
                answerWhenStored(p, stored);
            } catch (RuntimeException e) {
                LOG.warn("Could not answer a request on {}", p.exchange().getRequestPath(), e);
                p.exchange().endExchange();
            }
        }
    }

    /** Answers a request whose enqueue completed: 200, 503 for a full or unavailable store, else 500. */
    private void answer(HttpServerExchange exchange, ApiKey key, List<RoutedEvent> routed, CompletableFuture<Void> stored) {
        Throwable failure = null;
        try {
            stored.join();
        } catch (CompletionException | CancellationException e) {
            failure = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        }
        if (failure == null) {
            stored(routed);
            Answers.ok(exchange);
        } else if (failure instanceof QueueFullException || failure instanceof SinkUnavailableException) {
            Answers.reject(exchange, rejection((Exception) failure));
        } else {
            internalError(exchange, key, failure);
        }
    }

    /** On a worker thread: the whole flow, blocking until the commit. */
    private void ingestBlocking(HttpServerExchange exchange, byte[] body, RequestFacts facts, ApiKey key) {
        try {
            ingest(body, facts, key);
            Answers.ok(exchange);
        } catch (IngestRejection rejection) {
            Answers.reject(exchange, explainForm(exchange, rejection));
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

    /**
     * Accepts the events of one request body sent with {@code key}.
     *
     * @return how many copies were stored
     * @throws IngestRejection 400/413 for a body we refuse, 503 when the sink cannot take the events
     */
    int ingest(byte[] body, RequestFacts request, ApiKey key) throws IngestRejection {
        List<RoutedEvent> routed = prepare(body, request, key);
        if (routed.isEmpty()) {
            return 0;
        }
        try {
            sink.enqueue(routed);
        } catch (QueueFullException | SinkUnavailableException e) {
            throw rejection(e);
        }
        stored(routed);
        return routed.size();
    }

    /** Stops the script threads, if any; call after the server stopped taking requests. */
    void close() {
        if (scriptLane != null) {
            scriptLane.close();
        }
    }

    /**
     * Parses, enriches, routes and serializes the events of one body: the copies to store, one
     * per event and destination (empty when nothing is routed anywhere).
     */
    List<RoutedEvent> prepare(byte[] body, RequestFacts request, ApiKey key) throws IngestRejection {
        List<Map<String, Object>> events = parser.parse(body);
        List<RoutedEvent> routed = new ArrayList<>(events.size());
        for (Map<String, Object> event : events) {
            String id = enricher.enrich(event, request);
            byte[][] json = new byte[1][];
            Routing routing = router.route(key.id(), event, () -> {
                json[0] = serialize(event);
                return new String(json[0], StandardCharsets.UTF_8);
            });
            if (!routing.storesAnything()) {
                continue;
            }
            if (json[0] == null && (!routing.destinations().isEmpty() || !routing.deadLettered().isEmpty())) {
                json[0] = serialize(event);
            }
            for (String destination : routing.destinations()) {
                routed.add(new RoutedEvent(destination, id, json[0]));
            }
            for (Routing.Copy copy : routing.transformed()) {
                // A transform that splits an event gives the extra events ids of their own.
                String copyId = copy.index() == 0 ? id : id + "-" + copy.index();
                byte[] bytes = copy.json().getBytes(StandardCharsets.UTF_8);
                if (bytes.length > maxEventSize) {
                    if (json[0] == null) {
                        json[0] = serialize(event);
                    }
                    // The same bound as for events sent: the event as accepted becomes a dead letter.
                    routed.add(new RoutedEvent(copy.destinationId(), copyId, json[0], Optional.of(
                            "data_layout.transform failed: it returned an event of " + bytes.length
                                    + " bytes; server.max_event_size is " + maxEventSize)));
                    continue;
                }
                routed.add(new RoutedEvent(copy.destinationId(), copyId, bytes));
            }
            for (Routing.Failure failure : routing.deadLettered()) {
                // The event as accepted (enriched, not transformed), with why the transform failed.
                routed.add(new RoutedEvent(failure.destinationId(), id, json[0], Optional.of(failure.reason())));
            }
        }
        return routed;
    }

    /** The answer for a sink failure. */
    static IngestRejection rejection(Exception sinkFailure) {
        if (sinkFailure instanceof QueueFullException) {
            return new IngestRejection(503, sinkFailure.getMessage());
        }
        return new IngestRejection(503, "Events cannot be stored right now, try again later: "
                + sinkFailure.getMessage());
    }

    /** Counts stored copies per destination (dead letters are counted by the router). */
    void stored(List<RoutedEvent> routed) {
        if (routed.size() == 1) {
            RoutedEvent only = routed.get(0);
            if (only.deadLetterReason().isEmpty()) {
                router.countRouted(only.destinationId(), 1);
            }
            return;
        }
        Map<String, Integer> perDestination = new HashMap<>();
        for (RoutedEvent event : routed) {
            if (event.deadLetterReason().isPresent()) {
                continue;
            }
            perDestination.merge(event.destinationId(), 1, Integer::sum);
        }
        perDestination.forEach(router::countRouted);
    }

    private byte[] serialize(Map<String, Object> event) {
        try {
            return writer.write(event);
        } catch (IOException e) {
            throw new IllegalStateException("an accepted event could not be written as JSON", e);
        }
    }
}
