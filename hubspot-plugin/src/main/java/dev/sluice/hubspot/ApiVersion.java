package dev.sluice.hubspot;

/** Which HubSpot API generation the plugin talks to ({@code api_version}). */
public enum ApiVersion {
    /** Date-based versions, the default: {@code /crm/objects/2026-03/contacts/...}. */
    V2026_03("2026-03"),
    /** The numbered v3 APIs, supported until September 2027: {@code /crm/v3/objects/contacts/...}. */
    V3("v3"),
    /** Jitsu Classic's exact calls: contacts v1 createOrUpdate and the track.hubspot.com pixel. */
    LEGACY("legacy");

    private final String configValue;

    ApiVersion(String configValue) {
        this.configValue = configValue;
    }

    public String configValue() {
        return configValue;
    }

    public static ApiVersion fromConfig(String value) {
        for (ApiVersion v : values()) {
            if (v.configValue.equals(value)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown api_version '" + value + "'");
    }
}
