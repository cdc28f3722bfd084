package dev.sluice.hubspot.delivery.testing;

import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starts a MockWebServer on 127.0.0.1 and drains its recorded requests with bounded waits. */
public final class MockHubSpot {

    private MockHubSpot() {
    }

    public static MockWebServer start() {
        MockWebServer server = new MockWebServer();
        try {
            server.start(InetAddress.getByName("127.0.0.1"), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return server;
    }

    /** Takes exactly the requests the server has received so far (each wait at most 5 s). */
    public static List<RecordedRequest> taken(MockWebServer server) throws InterruptedException {
        List<RecordedRequest> requests = new ArrayList<>();
        int count = server.getRequestCount();
        for (int i = 0; i < count; i++) {
            RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
            if (request == null) {
                throw new AssertionError("request " + (i + 1) + " of " + count + " not recorded within 5 s");
            }
            requests.add(request);
        }
        return requests;
    }
}
