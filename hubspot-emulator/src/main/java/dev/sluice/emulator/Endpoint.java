package dev.sluice.emulator;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The HubSpot endpoints the emulator serves, with their path forms (v3, 2026-03, legacy) and required scope. */
enum Endpoint {
    CONTACTS_BATCH_UPSERT("contacts.batchUpsert", "POST",
            "^/crm/(?:v3/objects|objects/2026-03)/contacts/batch/upsert/?$", "crm.objects.contacts.write"),
    CONTACTS_LEGACY_CREATE_OR_UPDATE("contacts.legacyCreateOrUpdate", "POST",
            "^/contacts/v1/contact/createOrUpdate/email/([^/]+)/?$", "crm.objects.contacts.write"),
    PROPERTIES_LIST("properties.list", "GET",
            "^/crm/(?:v3/properties|properties/2026-03)/([^/]+)/?$", "crm.schemas.contacts.read"),
    PROPERTIES_LEGACY_LIST("properties.legacyList", "GET",
            "^/properties/v1/contacts/properties/?$", "crm.schemas.contacts.read"),
    EVENT_DEFINITIONS_LIST("eventDefinitions.list", "GET",
            "^/events/(?:v3|2026-03)/event-definitions/?$", "behavioral_events.event_definitions.read_write"),
    EVENT_DEFINITION_GET("eventDefinitions.get", "GET",
            "^/events/(?:v3|2026-03)/event-definitions/([^/]+)/?$", "behavioral_events.event_definitions.read_write"),
    EVENTS_SEND("events.send", "POST",
            "^/events/(?:v3|2026-03)/send/?$", "analytics.behavioral_events.send"),
    EVENTS_SEND_BATCH("events.sendBatch", "POST",
            "^/events/(?:v3|2026-03)/send/batch/?$", "analytics.behavioral_events.send"),
    LEGACY_EVENT_PIXEL("events.legacyPixel", "GET", "^/v1/event/?$", null),
    UNKNOWN("unknown", null, null, null);

    /** Every scope an unrestricted token holds. */
    static final List<String> ALL_SCOPES = List.of("crm.objects.contacts.write", "crm.schemas.contacts.read",
            "behavioral_events.event_definitions.read_write", "analytics.behavioral_events.send");

    private final String statsName;
    private final String method;
    private final Pattern pattern;
    private final String requiredScope;

    Endpoint(String statsName, String method, String regex, String requiredScope) {
        this.statsName = statsName;
        this.method = method;
        this.pattern = regex == null ? null : Pattern.compile(regex);
        this.requiredScope = requiredScope;
    }

    String statsName() {
        return statsName;
    }

    String method() {
        return method;
    }

    Optional<String> requiredScope() {
        return Optional.ofNullable(requiredScope);
    }

    boolean isEventSend() {
        return this == EVENTS_SEND || this == EVENTS_SEND_BATCH;
    }

    /** A matched route: the endpoint, its path parameter (decoded, or null) and whether the method fits. */
    record Route(Endpoint endpoint, String pathParam, boolean methodAllowed) {
    }

    static Route route(String method, String rawPath) {
        for (Endpoint endpoint : values()) {
            if (endpoint.pattern == null) {
                continue;
            }
            Matcher matcher = endpoint.pattern.matcher(rawPath);
            if (matcher.matches()) {
                String param = matcher.groupCount() > 0 ? ApiRequest.decodePathSegment(matcher.group(1)) : null;
                return new Route(endpoint, param, endpoint.method.equals(method));
            }
        }
        return new Route(UNKNOWN, null, true);
    }
}
