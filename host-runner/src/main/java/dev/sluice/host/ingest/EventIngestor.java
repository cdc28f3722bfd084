package dev.sluice.host.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.host.config.ApiKey;
import dev.sluice.host.pipeline.AsyncEventSink;
import dev.sluice.host.pipeline.EventSink;
import dev.sluice.host.pipeline.QueueFullException;
import dev.sluice.host.pipeline.RoutedEvent;
import dev.sluice.host.pipeline.SinkUnavailableException;
import dev.sluice.host.routing.Router;
import dev.sluice.host.routing.Routing;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * The ingest flow of one request, without HTTP: parse the body, enrich each event, route it,
 * serialize it once, and hand every routed copy of every event to the sink in one call, which
 * returns once they are durable. Thread-safe.
 */
final class EventIngestor {

    private final ObjectMapper mapper;
    private final EventsBodyParser parser;
    private final long maxEventSize;
    private final EventEnricher enricher;
    private final Router router;
    private final EventSink sink;
    private final ScriptLane scriptLane;

    public EventIngestor(long maxEventSize, EventEnricher enricher, Router router, EventSink sink) {
        this.mapper = new ObjectMapper();
        this.parser = new EventsBodyParser(mapper, maxEventSize);
        this.maxEventSize = maxEventSize;
        this.enricher = Objects.requireNonNull(enricher, "enricher");
        this.router = Objects.requireNonNull(router, "router");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.scriptLane = router.runsScriptsAtIngest() ? ScriptLane.perCore() : null;
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

    /** The sink, when it can store without blocking; empty otherwise. */
    Optional<AsyncEventSink> asyncSink() {
        return sink instanceof AsyncEventSink async ? Optional.of(async) : Optional.empty();
    }

    /**
     * Where to prepare requests instead of the IO thread, when routing runs JavaScript (a script
     * may run up to its time limit, which must never hold an IO thread); empty when it runs none.
     */
    Optional<ScriptLane> scriptLane() {
        return Optional.ofNullable(scriptLane);
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
            return mapper.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an accepted event could not be written as JSON", e);
        }
    }
}
