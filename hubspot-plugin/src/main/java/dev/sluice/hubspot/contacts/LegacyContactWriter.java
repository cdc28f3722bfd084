package dev.sluice.hubspot.contacts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.api.Event;
import dev.sluice.api.Outcome;
import dev.sluice.hubspot.catalog.ContactPropertyMapper;
import dev.sluice.hubspot.delivery.BatchErrorBody;
import dev.sluice.hubspot.delivery.EventBatchSender;
import dev.sluice.hubspot.http.FailureClassifier;
import dev.sluice.hubspot.delivery.UserIdentity;
import dev.sluice.hubspot.http.HubSpotRequest;
import dev.sluice.hubspot.http.HubSpotResponse;
import dev.sluice.hubspot.http.HubSpotTransport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Identify events through Jitsu Classic's call, one per event:
 * {@code POST /contacts/v1/contact/createOrUpdate/email/{email}/} with
 * {@code {"properties":[{"property":"firstname","value":"John"}]}}. 2xx delivered; 400 rejected with
 * HubSpot's message (after one resend without properties HubSpot reports as unknown); 409 rejected;
 * the rest classified. A retry outcome stops the remaining calls of the delivery.
 */
public final class LegacyContactWriter implements EventBatchSender {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HubSpotTransport transport;
    private final ContactPropertyMapper mapper;
    private final FailureClassifier classifier;
    private final ContactInputMerger merger;

    public LegacyContactWriter(HubSpotTransport transport, ContactPropertyMapper mapper, FailureClassifier classifier) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.classifier = Objects.requireNonNull(classifier, "classifier");
        this.merger = new ContactInputMerger(mapper);
    }

    /** The createOrUpdate path with the email as one URL-encoded path segment. */
    static String path(String email) {
        return "/contacts/v1/contact/createOrUpdate/email/" + encodeSegment(email) + "/";
    }

    static String encodeSegment(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public List<Outcome> send(List<Event> events) throws InterruptedException {
        List<Outcome> outcomes = new ArrayList<>(events.size());
        Outcome stoppedWith = null;
        for (Event event : events) {
            UserIdentity.Result identity = UserIdentity.of(event);
            if (identity instanceof UserIdentity.Missing missing) {
                outcomes.add(Outcome.rejected("identify event cannot become a HubSpot contact: " + missing.reason()));
                continue;
            }
            if (stoppedWith != null) {
                outcomes.add(stoppedWith);
                continue;
            }
            UserIdentity.Found found = (UserIdentity.Found) identity;
            Outcome outcome = write(found.email(), new LinkedHashMap<>(merger.properties(found)));
            if (outcome instanceof Outcome.Retry) {
                stoppedWith = outcome;
            }
            outcomes.add(outcome);
        }
        return outcomes;
    }

    private Outcome write(String email, Map<String, String> properties) throws InterruptedException {
        for (int attempt = 0; ; attempt++) {
            HubSpotResponse response;
            try {
                response = transport.send(HubSpotRequest.post(path(email), body(properties)));
            } catch (IOException e) {
                return classifier.classify(e);
            }
            if (response.isSuccess()) {
                return Outcome.delivered();
            }
            if (response.status() == 400) {
                JsonNode node = BatchErrorBody.parse(response.body()).orElse(JSON.nullNode());
                Set<String> unknown = BatchErrorBody.unknownProperties(node);
                unknown.remove("email");
                if (attempt == 0 && !unknown.isEmpty() && properties.keySet().removeAll(unknown)) {
                    mapper.invalidate();
                    continue;
                }
                return Outcome.rejected(BatchErrorBody.message(response));
            }
            if (response.status() == 409) {
                return Outcome.rejected(BatchErrorBody.message(response));
            }
            return classifier.classify(response);
        }
    }

    static String body(Map<String, String> properties) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode array = root.putArray("properties");
        properties.forEach((name, value) -> array.addObject().put("property", name).put("value", value));
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
