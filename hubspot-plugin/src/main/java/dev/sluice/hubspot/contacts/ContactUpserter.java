package dev.sluice.hubspot.contacts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.api.Event;
import dev.sluice.api.Outcome;
import dev.sluice.hubspot.ApiVersion;
import dev.sluice.hubspot.catalog.ContactPropertyMapper;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Identify events through the modern batch upsert by email
 * ({@code POST /crm/objects/2026-03/contacts/batch/upsert}, or {@code /crm/v3/...}).
 *
 * <p>How HubSpot's answers become outcomes:
 * <ul>
 *   <li>200 with results: every input a result confirms is delivered (by trace id or email; results
 *       that name no input vouch for as many others); an input no result accounts for is retried.
 *       200 with no results and no errors for a non-empty request: HubSpot ignored the body;
 *       retried, never counted as success.</li>
 *   <li>207: each {@code errors[]} item is tied to its input by {@code context.objectWriteTraceId}
 *       (or {@code context.ids}, the email); inputs without an error are delivered. Validation
 *       errors and conflicts reject their input with HubSpot's message; rate-limit or server errors
 *       of an item retry it.</li>
 *   <li>400 or 409 on several inputs: the batch is narrowed down ({@link BatchBisector}) until the
 *       bad inputs answer alone; they are rejected with HubSpot's message, the rest delivered.</li>
 *   <li>{@code PROPERTY_DOESNT_EXIST} (in a 400, or in a 207 item): the property catalog was stale.
 *       The catalog is invalidated, the property is left out of every input of this delivery, and
 *       the affected inputs are sent again at once, so a property deleted in HubSpot costs one call,
 *       not the contacts. A property reported again after being left out rejects the input.</li>
 *   <li>Anything else (401, 403, 429, 423, 477, 5xx, I/O): the {@link FailureClassifier}'s outcome
 *       for every event of the request; a retry stops further calls of this delivery.</li>
 * </ul>
 */
public final class ContactUpserter implements EventBatchSender {

    /** HubSpot's limit for batch inputs. */
    public static final int MAX_INPUTS = 100;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HubSpotTransport transport;
    private final String path;
    private final ContactPropertyMapper mapper;
    private final FailureClassifier classifier;
    private final int inputsPerCall;
    private final ContactInputMerger merger;
    private final ParallelCalls calls;

    /** One batch call at a time. */
    public ContactUpserter(HubSpotTransport transport, ApiVersion version, ContactPropertyMapper mapper,
                           FailureClassifier classifier, int inputsPerCall) {
        this(transport, version, mapper, classifier, inputsPerCall, ParallelCalls.sequential());
    }

    public ContactUpserter(HubSpotTransport transport, ApiVersion version, ContactPropertyMapper mapper,
                           FailureClassifier classifier, int inputsPerCall, ParallelCalls calls) {
        this.calls = Objects.requireNonNull(calls, "calls");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.path = path(version);
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.classifier = Objects.requireNonNull(classifier, "classifier");
        if (inputsPerCall < 1) {
            throw new IllegalArgumentException("inputsPerCall must be at least 1, not " + inputsPerCall);
        }
        this.inputsPerCall = Math.min(inputsPerCall, MAX_INPUTS);
        this.merger = new ContactInputMerger(mapper);
    }

    static String path(ApiVersion version) {
        return switch (version) {
            case V2026_03 -> "/crm/objects/" + version.configValue() + "/contacts/batch/upsert";
            case V3 -> "/crm/v3/objects/contacts/batch/upsert";
            case LEGACY -> throw new IllegalArgumentException("the batch upsert has no legacy version");
        };
    }

    @Override
    public List<Outcome> send(List<Event> events) throws InterruptedException {
        ContactInputMerger.Merged merged = merger.merge(events);
        Outcome[] outcomes = new Outcome[events.size()];
        merged.rejected().forEach((index, outcome) -> outcomes[index] = outcome);
        Delivery delivery = new Delivery();
        // One call at a time: a retry (rate limit, outage) stops the chunks after it too.
        // In parallel, each chunk narrows on its own.
        BatchBisector<ContactInput> shared = new BatchBisector<>(delivery::call);
        calls.forEachChunk(merged.inputs(), inputsPerCall, chunk -> {
            BatchBisector<ContactInput> bisector = calls.isSequential() ? shared : new BatchBisector<>(delivery::call);
            Map<ContactInput, Outcome> results = bisector.resolve(chunk);
            for (ContactInput input : chunk) {
                for (int index : input.eventIndexes()) {
                    outcomes[index] = results.get(input);
                }
            }
        });
        return List.of(outcomes);
    }

    /** State of one {@link #send}: the properties HubSpot said it does not know. */
    private final class Delivery {

        private final Set<String> unknownProperties = ConcurrentHashMap.newKeySet();

        BatchAnswer<ContactInput> call(List<ContactInput> inputs) throws InterruptedException {
            HubSpotResponse response;
            try {
                response = transport.send(HubSpotRequest.post(path, body(inputs, unknownProperties)));
            } catch (IOException e) {
                return BatchAnswer.failed(classifier.classify(e));
            }
            int status = response.status();
            JsonNode node = BatchErrorBody.parse(response.body()).orElse(JSON.nullNode());
            if (status == 200 || status == 201 || status == 207) {
                if (node.path("errors").isArray() && !node.path("errors").isEmpty()) {
                    return multiStatus(inputs, node, response);
                }
                if (node.path("results").isArray() && !node.path("results").isEmpty()) {
                    return completed(inputs, node, status);
                }
                return BatchAnswer.failed(Outcome.retry("HubSpot answered " + status + " with no results and no errors for "
                        + inputs.size() + " input(s): the request body was ignored"));
            }
            if (status == 400) {
                Set<String> fresh = freshUnknown(BatchErrorBody.unknownProperties(node));
                if (!fresh.isEmpty()) {
                    forget(fresh);
                    return BatchAnswer.resendAll(inputs);
                }
                return BatchAnswer.invalid(inputs, BatchErrorBody.message(response));
            }
            if (status == 409) {
                return BatchAnswer.invalid(inputs, BatchErrorBody.message(response));
            }
            if (response.isSuccess()) {
                return BatchAnswer.failed(Outcome.retry("HubSpot answered " + status
                        + " without a batch result: the request body was ignored"));
            }
            return BatchAnswer.failed(classifier.classify(response));
        }

        /**
         * A success without errors: each input is delivered when a result confirms it (by
         * {@code objectWriteTraceId}, else by the email among its properties). Results that carry
         * neither vouch for as many unconfirmed inputs; inputs left over were not confirmed by HubSpot
         * and are retried (an upsert by email is safe to repeat), never counted as delivered.
         */
        private BatchAnswer<ContactInput> completed(List<ContactInput> inputs, JsonNode node, int status) {
            Map<String, ContactInput> byTrace = new HashMap<>();
            Map<String, ContactInput> byEmail = new HashMap<>();
            inputs.forEach(input -> {
                byTrace.put(input.traceId(), input);
                byEmail.put(input.email(), input);
            });
            Set<ContactInput> confirmed = new HashSet<>();
            int anonymous = 0;
            for (JsonNode result : node.path("results")) {
                String traceId = result.path("objectWriteTraceId").asText("");
                String email = result.path("properties").path("email").asText("").trim().toLowerCase(java.util.Locale.ROOT);
                ContactInput input = byTrace.containsKey(traceId) ? byTrace.get(traceId) : byEmail.get(email);
                if (input != null) {
                    confirmed.add(input);
                } else if (traceId.isEmpty() && email.isEmpty()) {
                    anonymous++;
                }
            }
            if (anonymous >= inputs.size() - confirmed.size()) {
                return BatchAnswer.allDelivered(inputs);
            }
            Map<ContactInput, Outcome> outcomes = new LinkedHashMap<>();
            for (ContactInput input : inputs) {
                outcomes.put(input, confirmed.contains(input) ? Outcome.delivered()
                        : Outcome.retry("HubSpot answered " + status + " but its results did not confirm this contact"));
            }
            return new BatchAnswer.Resolved<>(outcomes, List.of(), "", List.of());
        }

        private BatchAnswer<ContactInput> multiStatus(List<ContactInput> inputs, JsonNode node, HubSpotResponse response) {
            Map<String, ContactInput> byTrace = new HashMap<>();
            Map<String, ContactInput> byEmail = new HashMap<>();
            inputs.forEach(input -> {
                byTrace.put(input.traceId(), input);
                byEmail.put(input.email(), input);
            });
            Map<ContactInput, Outcome> outcomes = new LinkedHashMap<>();
            Set<ContactInput> resend = new LinkedHashSet<>();
            Set<String> fresh = new LinkedHashSet<>();
            String unattributed = null;
            Outcome unattributedOutcome = null;
            for (BatchErrorBody.ItemError error : BatchErrorBody.itemErrors(node)) {
                Set<ContactInput> targets = new LinkedHashSet<>();
                error.traceIds().stream().map(byTrace::get).filter(Objects::nonNull).forEach(targets::add);
                error.ids().stream().map(id -> byEmail.get(id.trim().toLowerCase(java.util.Locale.ROOT)))
                        .filter(Objects::nonNull).forEach(targets::add);
                String reason = BatchErrorBody.truncate("HubSpot " + (error.category().isEmpty() ? "error" : error.category())
                        + ": " + error.message());
                if (targets.isEmpty()) {
                    unattributed = reason;
                    Outcome outcome = itemOutcome(error, reason);
                    if (unattributedOutcome == null || outcome instanceof Outcome.Rejected) {
                        unattributedOutcome = outcome;
                    }
                    continue;
                }
                Set<String> freshHere = freshUnknown(error.unknownProperties());
                for (ContactInput target : targets) {
                    if (!freshHere.isEmpty()) {
                        resend.add(target);
                    } else if (!(outcomes.get(target) instanceof Outcome.Rejected)) {
                        outcomes.put(target, itemOutcome(error, reason));
                    }
                }
                fresh.addAll(freshHere);
            }
            forget(fresh);
            resend.removeIf(input -> outcomes.get(input) instanceof Outcome.Rejected);
            resend.forEach(outcomes::remove);
            List<ContactInput> narrow = new ArrayList<>();
            Set<String> confirmed = confirmedTraceIds(node);
            for (ContactInput input : inputs) {
                if (outcomes.containsKey(input) || resend.contains(input)) {
                    continue;
                }
                if (unattributed == null || confirmed.contains(input.traceId())) {
                    outcomes.put(input, Outcome.delivered());
                } else {
                    narrow.add(input);
                }
            }
            if (narrow.size() == 1) {
                // The only input the answer leaves unexplained is the one the error is about: it takes
                // the error's own outcome (a retryable item error must not become a rejection alone).
                outcomes.put(narrow.get(0), unattributedOutcome);
                narrow.clear();
            }
            return new BatchAnswer.Resolved<>(outcomes, narrow,
                    unattributed == null ? BatchErrorBody.message(response) : unattributed, List.copyOf(resend));
        }

        private Outcome itemOutcome(BatchErrorBody.ItemError error, String reason) {
            int status = error.status().orElse(400);
            if (status == 429 || status >= 500 || error.category().startsWith("RATE_LIMIT")) {
                return Outcome.retry(reason);
            }
            return Outcome.rejected(reason);
        }

        private Set<String> freshUnknown(Set<String> names) {
            Set<String> fresh = new LinkedHashSet<>(names);
            fresh.remove("email");
            fresh.removeAll(unknownProperties);
            return fresh;
        }

        private void forget(Set<String> names) {
            if (!names.isEmpty()) {
                unknownProperties.addAll(names);
                mapper.invalidate();
            }
        }
    }

    private static Set<String> confirmedTraceIds(JsonNode node) {
        Set<String> ids = new HashSet<>();
        for (JsonNode result : node.path("results")) {
            if (result.path("objectWriteTraceId").isTextual()) {
                ids.add(result.path("objectWriteTraceId").asText());
            }
        }
        return ids;
    }

    static String body(List<ContactInput> inputs, Set<String> leaveOut) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode array = root.putArray("inputs");
        for (ContactInput input : inputs) {
            ObjectNode item = array.addObject();
            item.put("id", input.email());
            item.put("idProperty", "email");
            item.put("objectWriteTraceId", input.traceId());
            ObjectNode properties = item.putObject("properties");
            input.properties().forEach((name, value) -> {
                if (!leaveOut.contains(name)) {
                    properties.put(name, value);
                }
            });
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
