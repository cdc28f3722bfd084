package dev.sluice.hubspot.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.api.DestinationException;
import dev.sluice.hubspot.ApiVersion;
import dev.sluice.hubspot.http.HubSpotError;
import dev.sluice.hubspot.http.HubSpotRequest;
import dev.sluice.hubspot.http.HubSpotResponse;
import dev.sluice.hubspot.http.HubSpotTransport;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The portal's custom behavioral event definitions with their properties, read from
 * {@code GET /events/{2026-03|v3}/event-definitions?includeProperties=true}, following
 * {@code paging.next.after}, and cached like {@link PropertyCatalog} (re-read at the first lookup
 * after {@code catalog_refresh}, or after {@link #invalidate()}; a failed re-read keeps what it has).
 *
 * <p>The list needs the scope {@code behavioral_events.event_definitions.read_write}, which a token
 * made only for sending may lack, and portals without Enterprise have no definitions to read. So a
 * 403 (or 404) does not stop the destination: it is logged once and the definitions become
 * {@linkplain #definitionsKnown() unknown}, which tells the sender to send events unfiltered and let
 * HubSpot's answer decide. The legacy API has no definitions: always unknown, never read.
 */
public final class EventDefinitions implements EventDefinitionCatalog {

    static final String WHAT = "custom event definitions";
    static final String SCOPE = "behavioral_events.event_definitions.read_write";
    /** A guard against a cursor that never ends. */
    static final int MAX_PAGES = 100;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What one read found: the definitions, and whether they could be read at all. */
    private record Snapshot(Map<String, EventDefinition> definitions, boolean known) {
        static final Snapshot UNKNOWN = new Snapshot(Map.of(), false);
    }

    private final HubSpotTransport transport;
    private final ApiVersion version;
    private final System.Logger logger;
    private final RefreshingValue<Snapshot> snapshot;
    private boolean unknownLogged;

    public EventDefinitions(HubSpotTransport transport, ApiVersion version, Duration refresh, Clock clock,
                            System.Logger logger) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.version = Objects.requireNonNull(version, "version");
        this.logger = Objects.requireNonNull(logger, "logger");
        this.snapshot = new RefreshingValue<>(WHAT, this::read, refresh, clock, logger,
                s -> s.definitions().size(), e -> Snapshot.UNKNOWN);
    }

    /** The list's path for an API version; empty for {@code legacy}, which has none. */
    public static Optional<String> path(ApiVersion version) {
        return switch (version) {
            case V2026_03 -> Optional.of("/events/2026-03/event-definitions");
            case V3 -> Optional.of("/events/v3/event-definitions");
            case LEGACY -> Optional.empty();
        };
    }

    @Override
    public void load() throws DestinationException {
        snapshot.load();
    }

    private synchronized Snapshot read() throws DestinationException {
        Optional<String> path = path(version);
        if (path.isEmpty()) {
            return Snapshot.UNKNOWN;
        }
        Map<String, EventDefinition> read = new HashMap<>();
        Set<String> cursors = new HashSet<>();
        String after = null;
        for (int page = 0; page < MAX_PAGES; page++) {
            String query = "?includeProperties=true" + (after == null ? ""
                    : "&after=" + URLEncoder.encode(after, StandardCharsets.UTF_8).replace("+", "%20"));
            HubSpotResponse response;
            try {
                response = transport.send(HubSpotRequest.get(path.get() + query));
            } catch (IOException e) {
                throw CatalogReadFailure.of(e, WHAT);
            } catch (InterruptedException e) {
                throw CatalogReadFailure.interrupted(WHAT);
            }
            if (response.status() == 403 || response.status() == 404) {
                return becomeUnknown(response);
            }
            if (!response.isSuccess()) {
                throw CatalogReadFailure.of(response, WHAT, SCOPE);
            }
            JsonNode root;
            try {
                root = JSON.readTree(response.body());
            } catch (JsonProcessingException e) {
                throw CatalogReadFailure.unreadable(WHAT, "the answer is not JSON");
            }
            if (root == null || !root.path("results").isArray()) {
                throw CatalogReadFailure.unreadable(WHAT, "no 'results' list in the answer");
            }
            for (JsonNode node : root.path("results")) {
                String name = node.path("fullyQualifiedName").asText("");
                if (name.isEmpty() || node.path("archived").asBoolean(false)) {
                    continue;
                }
                Map<String, ContactProperty> properties = new LinkedHashMap<>();
                for (JsonNode property : node.path("properties")) {
                    String propertyName = property.path("name").asText("");
                    if (!propertyName.isEmpty() && !property.path("archived").asBoolean(false)) {
                        properties.put(propertyName, property(propertyName, property));
                    }
                }
                read.put(name.toLowerCase(Locale.ROOT), new EventDefinition(name, properties));
            }
            after = root.path("paging").path("next").path("after").asText("");
            if (after.isEmpty()) {
                unknownLogged = false;
                return new Snapshot(Map.copyOf(read), true);
            }
            if (!cursors.add(after)) {
                throw CatalogReadFailure.unreadable(WHAT, "the paging cursor repeats");
            }
        }
        throw CatalogReadFailure.unreadable(WHAT, "more than " + MAX_PAGES + " pages");
    }

    /** One property of a definition: its type and options decide how values are coerced. */
    private static ContactProperty property(String name, JsonNode node) {
        List<ContactProperty.Option> options = new ArrayList<>();
        for (JsonNode option : node.path("options")) {
            String value = option.isTextual() ? option.asText() : option.path("value").asText(null);
            if (value != null) {
                options.add(new ContactProperty.Option(option.path("label").asText(value), value));
            }
        }
        return new ContactProperty(name, node.path("type").asText("string"), node.path("fieldType").asText(""),
                options, false, false);
    }

    private Snapshot becomeUnknown(HubSpotResponse response) {
        if (!unknownLogged) {
            unknownLogged = true;
            String category = HubSpotError.of(response).map(HubSpotError::category).filter(c -> !c.isEmpty())
                    .map(c -> " " + c).orElse("");
            logger.log(Level.WARNING, "Cannot read HubSpot's " + WHAT + " (" + response.status() + category
                    + "): events are sent with all their properties and HubSpot's answer decides. To filter"
                    + " properties by definition, grant the scope " + SCOPE + ". Contacts are not affected.");
        }
        return Snapshot.UNKNOWN;
    }

    @Override
    public void invalidate() {
        snapshot.invalidate();
    }

    @Override
    public boolean definitionsKnown() {
        return snapshot.current().known();
    }

    @Override
    public Optional<EventDefinition> find(String fullyQualifiedName) {
        return Optional.ofNullable(snapshot.current().definitions().get(fullyQualifiedName.toLowerCase(Locale.ROOT)));
    }
}
