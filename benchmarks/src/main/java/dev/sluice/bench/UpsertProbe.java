package dev.sluice.bench;

import dev.sluice.emulator.HubSpotEmulator;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;

/**
 * Times one 100-contact batch upsert of new emails straight against an emulator (median of 3):
 * the emulator's own cost per call, to tell a slow host or plugin from a slow test double.
 */
final class UpsertProbe {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private UpsertProbe() {
    }

    static double medianMillis(HubSpotEmulator hubspot, String prefix) throws Exception {
        double[] millis = new double[3];
        for (int round = 0; round < millis.length; round++) {
            StringBuilder body = new StringBuilder("{\"inputs\":[");
            for (int i = 0; i < 100; i++) {
                body.append(i == 0 ? "" : ",").append("{\"id\":\"").append(prefix).append('-').append(round).append('-')
                        .append(i).append("@example.com\",\"idProperty\":\"email\",\"properties\":{\"firstname\":\"Probe\"}}");
            }
            HttpRequest request = HttpRequest.newBuilder(URI.create(hubspot.baseUrl() + "/crm/v3/objects/contacts/batch/upsert"))
                    .header("Authorization", "Bearer pat-probe").header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(60))
                    .POST(HttpRequest.BodyPublishers.ofString(body.append("]}").toString())).build();
            long t0 = System.nanoTime();
            HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            millis[round] = (System.nanoTime() - t0) / 1e6;
            if (response.statusCode() != 200) {
                throw new IllegalStateException("probe upsert answered " + response.statusCode());
            }
        }
        Arrays.sort(millis);
        return millis[1];
    }
}
