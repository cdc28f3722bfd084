package dev.sluice.emulator;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ContactStoreTest {

    private static final Instant NOW = Instant.parse("2026-03-01T00:00:00Z");

    @Test
    void findsTheOwnerOfASecondaryEmailAndForgetsItWhenTheOwnerDropsIt() {
        ContactStore store = new ContactStore();
        StoredContact owner = store.addSecondaryEmail("Owner@example.com", "Alias@Example.com", NOW);

        assertThat(store.secondaryEmailOwner("alias@example.com")).contains(owner.id());
        assertThat(store.secondaryEmailOwner("owner@example.com")).as("a primary email is nobody's secondary").isEmpty();

        store.upsert("owner@example.com", Map.of("hs_additional_emails", "other@example.com"), NOW);

        assertThat(store.secondaryEmailOwner("alias@example.com")).isEmpty();
        assertThat(store.secondaryEmailOwner("other@example.com")).contains(owner.id());
        store.clear();
        assertThat(store.secondaryEmailOwner("other@example.com")).isEmpty();
    }

    @Test
    void findsContactsById() {
        ContactStore store = new ContactStore();
        StoredContact a = store.upsert("a@example.com", Map.of("firstname", "A"), NOW).contact();
        StoredContact b = store.upsert("b@example.com", Map.of(), NOW).contact();

        assertThat(store.byId(a.id()).map(StoredContact::email)).contains("a@example.com");
        assertThat(store.byId(b.id()).map(StoredContact::email)).contains("b@example.com");
        assertThat(store.byId("999999")).isEmpty();
    }
}
