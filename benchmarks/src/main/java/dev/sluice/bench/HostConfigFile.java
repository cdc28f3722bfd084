package dev.sluice.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a host YAML config (the format users write, see docs/configuration.md) with one s2s key
 * and either HubSpot destinations pointing at the emulator, one access token each, or destinations
 * of a benchmark-only type ({@link BenchDestinationFactory}).
 */
final class HostConfigFile {

    static final String S2S_SECRET = "bench-s2s-secret";
    static final String S2S_PATH = "/api/v1/s2s/event?token=" + S2S_SECRET;
    static final String HUB_ID = "20546336";

    private HostConfigFile() {
    }

    /** A HubSpot destination: id, access token, API version and the paced rate. */
    record HubSpotDestination(String id, String token, String apiVersion, int requestsPer10s) {
    }

    static Path write(Path dir, String baseUrl, Path dataDir, Path pluginsDir, List<HubSpotDestination> destinations)
            throws IOException {
        Files.createDirectories(dir);
        StringBuilder yaml = new StringBuilder()
                .append("server:\n")
                .append("  port: 0\n")
                .append("  bind: 127.0.0.1\n")
                .append("  data_dir: '").append(dataDir.toAbsolutePath()).append("'\n")
                .append("  plugins_dir: '").append(pluginsDir.toAbsolutePath()).append("'\n")
                .append("api_keys:\n")
                .append("  - id: bench\n")
                .append("    server_secret: ").append(S2S_SECRET).append('\n')
                .append("destinations:\n");
        for (HubSpotDestination d : destinations) {
            yaml.append("  ").append(d.id()).append(":\n")
                    .append("    type: hubspot\n")
                    .append("    mode: stream\n")
                    .append("    config:\n")
                    .append("      access_token: ").append(d.token()).append('\n')
                    .append("      hub_id: '").append(HUB_ID).append("'\n")
                    .append("      api_version: '").append(d.apiVersion()).append("'\n")
                    .append("      base_url: ").append(baseUrl).append('\n')
                    .append("      track_base_url: ").append(baseUrl).append('\n')
                    .append("      requests_per_10s: ").append(d.requestsPer10s()).append('\n');
        }
        Path file = dir.resolve("sluice.yaml");
        Files.writeString(file, yaml.toString());
        return file;
    }

    /**
     * Destinations of a benchmark-only type (see {@link BenchDestinationFactory}; no plugins folder),
     * each with HubSpot's filter {@code $.user?.email}, queue limits out of reach, and a start retry
     * delay of 10 minutes (a {@code bench-parked} destination logs one failed start, not one a second).
     */
    static Path writeBench(Path dir, Path dataDir, String type, List<String> destinationIds) throws IOException {
        return writeBench(dir, dataDir, type, destinationIds, null);
    }

    /** As {@link #writeBench(Path, Path, String, List)}, each destination with this {@code data_layout.transform} (null: none). */
    static Path writeBench(Path dir, Path dataDir, String type, List<String> destinationIds, String transform)
            throws IOException {
        Files.createDirectories(dir);
        StringBuilder yaml = new StringBuilder()
                .append("server:\n")
                .append("  port: 0\n")
                .append("  bind: 127.0.0.1\n")
                .append("  data_dir: '").append(dataDir.toAbsolutePath()).append("'\n")
                .append("api_keys:\n")
                .append("  - id: bench\n")
                .append("    server_secret: ").append(S2S_SECRET).append('\n')
                .append("destinations:\n");
        for (String id : destinationIds) {
            yaml.append("  ").append(id).append(":\n")
                    .append("    type: ").append(type).append('\n')
                    .append("    mode: stream\n")
                    .append("    data_layout:\n")
                    .append("      table_name_template: '$.user?.email'\n");
            if (transform != null) {
                yaml.append("      transform: '").append(transform.replace("'", "''")).append("'\n");
            }
            yaml.append("    delivery:\n")
                    .append("      backoff_initial: 10m\n")
                    .append("      backoff_max: 10m\n")
                    .append("      max_queued_events: 1000000000000\n")
                    .append("      max_queued_bytes: 1000000000000000\n");
        }
        Path file = dir.resolve("sluice.yaml");
        Files.writeString(file, yaml.toString());
        return file;
    }
}
