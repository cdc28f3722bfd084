package dev.sluice.hubspot.contacts;

import dev.sluice.api.Event;
import dev.sluice.api.Outcome;
import dev.sluice.hubspot.catalog.ContactPropertyMapper;
import dev.sluice.hubspot.delivery.UserIdentity;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Turns identify events into upsert inputs: one input per distinct email (HubSpot fails a batch that
 * holds an id twice), properties merged in event order so the latest value wins. Events without a
 * valid email are rejected here and never sent.
 */
final class ContactInputMerger {

    /** @param rejected outcomes of events that could not become an input, by position */
    record Merged(List<ContactInput> inputs, Map<Integer, Outcome> rejected) {
    }

    private final ContactPropertyMapper mapper;

    ContactInputMerger(ContactPropertyMapper mapper) {
        this.mapper = Objects.requireNonNull(mapper, "mapper");
    }

    Merged merge(List<Event> events) {
        Map<String, Group> byEmail = new LinkedHashMap<>();
        Map<Integer, Outcome> rejected = new LinkedHashMap<>();
        for (int i = 0; i < events.size(); i++) {
            Event event = events.get(i);
            UserIdentity.Result identity = UserIdentity.of(event);
            if (identity instanceof UserIdentity.Missing missing) {
                rejected.put(i, Outcome.rejected("identify event cannot become a HubSpot contact: " + missing.reason()));
                continue;
            }
            UserIdentity.Found found = (UserIdentity.Found) identity;
            Map<String, String> properties = properties(found);
            Group group = byEmail.computeIfAbsent(found.email(), email -> new Group(event.id()));
            group.properties.putAll(properties);
            group.indexes.add(i);
        }
        List<ContactInput> inputs = new ArrayList<>(byEmail.size());
        Set<String> traceIds = new HashSet<>();
        for (Map.Entry<String, Group> e : byEmail.entrySet()) {
            String traceId = e.getValue().firstEventId;
            // Event ids are unique in a healthy host; keep trace ids distinct even if they are not.
            for (int n = 2; !traceIds.add(traceId); n++) {
                traceId = e.getValue().firstEventId + "#" + n;
            }
            inputs.add(new ContactInput(traceId, e.getKey(), e.getValue().properties, e.getValue().indexes));
        }
        return new Merged(inputs, rejected);
    }

    /** The mapped user properties, with {@code email} always the normalised email. */
    Map<String, String> properties(UserIdentity.Found found) {
        Map<String, String> properties = new LinkedHashMap<>(mapper.map(found.user()).properties());
        properties.put("email", found.email());
        return properties;
    }

    private static final class Group {
        final String firstEventId;
        final Map<String, String> properties = new LinkedHashMap<>();
        final List<Integer> indexes = new ArrayList<>();

        Group(String firstEventId) {
            this.firstEventId = firstEventId;
        }
    }
}
