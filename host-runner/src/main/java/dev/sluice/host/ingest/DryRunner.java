package dev.sluice.host.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.host.routing.DryRun;
import dev.sluice.host.routing.Router;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * "See before you send": takes the same bodies as the Events API and tells, per event, the event
 * after enrichment, after the destination's transform, the template's result, and whether it
 * would be queued, skipped or dead-lettered there, and why. Nothing is stored, sent or counted.
 * Used by {@code POST /api/v1/events/dry-run} and {@code sluice transform test}.
 */
public final class DryRunner {

    /** A body or destination the dry run refuses; the message says why. */
    public static final class Refused extends Exception {
        private final int status;

        Refused(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final ObjectMapper mapper = new ObjectMapper();
    private final EventsBodyParser parser;
    private final EventEnricher enricher;
    private final Router router;

    public DryRunner(long maxEventSize, EventEnricher enricher, Router router) {
        this.parser = new EventsBodyParser(mapper, maxEventSize);
        this.enricher = Objects.requireNonNull(enricher, "enricher");
        this.router = Objects.requireNonNull(router, "router");
    }

    /**
     * The dry run of one body for one destination, as JSON.
     *
     * @param apiKeyId the api key the events are taken as sent with (for {@code only_tokens})
     * @param storedKeyId written to {@code api_key} by enrichment, as the Events API does: the key's id, never its secret
     * @param clientIp the client address enrichment records
     * @throws Refused 404 for an unknown destination, 400/413 for a body the Events API would refuse
     */
    public byte[] run(byte[] body, String destinationId, String apiKeyId, String storedKeyId, String clientIp)
            throws Refused {
        Objects.requireNonNull(destinationId, "destinationId");
        if (!router.destinationIds().contains(destinationId)) {
            throw new Refused(404, "No destination '" + destinationId + "'; configured: " + router.destinationIds());
        }
        List<Map<String, Object>> events;
        try {
            events = parser.parse(body);
        } catch (IngestRejection e) {
            throw new Refused(e.status(), e.getMessage());
        }
        // As ingest stores it: the key's id, never the secret the request used.
        RequestFacts facts = new RequestFacts(IngestRoute.S2S, storedKeyId, clientIp, Optional.of("sluice dry run"));
        List<Object> answers = new ArrayList<>();
        for (Map<String, Object> event : events) {
            enricher.enrich(event, facts);
            answers.add(describe(event, router.dryRun(destinationId, apiKeyId, event)));
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("destination", destinationId);
        answer.put("events", answers);
        try {
            return mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(answer);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a dry-run answer could not be written as JSON", e);
        }
    }

    private Map<String, Object> describe(Map<String, Object> enriched, DryRun run) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("enriched", enriched);
        if (!run.accepted()) {
            out.put("outcome", "not routed");
            out.put("reason", "the destination's only_tokens does not take this api key");
            return out;
        }
        if (run.transform().isPresent()) {
            DryRun.TransformStep step = run.transform().get();
            Map<String, Object> transform = new LinkedHashMap<>();
            transform.put("events", step.events().stream().map(this::tree).toList());
            step.skipped().ifPresent(reason -> transform.put("skipped", reason));
            step.failure().ifPresent(reason -> transform.put("failed", reason));
            out.put("transform", transform);
            if (step.failure().isPresent()) {
                out.put("outcome", "dead letter");
                out.put("reason", step.failure().get());
                return out;
            }
            if (step.skipped().isPresent()) {
                out.put("outcome", "skipped");
                out.put("reason", step.skipped().get());
                return out;
            }
        }
        List<Object> results = new ArrayList<>();
        for (DryRun.Result result : run.results()) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("event", tree(result.json()));
            r.put("table_name_from", result.from());
            result.tableName().ifPresent(name -> r.put("table_name", name));
            r.put("outcome", result.outcome());
            result.reason().ifPresent(reason -> r.put("reason", reason));
            results.add(r);
        }
        out.put("results", results);
        long queued = run.results().stream().filter(r -> r.outcome().equals("queued")).count();
        boolean failed = run.results().stream().anyMatch(r -> r.outcome().equals("failed"));
        out.put("outcome", queued > 0 ? "queued" : failed ? "failed" : "skipped");
        out.put("queued_events", queued);
        return out;
    }

    private Object tree(String json) {
        try {
            return mapper.readTree(json);
        } catch (JsonProcessingException e) {
            return json;
        }
    }
}
