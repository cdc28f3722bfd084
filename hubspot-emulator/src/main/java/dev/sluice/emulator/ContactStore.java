package dev.sluice.emulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The portal's contacts, by lower-cased email, with indexes by id and by secondary email so that
 * each lookup stays constant-time however many contacts a long run stores. Thread-safe.
 */
final class ContactStore {
    private static final long FIRST_ID = 101;
    private final Map<String, StoredContact> byEmail = new LinkedHashMap<>();
    private final Map<String, String> emailById = new HashMap<>();
    /** Secondary email -> the primary email of the contact that holds it. */
    private final Map<String, String> ownerBySecondaryEmail = new HashMap<>();
    private long nextId = FIRST_ID;

    /** The outcome of one write. */
    record Written(StoredContact contact, boolean created) {
    }

    static String key(String email) {
        return email.trim().toLowerCase(Locale.ROOT);
    }

    synchronized Optional<StoredContact> byEmail(String email) {
        return Optional.ofNullable(byEmail.get(key(email)));
    }

    synchronized Optional<StoredContact> byId(String id) {
        return Optional.ofNullable(emailById.get(id)).map(byEmail::get);
    }

    synchronized List<StoredContact> all() {
        return List.copyOf(byEmail.values());
    }

    /**
     * The id of another contact that holds this email as a secondary email ({@code hs_additional_emails}),
     * when the email is not itself a contact's primary email.
     */
    synchronized Optional<String> secondaryEmailOwner(String email) {
        String key = key(email);
        if (byEmail.containsKey(key)) {
            return Optional.empty();
        }
        return Optional.ofNullable(ownerBySecondaryEmail.get(key)).map(owner -> byEmail.get(owner).id());
    }

    private static List<String> additionalEmails(StoredContact contact) {
        String value = contact.properties().get("hs_additional_emails");
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return Arrays.stream(value.split(";")).map(ContactStore::key).filter(s -> !s.isEmpty()).toList();
    }

    /** Creates or merges: given values replace stored ones, an empty string removes the property. */
    synchronized Written upsert(String email, Map<String, String> properties, Instant now) {
        String key = key(email);
        StoredContact existing = byEmail.get(key);
        Map<String, String> merged = new LinkedHashMap<>();
        String id;
        Instant createdAt;
        int writes;
        if (existing == null) {
            id = Long.toString(nextId++);
            createdAt = now;
            writes = 1;
            merged.put("email", key);
        } else {
            id = existing.id();
            createdAt = existing.createdAt();
            writes = existing.writes() + 1;
            merged.putAll(existing.properties());
        }
        properties.forEach((name, value) -> {
            if ("email".equals(name)) {
                return;
            }
            if (value.isEmpty()) {
                merged.remove(name);
            } else {
                merged.put(name, value);
            }
        });
        merged.put("hs_object_id", id);
        merged.put("createdate", createdAt.toString());
        merged.put("lastmodifieddate", now.toString());
        StoredContact stored = new StoredContact(id, key, merged, createdAt, now, writes);
        byEmail.put(key, stored);
        emailById.put(id, key);
        if (existing != null) {
            additionalEmails(existing).forEach(secondary -> ownerBySecondaryEmail.remove(secondary, key));
        }
        additionalEmails(stored).forEach(secondary -> ownerBySecondaryEmail.putIfAbsent(secondary, key));
        return new Written(stored, existing == null);
    }

    /** Adds a secondary email to a contact (created if absent): the set-up for HubSpot's 409 CONFLICT. */
    synchronized StoredContact addSecondaryEmail(String primary, String secondary, Instant now) {
        StoredContact contact = byEmail.get(key(primary));
        List<String> emails = new ArrayList<>(contact == null ? List.of() : additionalEmails(contact));
        if (!emails.contains(key(secondary))) {
            emails.add(key(secondary));
        }
        return upsert(primary, Map.of("hs_additional_emails", String.join(";", emails)), now).contact();
    }

    synchronized void clear() {
        byEmail.clear();
        emailById.clear();
        ownerBySecondaryEmail.clear();
        nextId = FIRST_ID;
    }
}
