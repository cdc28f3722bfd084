package dev.sluice.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A contact as the emulator holds it, keyed by its lower-cased email.
 *
 * @param id         HubSpot record id (also the legacy {@code vid})
 * @param email      lower-cased email
 * @param properties current property values, including email, hs_object_id, createdate and lastmodifieddate
 * @param createdAt  creation time
 * @param updatedAt  last write time
 * @param writes     how many writes created or changed it
 */
public record StoredContact(String id, String email, Map<String, String> properties, Instant createdAt,
                            Instant updatedAt, int writes) {
    public StoredContact {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(email, "email");
        properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    }

    public String property(String name) {
        return properties.get(name);
    }

    ObjectNode toJson() {
        ObjectNode json = JsonCodec.object();
        json.put("id", id);
        json.put("email", email);
        ObjectNode props = json.putObject("properties");
        properties.forEach(props::put);
        json.put("createdAt", createdAt.toString());
        json.put("updatedAt", updatedAt.toString());
        json.put("writes", writes);
        return json;
    }
}
