package dev.sluice.hubspot.events;

import dev.sluice.api.Event;
import dev.sluice.api.Outcome;
import dev.sluice.hubspot.catalog.ContactPropertyMapper;
import dev.sluice.hubspot.delivery.EventBatchSender;
import dev.sluice.hubspot.http.FailureClassifier;
import dev.sluice.hubspot.delivery.UserIdentity;
import dev.sluice.hubspot.http.HubSpotRequest;
import dev.sluice.hubspot.http.HubSpotResponse;
import dev.sluice.hubspot.http.HubSpotTransport;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Other events through Jitsu Classic's call, one per event, unauthenticated:
 * {@code GET {track_base_url}/v1/event?_a=<hub_id>&_n=<event_type>&email=<email>&_m=<revenue>&<property>=<value>...}
 * with every value URL-encoded; the contact properties are the user's mapped ones (the email has its
 * own parameter). 2xx delivered; the rest classified; a retry stops the remaining calls.
 */
public final class LegacyEventPixel implements EventBatchSender {

    private final HubSpotTransport transport;
    private final String hubId;
    private final ContactPropertyMapper mapper;
    private final FailureClassifier classifier;

    public LegacyEventPixel(HubSpotTransport transport, String hubId, ContactPropertyMapper mapper,
                            FailureClassifier classifier) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.hubId = Objects.requireNonNull(hubId, "hubId");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.classifier = Objects.requireNonNull(classifier, "classifier");
    }

    @Override
    public List<Outcome> send(List<Event> events) throws InterruptedException {
        List<Outcome> outcomes = new ArrayList<>(events.size());
        Outcome stoppedWith = null;
        for (Event event : events) {
            Optional<String> type = event.eventType().filter(t -> !t.isBlank());
            UserIdentity.Result identity = UserIdentity.of(event);
            if (type.isEmpty()) {
                outcomes.add(Outcome.rejected("event has no event_type to send as the HubSpot event name"));
            } else if (identity instanceof UserIdentity.Missing missing) {
                outcomes.add(Outcome.rejected("HubSpot events need the user's email: " + missing.reason()));
            } else if (stoppedWith != null) {
                outcomes.add(stoppedWith);
            } else {
                Outcome outcome = send(query(type.get(), event, (UserIdentity.Found) identity));
                if (outcome instanceof Outcome.Retry) {
                    stoppedWith = outcome;
                }
                outcomes.add(outcome);
            }
        }
        return outcomes;
    }

    private Outcome send(String pathAndQuery) throws InterruptedException {
        try {
            HubSpotResponse response = transport.send(new HubSpotRequest("GET", HubSpotRequest.Target.TRACK,
                    pathAndQuery, Optional.empty(), false, false));
            return response.isSuccess() ? Outcome.delivered() : classifier.classify(response);
        } catch (IOException e) {
            return classifier.classify(e);
        }
    }

    String query(String eventType, Event event, UserIdentity.Found user) {
        StringBuilder query = new StringBuilder("/v1/event?_a=").append(encode(hubId))
                .append("&_n=").append(encode(eventType))
                .append("&email=").append(encode(user.email()));
        EventValues.revenue(event).ifPresent(revenue -> query.append("&_m=").append(encode(revenue)));
        for (Map.Entry<String, String> property : mapper.map(user.user()).properties().entrySet()) {
            if (!property.getKey().equals("email")) {
                query.append('&').append(encode(property.getKey())).append('=').append(encode(property.getValue()));
            }
        }
        return query.toString();
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
