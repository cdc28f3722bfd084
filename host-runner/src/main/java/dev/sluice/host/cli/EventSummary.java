package dev.sluice.host.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.Optional;

/**
 * What an operator needs to tell a stored event apart in a list: its {@code event_type} and the
 * user it is about (the email, else an anonymous id), read from the stored JSON. Jitsu puts the
 * user under {@code user} or, for older clients, under {@code eventn_ctx.user}.
 *
 * @param eventType the event type, or {@code -}
 * @param user      the email, else {@code anonymous:ID}, else {@code -}
 * @param event     the parsed event, empty when the stored bytes are not JSON
 */
record EventSummary(String eventType, String user, Optional<JsonNode> event) {

    private static final ObjectMapper JSON = new ObjectMapper();

    static EventSummary of(byte[] json) {
        JsonNode event;
        try {
            event = JSON.readTree(json);
        } catch (IOException e) {
            return new EventSummary("(not JSON)", "-", Optional.empty());
        }
        if (event == null || !event.isObject()) {
            return new EventSummary("(not a JSON object)", "-", Optional.ofNullable(event));
        }
        String type = text(event.get("event_type")).orElse("-");
        JsonNode user = event.path("user");
        JsonNode contextUser = event.path("eventn_ctx").path("user");
        String who = text(user.get("email")).or(() -> text(contextUser.get("email")))
                .or(() -> text(user.get("anonymous_id")).map(id -> "anonymous:" + id))
                .or(() -> text(contextUser.get("anonymous_id")).map(id -> "anonymous:" + id))
                .or(() -> text(user.get("hashed_anonymous_id")).map(id -> "anonymous:" + id))
                .or(() -> text(contextUser.get("hashed_anonymous_id")).map(id -> "anonymous:" + id))
                .orElse("-");
        return new EventSummary(type, who, Optional.of(event));
    }

    private static Optional<String> text(JsonNode node) {
        return node != null && node.isValueNode() && !node.asText().isBlank()
                ? Optional.of(node.asText().replaceAll("\\s+", " ")) : Optional.empty();
    }
}
