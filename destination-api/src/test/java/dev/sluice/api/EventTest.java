package dev.sluice.api;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventTest {

    @Test
    void aValueThatIsNotJsonIsNamedByItsPath() {
        Map<String, Object> deep = Map.of("user", Map.of("tags", List.of("ok", new Object())));
        assertThatThrownBy(() -> Event.of("e1", deep)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("value at /user/tags/1 is a java.lang.Object, not a JSON value");
        Map<Object, Object> badKey = new HashMap<>(Map.of(7, "x"));
        assertThatThrownBy(() -> Event.of("e1", Map.of("a", badKey))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("key at /a is not a string");
        assertThatThrownBy(() -> Event.of("e1", Map.of("a", Thread.State.NEW)))
                .hasMessage("value at /a is a java.lang.Thread$State, not a JSON value");
    }

    @Test
    void copiesTheTreeDeeplySoLaterChangesToTheSourceDoNotLeakIn() {
        Map<String, Object> user = new HashMap<>(Map.of("email", "a@example.com"));
        List<Object> tags = new ArrayList<>(List.of("x"));
        Map<String, Object> source = new HashMap<>(Map.of("user", user, "tags", tags));

        Event event = Event.of("e1", source);
        user.put("email", "changed@example.com");
        tags.add("y");
        source.put("extra", 1);

        assertThat(event.getString("/user/email")).contains("a@example.com");
        assertThat(event.get("/tags")).contains(List.of("x"));
        assertThat(event.fields()).doesNotContainKey("extra");
    }

    @Test
    void isImmutableAtEveryLevel() {
        Event event = Event.of("e1", Map.of("user", Map.of("email", "a@example.com"), "tags", List.of("x")));

        assertThatThrownBy(() -> event.fields().put("k", "v")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> event.getObject("/user").orElseThrow().put("k", "v"))
                .isInstanceOf(UnsupportedOperationException.class);
        @SuppressWarnings("unchecked")
        List<Object> tags = (List<Object>) event.get("/tags").orElseThrow();
        assertThatThrownBy(() -> tags.add("y")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void keepsJsonNullsAndNormalisesSmallIntegersToLong() {
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("gone", null);
        source.put("count", 3);
        source.put("ratio", 1.5f);

        Event event = Event.of("e1", source);

        assertThat(event.fields()).containsEntry("gone", null);
        assertThat(event.fields().get("count")).isEqualTo(3L);
        assertThat(event.fields().get("ratio")).isEqualTo(1.5d);
    }

    @Test
    void refusesValuesThatAreNotJsonNamingTheirPath() {
        Map<String, Object> source = Map.of("user", Map.of("when", new Object()));

        assertThatThrownBy(() -> Event.of("e1", source))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("/user/when");
    }

    @Test
    void refusesABlankId() {
        assertThatThrownBy(() -> Event.of(" ", Map.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void toStringShowsIdAndTypeButNoPersonalData() {
        Event event = Event.of("e1", Map.of("event_type", "user_identify", "user", Map.of("email", "a@example.com")));

        assertThat(event.toString()).contains("e1").contains("user_identify").doesNotContain("a@example.com");
    }

    @Test
    void readsTheEventType() {
        assertThat(Event.of("e1", Map.of("event_type", "pageview")).eventType()).contains("pageview");
        assertThat(Event.of("e1", Map.of("event_type", 5)).eventType()).isEmpty();
    }
}
