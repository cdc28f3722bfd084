package dev.sluice.hubspot;

import dev.sluice.api.DestinationFactory;
import dev.sluice.api.Event;
import dev.sluice.emulator.EventProperty;
import dev.sluice.emulator.HubSpotEmulator;
import dev.sluice.testkit.DestinationContractTest;
import dev.sluice.testkit.TestEvents;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.util.List;
import java.util.Map;

/** The test kit's SPI contract, delivering to the local HubSpot emulator. */
class HubSpotContractTest extends DestinationContractTest {

    private static final String TOKEN = "pat-na1-contract-secret-6d1f0e";
    private HubSpotEmulator emulator;

    @BeforeEach
    void startEmulator() {
        emulator = HubSpotEmulator.builder().build().start();
        emulator.defineEvent("contract_event", List.of(EventProperty.text("value")));
    }

    @AfterEach
    void stopEmulator() {
        emulator.close();
    }

    @Override
    protected DestinationFactory factory() {
        return new HubSpotDestinationFactory();
    }

    @Override
    protected Map<String, Object> validConfig() {
        return Map.of("access_token", TOKEN, "hub_id", String.valueOf(emulator.hubId()),
                "base_url", emulator.baseUrl(), "track_base_url", emulator.baseUrl());
    }

    @Override
    protected List<Event> sampleEvents() {
        return List.of(TestEvents.identify("contract@example.com"),
                TestEvents.track("contract_event", "contract@example.com", Map.of("value", "1")));
    }
}
