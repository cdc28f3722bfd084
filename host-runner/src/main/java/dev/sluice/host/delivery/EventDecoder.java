package dev.sluice.host.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.api.Event;
import dev.sluice.host.queue.QueuedEvent;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Turns a queued event's JSON back into an {@link Event}. */
final class EventDecoder {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Why a stored event cannot become an {@link Event}; the message names no event content. */
    static final class UnreadableEventException extends Exception {
        UnreadableEventException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    Event decode(QueuedEvent queued) throws UnreadableEventException {
        return decode(queued.eventId(), queued.json());
    }

    /** An event with this id from JSON (a stored event, or what a transform made of one). */
    Event decode(String eventId, byte[] json) throws UnreadableEventException {
        Map<String, Object> tree;
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> read = JSON.readValue(json, LinkedHashMap.class);
            tree = read;
        } catch (JsonProcessingException e) {
            throw new UnreadableEventException("stored event is not a JSON object: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UnreadableEventException("stored event cannot be read: " + e.getMessage(), e);
        }
        if (tree == null) {
            throw new UnreadableEventException("stored event is JSON null, not an object", null);
        }
        try {
            return Event.of(eventId, tree);
        } catch (IllegalArgumentException e) {
            throw new UnreadableEventException("stored event is not a valid event: " + e.getMessage(), e);
        }
    }
}
