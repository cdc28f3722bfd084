package dev.sluice.e2e.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code node/send.mjs}: the real {@code @jitsu/sdk-js} client in Node, sending {@code id()}
 * and {@code track()} calls to a host. Needs {@code node} on the PATH and {@code npm ci} done in the
 * node folder (Maven does it in pre-integration-test).
 */
public final class JitsuSdk {

    public static final String NODE_DIR_PROPERTY = "sluice.e2e.node.dir";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Client options: the SDK's compat_mode, and max_send_attempts (null: the SDK's default queue of 4). */
    public enum Mode {
        FLAT("flat"), COMPAT("compat");

        final String arg;

        Mode(String arg) {
            this.arg = arg;
        }
    }

    private JitsuSdk() {
    }

    /**
     * Runs the calls and returns what the SDK posted (one entry per event, as it sent them; the key
     * masked). Fails when node fails, a request was not answered 200, or the run takes over 60 s.
     *
     * @param calls JSON array of {@code {"call":"id","props":{...}}} and
     *              {@code {"call":"track","type":"...","payload":{...}}}
     */
    public static List<JsonNode> send(String host, String key, Mode mode, Integer maxSendAttempts, String runId,
                                      String calls) {
        Objects.requireNonNull(calls, "calls");
        Path nodeDir = nodeDir();
        List<String> command = new ArrayList<>(List.of("node", "send.mjs", "--host", host, "--key", key,
                "--mode", mode.arg, "--run", runId, "--calls", calls));
        if (maxSendAttempts != null) {
            command.addAll(List.of("--attempts", maxSendAttempts.toString()));
        }
        try {
            Path out = Files.createTempFile("jitsu-sdk", ".out");
            Path err = Files.createTempFile("jitsu-sdk", ".err");
            Process process = new ProcessBuilder(command).directory(nodeDir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("send.mjs did not finish within 60 s");
            }
            String stdout = Files.readString(out);
            String stderr = Files.readString(err).replace(key, "***");
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            if (process.exitValue() != 0) {
                throw new AssertionError("send.mjs (" + mode + ", run " + runId + ") exited with " + process.exitValue()
                        + "\nstdout: " + stdout.replace(key, "***") + "\nstderr: " + stderr);
            }
            JsonNode result = JSON.readTree(stdout);
            List<JsonNode> events = new ArrayList<>();
            result.path("events").forEach(events::add);
            return events;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run node (is node 18+ on the PATH?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static Path nodeDir() {
        String configured = System.getProperty(NODE_DIR_PROPERTY);
        Path dir = configured != null && !configured.isBlank() ? Path.of(configured) : Path.of("node");
        if (!Files.isDirectory(dir.resolve("node_modules/@jitsu/sdk-js"))) {
            throw new IllegalStateException("@jitsu/sdk-js is not installed in " + dir.toAbsolutePath()
                    + ": run 'npm ci' there (mvn verify does it in pre-integration-test)");
        }
        return dir;
    }
}
