package dev.sluice.api;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventPathTest {

    private static final String USER = "/user||/eventn_ctx/user";

    @Test
    void takesTheFirstAlternativeThatExists() {
        Map<String, Object> flat = Map.of("user", Map.of("email", "flat@example.com"));
        Map<String, Object> nested = Map.of("eventn_ctx", Map.of("user", Map.of("email", "nested@example.com")));
        Map<String, Object> both = Map.of("user", Map.of("email", "flat@example.com"),
                "eventn_ctx", Map.of("user", Map.of("email", "nested@example.com")));

        EventPath email = EventPath.parse("/user/email||/eventn_ctx/user/email");

        assertThat(email.find(flat)).contains("flat@example.com");
        assertThat(email.find(nested)).contains("nested@example.com");
        assertThat(email.find(both)).contains("flat@example.com");
        assertThat(email.find(Map.of())).isEmpty();
    }

    @Test
    void treatsNullAsAbsentAndFallsThrough() {
        Map<String, Object> event = new HashMap<>();
        event.put("user", null);
        event.put("eventn_ctx", Map.of("user", Map.of("id", "u1")));

        assertThat(EventPath.parse(USER).find(event)).contains(Map.of("id", "u1"));
    }

    @Test
    void stopsAtScalarsInsteadOfFailing() {
        Map<String, Object> event = Map.of("user", "not an object");

        assertThat(EventPath.parse("/user/email").find(event)).isEmpty();
    }

    @Test
    void indexesListsWithNumericSegments() {
        Map<String, Object> event = Map.of("items", List.of(Map.of("sku", "a"), Map.of("sku", "b")));

        assertThat(EventPath.parse("/items/1/sku").find(event)).contains("b");
        assertThat(EventPath.parse("/items/7/sku").find(event)).isEmpty();
    }

    @Test
    void toleratesBlanksAroundAlternativesAndMissingLeadingSlash() {
        EventPath path = EventPath.parse(" user/email || /eventn_ctx/user/email ");

        assertThat(path.alternatives()).containsExactly(List.of("user", "email"), List.of("eventn_ctx", "user", "email"));
    }

    @Test
    void refusesEmptyAlternatives() {
        assertThatThrownBy(() -> EventPath.parse("/user||")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("/user||");
        assertThatThrownBy(() -> EventPath.parse("")).isInstanceOf(IllegalArgumentException.class);
    }
}
