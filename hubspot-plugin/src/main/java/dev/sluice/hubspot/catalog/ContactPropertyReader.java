package dev.sluice.hubspot.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.api.DestinationException;
import dev.sluice.hubspot.ApiVersion;
import dev.sluice.hubspot.http.HubSpotRequest;
import dev.sluice.hubspot.http.HubSpotResponse;
import dev.sluice.hubspot.http.HubSpotTransport;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads the portal's contact properties: {@code GET /crm/properties/2026-03/contacts},
 * {@code GET /crm/v3/properties/contacts} ({@code {"results":[...]}}, not paged) or, for
 * {@code legacy}, {@code GET /properties/v1/contacts/properties} (a bare array, read-only flag at
 * the top level).
 */
public final class ContactPropertyReader {

    static final String WHAT = "contact properties";
    static final String SCOPE = "crm.schemas.contacts.read";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HubSpotTransport transport;
    private final ApiVersion version;

    public ContactPropertyReader(HubSpotTransport transport, ApiVersion version) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.version = Objects.requireNonNull(version, "version");
    }

    /** The path of the property list for an API version. */
    public static String path(ApiVersion version) {
        return switch (version) {
            case V2026_03 -> "/crm/properties/2026-03/contacts";
            case V3 -> "/crm/v3/properties/contacts";
            case LEGACY -> "/properties/v1/contacts/properties";
        };
    }

    /** The properties by name. */
    public Map<String, ContactProperty> read() throws DestinationException {
        HubSpotResponse response;
        try {
            response = transport.send(HubSpotRequest.get(path(version)));
        } catch (IOException e) {
            throw CatalogReadFailure.of(e, WHAT);
        } catch (InterruptedException e) {
            throw CatalogReadFailure.interrupted(WHAT);
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
        JsonNode list = root != null && root.isArray() ? root : root == null ? null : root.get("results");
        if (list == null || !list.isArray()) {
            throw CatalogReadFailure.unreadable(WHAT, "no 'results' list in the answer");
        }
        Map<String, ContactProperty> properties = new LinkedHashMap<>();
        for (JsonNode node : list) {
            String name = node.path("name").asText("");
            if (name.isEmpty() || node.path("archived").asBoolean(false) || node.path("deleted").asBoolean(false)) {
                continue;
            }
            List<ContactProperty.Option> options = new ArrayList<>();
            for (JsonNode option : node.path("options")) {
                String value = option.path("value").asText(null);
                if (value != null) {
                    options.add(new ContactProperty.Option(option.path("label").asText(value), value));
                }
            }
            boolean readOnly = node.path("modificationMetadata").path("readOnlyValue").asBoolean(false)
                    || node.path("readOnlyValue").asBoolean(false);
            properties.put(name, new ContactProperty(name, node.path("type").asText("string"),
                    node.path("fieldType").asText(""), options, readOnly, node.path("calculated").asBoolean(false)));
        }
        return properties;
    }
}
