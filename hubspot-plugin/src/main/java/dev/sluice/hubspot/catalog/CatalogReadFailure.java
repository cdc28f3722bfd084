package dev.sluice.hubspot.catalog;

import dev.sluice.api.DestinationException;
import dev.sluice.hubspot.http.HubSpotError;
import dev.sluice.hubspot.http.HubSpotResponse;

import java.io.IOException;
import java.util.List;

/** Turns a failed read of a schema list (properties, event definitions) into a DestinationException. */
final class CatalogReadFailure {

    private CatalogReadFailure() {
    }

    static DestinationException of(HubSpotResponse response, String what, String scope) {
        HubSpotError error = HubSpotError.of(response).orElse(null);
        String category = error == null || error.category().isEmpty() ? "" : " " + error.category();
        String detail = error == null || error.message().isEmpty() ? "" : ": " + error.message();
        int status = response.status();
        if (status == 401) {
            return new DestinationException("HubSpot says the access token is invalid (401" + category + ") reading "
                    + what + "; set a valid private-app token in access_token (HubSpot refuses API keys since"
                    + " 2022-11-30)", false);
        }
        if (status == 403) {
            List<String> scopes = error == null ? List.of() : error.contextValues("requiredScopes");
            if (scopes.isEmpty() && error != null) {
                scopes = error.contextValues("missingScopes");
            }
            String missing = scopes.isEmpty() ? scope : String.join(", ", scopes);
            return new DestinationException("HubSpot refused to list " + what + " (403" + category
                    + "): the access token lacks the scope " + missing + "; add it to the private app", false);
        }
        boolean retriable = status == 429 || status == 423 || status == 477 || status == 408 || status >= 500;
        String text = "HubSpot answered " + status + category + " reading " + what + detail;
        if (!retriable) {
            text += "; check base_url and api_version";
        }
        return new DestinationException(text.length() > 1000 ? text.substring(0, 1000) + "..." : text, retriable);
    }

    static DestinationException of(IOException e, String what) {
        return new DestinationException("could not read " + what + " from HubSpot: " + e.getMessage(), true);
    }

    static DestinationException interrupted(String what) {
        Thread.currentThread().interrupt();
        return new DestinationException("interrupted while reading " + what + " from HubSpot", true);
    }

    static DestinationException unreadable(String what, String problem) {
        return new DestinationException("HubSpot's list of " + what + " could not be read: " + problem, true);
    }
}
