package dev.sluice.e2e;

import dev.sluice.e2e.recorder.RecorderPluginJar;
import dev.sluice.e2e.support.EventsApi;
import dev.sluice.e2e.support.FreePort;
import dev.sluice.e2e.support.HostProcess;
import dev.sluice.e2e.support.Poll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 3's outage and dead-letter proofs on the distribution: the destination fails (retry
 * outcomes, then exceptions) for a while and recovers, and every event is delivered with none
 * dead-lettered; rejected events land in the dead-letter store with their reason and are delivered
 * after {@code sluice dead-letters replay}, run while the host keeps running.
 */
class OutageAndReplayIT {

    private static final String SERVER_SECRET = "outage-server-secret";
    private static final Duration SETTLE = Duration.ofSeconds(30);

    /** Kept when the test fails: the host log is in it. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path work;

    @Test
    void anOutageLosesNothingAndRejectedEventsAreDeliveredAfterReplay() throws Exception {
        int port = FreePort.pick();
        Path plugins = RecorderPluginJar.writeTo(work.resolve("plugins")).getParent();
        Path recorded = work.resolve("recorded-ids.txt");
        Path failures = work.resolve("recorded-ids.txt.failures");
        Path failFlag = Files.writeString(work.resolve("recorder-fails"), "retry");
        Path rejectFlag = Files.createFile(work.resolve("recorder-rejects"));
        Path config = Files.writeString(work.resolve("sluice.yaml"), """
                server:
                  port: %d
                  bind: 127.0.0.1
                  data_dir: %s
                api_keys:
                  - id: outage
                    server_secret: %s
                destinations:
                  recorder:
                    type: recorder
                    mode: stream
                    config:
                      file: %s
                      fail_while_exists: %s
                      reject_pattern: 'bad-.*'
                      reject_while_exists: %s
                    delivery:
                      linger: 50ms
                      backoff_initial: 200ms
                      backoff_max: 1s
                """.formatted(port, work.resolve("data"), SERVER_SECRET, recorded, failFlag, rejectFlag));

        try (HostProcess host = HostProcess.start(config, Optional.of(plugins), port, work.resolve("host.log"))) {
            EventsApi api = new EventsApi(port, SERVER_SECRET);
            List<String> good = new ArrayList<>();
            List<String> bad = List.of("bad-1", "bad-2", "bad-3");
            for (int chunk = 0; chunk < 10; chunk++) {
                List<String> bodies = new ArrayList<>();
                for (int i = 0; i < 30; i++) {
                    String id = "good-" + chunk + "-" + i;
                    good.add(id);
                    bodies.add(event(id));
                }
                assertThat(api.post("[" + String.join(",", bodies) + "]")).isEqualTo(200);
            }
            for (String id : bad) {
                assertThat(api.post(event(id))).isEqualTo(200);
            }

            Poll.until(SETTLE, "two failed deliveries with retry outcomes", () -> count(failures, "retry") >= 2,
                    () -> lines(failures).toString());
            Files.writeString(failFlag, "exception");
            Poll.until(SETTLE, "two deliveries that threw", () -> count(failures, "exception") >= 2,
                    () -> lines(failures).toString());
            assertThat(lines(recorded)).as("nothing delivered during the outage").isEmpty();
            Files.delete(failFlag);

            Poll.until(SETTLE, "every good event recorded", () -> new HashSet<>(lines(recorded)).containsAll(good),
                    () -> lines(recorded).size() + " recorded");
            Poll.until(SETTLE, "the rejected events dead-lettered", () -> deadLetters(config).size() == bad.size(),
                    () -> deadLetters(config).toString());
            assertThat(deadLetters(config)).as("only the rejected events are dead letters")
                    .allSatisfy(line -> assertThat(line).containsPattern("\\tbad-\\d\\t")
                            .contains("recorder rejects ids matching bad-.*"));
            assertThat(host.log()).as("a throwing plugin is logged with its destination id").contains("recorder");

            Files.delete(rejectFlag);
            HostProcess.CommandResult replay = HostProcess.command("dead-letters", "replay", "--config", config.toString(),
                    "--destination", "recorder");
            assertThat(replay.exitCode()).as(replay.stderr()).isZero();
            assertThat(replay.stdout()).contains("replayed 3 dead letters");
            Poll.until(SETTLE, "the replayed events recorded", () -> new HashSet<>(lines(recorded)).containsAll(bad),
                    () -> lines(recorded).size() + " recorded");
            assertThat(deadLetters(config)).isEmpty();
            Set<String> distinct = new HashSet<>(lines(recorded));
            assertThat(distinct).hasSize(good.size() + bad.size());
        }
    }

    private static String event(String id) {
        return "{\"event_id\":\"" + id + "\",\"event_type\":\"outage_test\",\"user\":{\"email\":\"o@example.com\"}}";
    }

    /** The lines of {@code sluice dead-letters list} that are dead letters (not the header or the total). */
    private static List<String> deadLetters(Path config) {
        HostProcess.CommandResult list = HostProcess.command("dead-letters", "list", "--config", config.toString());
        assertThat(list.exitCode()).as(list.stderr()).isZero();
        return list.stdout().lines().filter(l -> l.split("\t").length >= 6 && l.contains("\trecorder\t")).toList();
    }

    private static long count(Path file, String prefix) {
        return lines(file).stream().filter(l -> l.startsWith(prefix)).count();
    }

    private static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList() : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
