package dev.sluice.hubspot.config;

import dev.sluice.api.config.Secret;
import dev.sluice.hubspot.ApiVersion;
import dev.sluice.hubspot.HubSpotSettings;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HubSpotSettingsTest {

    private static final String TOKEN = "pat-eu1-99999999-8888-7777-6666-555555555555";
    private static final String KEY = "legacy-hapikey-0000";

    private static HubSpotSettings settings(Optional<Secret> token, Optional<Secret> key, int perTenSeconds,
                                            int batchSize, Duration timeout) {
        return new HubSpotSettings(token, key, "20546336", ApiVersion.V2026_03, "https://api.hubapi.com",
                "https://track.hubspot.com", timeout, timeout, perTenSeconds, new HashMap<>(Map.of("a", "b")),
                Duration.ofSeconds(60), batchSize);
    }

    @Test
    void masksBothCredentialsInToString() {
        HubSpotSettings s = settings(Optional.of(Secret.of(TOKEN)), Optional.of(Secret.of(KEY)), 100, 100,
                Duration.ofSeconds(5));
        assertThat(s.toString()).doesNotContain(TOKEN, KEY).contains("access_token=****", "api_key=****",
                "hub_id=20546336", "api_version=2026-03");
    }

    @Test
    void requiresOneCredential() {
        assertThatThrownBy(() -> settings(Optional.empty(), Optional.empty(), 100, 100, Duration.ofSeconds(5)))
                .hasMessage("'access_token' or 'api_key' must be provided");
    }

    @Test
    void refusesValuesOutsideTheirRanges() {
        Optional<Secret> token = Optional.of(Secret.of(TOKEN));
        assertThatThrownBy(() -> settings(token, Optional.empty(), 0, 100, Duration.ofSeconds(5)))
                .hasMessageContaining("requests_per_10s");
        assertThatThrownBy(() -> settings(token, Optional.empty(), 100, 101, Duration.ofSeconds(5)))
                .hasMessageContaining("batch_size");
        assertThatThrownBy(() -> settings(token, Optional.empty(), 100, 0, Duration.ofSeconds(5)))
                .hasMessageContaining("batch_size");
        assertThatThrownBy(() -> settings(token, Optional.empty(), 100, 100, Duration.ZERO))
                .hasMessageContaining("connect_timeout");
    }

    @Test
    void eventNamesAreACopy() {
        Map<String, String> names = new HashMap<>(Map.of("purchase", "pe1_order"));
        HubSpotSettings s = new HubSpotSettings(Optional.of(Secret.of(TOKEN)), Optional.empty(), "1", ApiVersion.V3,
                "https://api.hubapi.com", "https://track.hubspot.com", Duration.ofSeconds(1), Duration.ofSeconds(1), 1,
                names, Duration.ofSeconds(1), 1);
        names.put("signup", "pe1_signup");
        assertThat(s.eventNames()).containsOnlyKeys("purchase");
        assertThatThrownBy(() -> s.eventNames().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void apiVersionsReadFromConfigValues() {
        assertThat(ApiVersion.fromConfig("2026-03")).isEqualTo(ApiVersion.V2026_03);
        assertThat(ApiVersion.fromConfig("v3")).isEqualTo(ApiVersion.V3);
        assertThat(ApiVersion.fromConfig("legacy")).isEqualTo(ApiVersion.LEGACY);
        assertThatThrownBy(() -> ApiVersion.fromConfig("v4")).hasMessageContaining("v4");
    }
}
