package dev.sluice.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Writes a host config with HubSpot destinations pointed at an emulator: one api key per
 * destination ({@code only_tokens}), so each test case talks to exactly one destination, and short
 * retry backoffs so failure scenarios settle within seconds.
 */
public final class HubSpotHostConfig {

    /** One HubSpot destination and the api key whose events it gets. */
    public record Destination(String id, String serverSecret, String accessToken, String apiVersion,
                              int requestsPer10s, int pluginBatchSize) {
        public Destination {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(serverSecret, "serverSecret");
            Objects.requireNonNull(accessToken, "accessToken");
            Objects.requireNonNull(apiVersion, "apiVersion");
        }

        public static Destination of(String id, String apiVersion, int requestsPer10s) {
            return new Destination(id, "ss-" + id, "pat-" + id, apiVersion, requestsPer10s, 100);
        }

        public Destination withPluginBatchSize(int size) {
            return new Destination(id, serverSecret, accessToken, apiVersion, requestsPer10s, size);
        }
    }

    private HubSpotHostConfig() {
    }

    public static Path write(Path dir, int port, String emulatorUrl, long hubId, List<Destination> destinations) {
        StringBuilder yaml = new StringBuilder();
        yaml.append("server:\n  port: ").append(port).append("\n  bind: 127.0.0.1\n  data_dir: ")
                .append(dir.resolve("data")).append('\n');
        yaml.append("api_keys:\n");
        for (Destination d : destinations) {
            yaml.append("  - id: key_").append(d.id()).append("\n    server_secret: ").append(d.serverSecret()).append('\n');
        }
        yaml.append("destinations:\n");
        for (Destination d : destinations) {
            yaml.append("""
                      %s:
                        type: hubspot
                        mode: stream
                        only_tokens: [key_%s]
                        config:
                          access_token: %s
                          hub_id: "%d"
                          api_version: "%s"
                          base_url: %s
                          track_base_url: %s
                          requests_per_10s: %d
                          batch_size: %d
                          request_timeout: 5s
                        delivery:
                          linger: 100ms
                          backoff_initial: 200ms
                          backoff_max: 2s
                    """.formatted(d.id(), d.id(), d.accessToken(), hubId, d.apiVersion(), emulatorUrl, emulatorUrl,
                    d.requestsPer10s(), d.pluginBatchSize()));
        }
        try {
            Files.createDirectories(dir);
            return Files.writeString(dir.resolve("sluice.yaml"), yaml.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<String> tokens(List<Destination> destinations) {
        List<String> tokens = new ArrayList<>();
        destinations.forEach(d -> tokens.add(d.accessToken()));
        return tokens;
    }
}
