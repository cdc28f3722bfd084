package dev.sluice.hubspot.contacts;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One input of a batch upsert: every identify event of the batch for one email, merged.
 *
 * @param traceId      the {@code objectWriteTraceId}: the id of the first merged event, unique in the batch
 * @param email        normalised email, the upsert id
 * @param properties   merged property values in event order (later events win); includes {@code email}
 * @param eventIndexes positions, in the delivered batch, of the events merged into this input
 */
record ContactInput(String traceId, String email, Map<String, String> properties, List<Integer> eventIndexes) {

    ContactInput {
        Objects.requireNonNull(traceId, "traceId");
        Objects.requireNonNull(email, "email");
        properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
        eventIndexes = List.copyOf(eventIndexes);
    }
}
