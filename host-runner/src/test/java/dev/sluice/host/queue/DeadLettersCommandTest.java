package dev.sluice.host.queue;

import dev.sluice.host.cli.DeadLettersCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.sluice.host.queue.DurableQueueTest.event;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code sluice dead-letters list|replay} on a real queue database, with the host stopped. */
class DeadLettersCommandTest {

    @TempDir
    Path dir;

    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    int run(String action, Optional<String> destination) throws Exception {
        Path config = dir.resolve("sluice.yaml");
        Files.writeString(config, """
                server:
                  data_dir: state
                api_keys:
                  - id: web
                    client_secret: js-secret
                destinations:
                  hs:
                    type: hubspot
                    mode: stream
                    config:
                      access_token: pat-secret
                      hub_id: "1"
                """);
        out.reset();
        err.reset();
        return new DeadLettersCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of()).run(action, config, destination);
    }

    @Test
    void listsDeadLettersWithoutBodiesAndReplaysThemIntoTheQueue() throws Exception {
        Path dataDir = dir.resolve("state");
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        try (DurableQueue queue = DurableQueue.open(QueueDatabase.open(dataDir),
                Map.of("hs", new QueueLimit(100, 1 << 20), "old", new QueueLimit(100, 1 << 20)), clock)) {
            queue.enqueue(List.of(event("hs", "e-1"), event("old", "e-2")));
            for (String destination : List.of("hs", "old")) {
                DestinationQueue q = queue.destination(destination);
                QueuedEvent e = q.due(1).get(0);
                q.settle(new Settlement(List.of(), List.of(), List.of(new Settlement.DeadLetterMove(e,
                        "property 'email' is not a valid email", 2, clock.instant(), clock.instant()))));
            }
        }

        assertThat(run("list", Optional.empty())).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("\ths\te-1\t-\t-\t2\t2026-01-01T00:00:00Z\tproperty 'email' is not a valid email")
                .contains("\told\te-2\t-\t-\t2\t")
                .contains("2 dead letters")
                .doesNotContain("{\"id\"");

        assertThat(run("replay", Optional.of("hs"))).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("replayed 1 dead letter for hs");

        assertThat(run("replay", Optional.empty())).isZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("dead letters for 'old', which is not in the config");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("replayed 1 dead letter;");

        assertThat(run("list", Optional.empty())).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("0 dead letters");
        // The command stamps replays with the real time.
        try (DurableQueue queue = DurableQueue.open(QueueDatabase.open(dataDir),
                Map.of("hs", new QueueLimit(100, 1 << 20)), Clock.offset(Clock.systemUTC(), Duration.ofMinutes(1)))) {
            assertThat(queue.destination("hs").due(10)).extracting(QueuedEvent::eventId).containsExactly("e-1");
            assertThat(queue.depth("old").events()).isEqualTo(1);
        }
    }

    @Test
    void worksWithoutTheDestinationsSecretsInTheEnvironment() throws Exception {
        Path dataDir = dir.resolve("state");
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        try (DurableQueue queue = DurableQueue.open(QueueDatabase.open(dataDir),
                Map.of("hs", new QueueLimit(100, 1 << 20)), clock)) {
            queue.enqueue(List.of(event("hs", "e-1")));
            DestinationQueue q = queue.destination("hs");
            q.settle(new Settlement(List.of(), List.of(), List.of(new Settlement.DeadLetterMove(q.due(1).get(0),
                    "rejected", 1, clock.instant(), clock.instant()))));
        }
        Path config = dir.resolve("sluice.yaml");
        Files.writeString(config, """
                server:
                  data_dir: state
                destinations:
                  hs:
                    type: hubspot
                    mode: stream
                    config:
                      access_token: ${env:HUBSPOT_ACCESS_TOKEN}
                      hub_id: "1"
                """);

        int code = new DeadLettersCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of()).run("list", config, Optional.empty());

        assertThat(code).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("\ths\te-1\t-\t-\t1\t").contains("1 dead letter");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("using its server.data_dir only");
    }

    @Test
    void stillRefusesAnUnsetVariableInsideServer() throws Exception {
        Path config = dir.resolve("sluice.yaml");
        Files.writeString(config, """
                server:
                  data_dir: ${env:SLUICE_DATA}
                """);

        int code = new DeadLettersCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of()).run("list", config, Optional.empty());

        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("SLUICE_DATA").contains("cannot be used");
    }
}
