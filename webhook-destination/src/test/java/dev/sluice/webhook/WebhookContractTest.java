package dev.sluice.webhook;

import dev.sluice.api.DestinationFactory;
import dev.sluice.testkit.DestinationContractTest;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.io.IOException;
import java.net.InetAddress;
import java.util.Map;

/** The test kit's SPI contract, against a loopback endpoint that accepts everything. */
class WebhookContractTest extends DestinationContractTest {

    private final MockWebServer server = new MockWebServer();

    @BeforeEach
    void startEndpoint() throws IOException {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse.Builder().code(204).build();
            }
        });
        server.start(InetAddress.getByName("127.0.0.1"), 0);
    }

    @AfterEach
    void stopEndpoint() {
        server.close();
    }

    @Override
    protected DestinationFactory factory() {
        return new WebhookDestinationFactory();
    }

    @Override
    protected Map<String, Object> validConfig() {
        return Map.of(
                "url", server.url("/hooks/sluice").toString(),
                "bearer_token", TestConfigs.BEARER_SECRET,
                "signing_secret", TestConfigs.SIGNING_SECRET,
                "batch_size", 20);
    }
}
