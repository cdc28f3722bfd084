package dev.sluice.hubspot.delivery;

import dev.sluice.api.Event;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class UserIdentityTest {

    @Test
    void acceptsCommonAddressesAfterTrimmingAndLowerCasing() {
        for (String email : new String[]{"john@example.com", "john.doe+tag@mail.example.co.uk", "o'neil@example.ie",
                "a_b-c@sub-domain.example.io", "x@example.museum"}) {
            assertThat(UserIdentity.isValid(email)).as(email).isTrue();
        }
        UserIdentity.Result found = UserIdentity.of(Event.of("e", Map.of("user", Map.of("email", "  John@Example.COM "))));
        assertThat(found).isInstanceOf(UserIdentity.Found.class);
        assertThat(((UserIdentity.Found) found).email()).isEqualTo("john@example.com");
    }

    @Test
    void refusesMalformedAddresses() {
        for (String email : new String[]{"plain", "@example.com", "john@", "john@localhost", "jo hn@example.com",
                "john..doe@example.com", ".john@example.com", "john@example..com", "john@-example.com",
                "john@exa_mple.com", "a".repeat(65) + "@example.com", "john@example.com@x.com"}) {
            assertThat(UserIdentity.isValid(email)).as(email).isFalse();
        }
    }

    @Test
    void fallsBackToTheNestedUserAndSaysWhatIsMissing() {
        Event nested = Event.of("e", Map.of("eventn_ctx", Map.of("user", Map.of("email", "n@example.com", "firstname", "N"))));
        assertThat(UserIdentity.of(nested)).isEqualTo(
                new UserIdentity.Found("n@example.com", Map.of("email", "n@example.com", "firstname", "N")));
        assertThat(UserIdentity.of(Event.of("e", Map.of("user", Map.of("id", "1")))))
                .isEqualTo(new UserIdentity.Missing("no email at " + UserIdentity.EMAIL_PATH));
        assertThat(((UserIdentity.Missing) UserIdentity.of(Event.of("e", Map.of("user", Map.of("email", " ")))))
                .reason()).contains("empty");
    }
}
