package dev.sluice.hubspot.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.api.Event;
import dev.sluice.api.Outcome;
import dev.sluice.hubspot.ApiVersion;
import dev.sluice.hubspot.catalog.ContactPropertyMapper;
import dev.sluice.hubspot.catalog.EventDefinitionCatalog;
import dev.sluice.hubspot.delivery.BatchAnswer;
import dev.sluice.hubspot.delivery.BatchBisector;
import dev.sluice.hubspot.delivery.ParallelCalls;
import dev.sluice.hubspot.delivery.BatchErrorBody;
import dev.sluice.hubspot.delivery.EventBatchSender;
import dev.sluice.hubspot.http.FailureClassifier;
import dev.sluice.hubspot.http.HubSpotRequest;
import dev.sluice.hubspot.http.HubSpotResponse;
import dev.sluice.hubspot.http.HubSpotTransport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Other events as custom behavioral event occurrences, in batches:
 * {@code POST /events/{2026-03|v3}/send/batch}. HubSpot's spec promises 204 for success and an
 * error body otherwise (no 207), so: 2xx delivers the whole batch; 400 (or 409) on several
 * occurrences is narrowed down until the bad ones answer alone and are rejected with HubSpot's
 * message; everything else, 403 (no Enterprise plan) included, is the {@link FailureClassifier}'s.
 */
public final class BehavioralEventSender implements EventBatchSender {

    /** Inputs per batch call; kept at the contacts limit. */
    public static final int MAX_INPUTS = 100;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HubSpotTransport transport;
    private final String path;
    private final OccurrenceBuilder builder;
    private final FailureClassifier classifier;
    private final int inputsPerCall;
    private final ParallelCalls calls;

    BehavioralEventSender(HubSpotTransport transport, ApiVersion version, OccurrenceBuilder builder,
                          FailureClassifier classifier, int inputsPerCall, ParallelCalls calls) {
        this.calls = Objects.requireNonNull(calls, "calls");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.path = path(version);
        this.builder = Objects.requireNonNull(builder, "builder");
        this.classifier = Objects.requireNonNull(classifier, "classifier");
        if (inputsPerCall < 1) {
            throw new IllegalArgumentException("inputsPerCall must be at least 1, not " + inputsPerCall);
        }
        this.inputsPerCall = Math.min(inputsPerCall, MAX_INPUTS);
    }

    /** The sender for a destination's settings: names from {@code hubId} and the event_type mapping. */
    public static BehavioralEventSender create(HubSpotTransport transport, ApiVersion version, String hubId,
                                               Map<String, String> eventNames, ContactPropertyMapper mapper,
                                               EventDefinitionCatalog definitions, FailureClassifier classifier,
                                               Clock clock, int inputsPerCall) {
        return create(transport, version, hubId, eventNames, mapper, definitions, classifier, clock, inputsPerCall,
                ParallelCalls.sequential());
    }

    /** The same, with up to the given batch calls in flight at once. */
    public static BehavioralEventSender create(HubSpotTransport transport, ApiVersion version, String hubId,
                                               Map<String, String> eventNames, ContactPropertyMapper mapper,
                                               EventDefinitionCatalog definitions, FailureClassifier classifier,
                                               Clock clock, int inputsPerCall, ParallelCalls calls) {
        OccurrenceBuilder builder = new OccurrenceBuilder(new EventNameResolver(hubId, eventNames), mapper,
                definitions, clock);
        return new BehavioralEventSender(transport, version, builder, classifier, inputsPerCall, calls);
    }

    static String path(ApiVersion version) {
        if (version == ApiVersion.LEGACY) {
            throw new IllegalArgumentException("custom event batches have no legacy version");
        }
        return "/events/" + version.configValue() + "/send/batch";
    }

    @Override
    public List<Outcome> send(List<Event> events) throws InterruptedException {
        Outcome[] outcomes = new Outcome[events.size()];
        List<EventOccurrence> occurrences = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            OccurrenceBuilder.Built built = builder.build(i, events.get(i));
            if (built instanceof OccurrenceBuilder.Refused refused) {
                outcomes[i] = refused.outcome();
            } else {
                occurrences.add(((OccurrenceBuilder.Ready) built).occurrence());
            }
        }
        BatchBisector<EventOccurrence> shared = new BatchBisector<>(this::call);
        calls.forEachChunk(occurrences, inputsPerCall, chunk -> {
            BatchBisector<EventOccurrence> bisector = calls.isSequential() ? shared : new BatchBisector<>(this::call);
            Map<EventOccurrence, Outcome> results = bisector.resolve(chunk);
            chunk.forEach(occurrence -> outcomes[occurrence.eventIndex()] = results.get(occurrence));
        });
        return List.of(outcomes);
    }

    private BatchAnswer<EventOccurrence> call(List<EventOccurrence> occurrences) throws InterruptedException {
        HubSpotResponse response;
        try {
            response = transport.send(HubSpotRequest.postExemptFromLimits(path, body(occurrences)));
        } catch (IOException e) {
            return BatchAnswer.failed(classifier.classify(e));
        }
        if (response.isSuccess()) {
            return BatchAnswer.allDelivered(occurrences);
        }
        if (response.status() == 400 || response.status() == 409) {
            return BatchAnswer.invalid(occurrences, BatchErrorBody.message(response));
        }
        return BatchAnswer.failed(classifier.classify(response));
    }

    static String body(List<EventOccurrence> occurrences) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode inputs = root.putArray("inputs");
        for (EventOccurrence occurrence : occurrences) {
            ObjectNode item = inputs.addObject();
            item.put("eventName", occurrence.eventName());
            item.put("email", occurrence.email());
            item.put("occurredAt", occurrence.occurredAt().toString());
            item.put("uuid", occurrence.uuid());
            ObjectNode properties = item.putObject("properties");
            occurrence.properties().forEach(properties::put);
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
