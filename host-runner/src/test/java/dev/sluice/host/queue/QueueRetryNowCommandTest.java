package dev.sluice.host.queue;

import dev.sluice.host.testing.Await;
import dev.sluice.api.Destination;
import dev.sluice.api.Event;
import dev.sluice.api.Outcome;
import dev.sluice.host.cli.QueueCommand;
import dev.sluice.host.config.DeliverySettings;
import dev.sluice.host.delivery.DeliveryWorker;
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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.random.RandomGenerator;

import static dev.sluice.host.queue.DurableQueueTest.event;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code sluice queue retry-now} on a real queue database, with the host stopped and running. */
class QueueRetryNowCommandTest {

    private static final Map<String, QueueLimit> LIMITS =
            Map.of("hs", new QueueLimit(100, 1 << 20), "other", new QueueLimit(100, 1 << 20));

    @TempDir
    Path dir;

    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private Path dataDir() {
        return dir.resolve("state");
    }

    private int retryNow(Optional<String> destination, String yaml) throws Exception {
        Path config = Files.writeString(dir.resolve("sluice.yaml"), yaml);
        out.reset();
        err.reset();
        return new QueueCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of()).run("retry-now", config, destination);
    }

    private static final String CONFIG = """
            server:
              data_dir: state
            destinations:
              hs:
                type: hubspot
                mode: stream
                config:
                  access_token: ${env:HUBSPOT_ACCESS_TOKEN}
            """;

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Takes the due events of a destination and schedules each for a retry an hour from now. */
    private static void retryInAnHour(DurableQueue queue, String destination, String reason) throws Exception {
        DestinationQueue q = queue.destination(destination);
        List<Settlement.Retry> retries = new ArrayList<>();
        Instant now = Instant.now();
        for (QueuedEvent e : q.due(100)) {
            retries.add(new Settlement.Retry(e, 1, now, now.plus(Duration.ofHours(1)), reason));
        }
        q.settle(new Settlement(List.of(), retries, List.of()));
    }

    @Test
    void makesWaitingEventsDueNowWithTheHostStoppedKeepingAttemptsAndReason() throws Exception {
        try (DurableQueue queue = DurableQueue.open(QueueDatabase.open(dataDir()), LIMITS, Clock.systemUTC())) {
            queue.enqueue(List.of(event("hs", "e-1"), event("hs", "e-2"), event("other", "e-3")));
            retryInAnHour(queue, "hs", "daily limit reached");
            retryInAnHour(queue, "other", "401 token expired");
            queue.enqueue(List.of(event("hs", "e-4")));
        }
        PendingRetries pending = new PendingRetries(QueueDatabase.open(dataDir()), Clock.systemUTC());
        assertThat(pending.count(Optional.of("hs"))).isEqualTo(2);

        // The env var of the destination's token is not set: the command still works from server: alone.
        assertThat(retryNow(Optional.of("hs"), CONFIG)).isZero();
        assertThat(out()).contains("made 2 waiting events due now for hs");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("using its server.data_dir only");
        assertThat(pending.count(Optional.of("hs"))).isZero();
        assertThat(pending.count(Optional.of("other"))).isEqualTo(1);

        try (DurableQueue queue = DurableQueue.open(QueueDatabase.open(dataDir()), LIMITS, Clock.systemUTC())) {
            List<QueuedEvent> due = queue.destination("hs").due(10);
            assertThat(due).extracting(QueuedEvent::eventId).containsExactlyInAnyOrder("e-1", "e-2", "e-4");
            QueuedEvent retried = due.stream().filter(e -> e.eventId().equals("e-1")).findFirst().orElseThrow();
            assertThat(retried.attempts()).isEqualTo(1);
            assertThat(retried.firstAttemptAt()).isPresent();
            assertThat(retried.lastError()).contains("daily limit reached");
            assertThat(queue.destination("other").due(10)).isEmpty();
            assertThat(queue.depth("hs").events()).isEqualTo(3);
        }

        assertThat(retryNow(Optional.empty(), CONFIG)).isZero();
        assertThat(out()).contains("made 1 waiting event due now;");
        assertThat(retryNow(Optional.empty(), CONFIG)).isZero();
        assertThat(out()).contains("made 0 waiting events due now;");
    }

    @Test
    void aRunningWorkerDeliversTheEventsMadeDue() throws Exception {
        CountDownLatch delivered = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        Destination destination = new Destination() {
            @Override
            public List<Outcome> deliver(List<Event> batch) {
                if (calls.incrementAndGet() == 1) {
                    return Collections.nCopies(batch.size(),
                            Outcome.retry("daily limit reached", Instant.now().plus(Duration.ofHours(6))));
                }
                delivered.countDown();
                return Collections.nCopies(batch.size(), Outcome.delivered());
            }

            @Override
            public int maxBatchSize() {
                return 10;
            }
        };
        try (DurableQueue queue = DurableQueue.open(QueueDatabase.open(dataDir()), LIMITS, Clock.systemUTC())) {
            DeliveryWorker worker = new DeliveryWorker("hs", destination, DeliverySettings.defaults(),
                    queue.destination("hs"), Clock.systemUTC(), RandomGenerator.of("L64X128MixRandom"),
                    (id, cause) -> { });
            worker.start();
            try {
                queue.enqueue(List.of(event("hs", "e-1"), event("hs", "e-2")));
                PendingRetries pending = new PendingRetries(queue.database(), Clock.systemUTC());
                Await.until(() -> count(pending) == 2, "the worker scheduled both events for a retry");

                assertThat(retryNow(Optional.of("hs"), CONFIG.replace("${env:HUBSPOT_ACCESS_TOKEN}", "pat-x")))
                        .isZero();
                assertThat(out()).contains("made 2 waiting events due now for hs");
                assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();

                assertThat(delivered.await(10, TimeUnit.SECONDS)).as("delivered after retry-now").isTrue();
                // The counters move once the outcomes are committed, just after deliver() returned.
                Await.until(() -> worker.stats().delivered() == 2 && queue.depth("hs").events() == 0,
                        "both events counted as delivered and gone from the queue");
                assertThat(worker.stats().retried()).isEqualTo(2);
            } finally {
                worker.stop(Duration.ofSeconds(5));
            }
        }
    }

    @Test
    void noQueueDatabaseYetMakesNothingDue() throws Exception {
        assertThat(retryNow(Optional.empty(), CONFIG)).isZero();
        assertThat(out()).contains("made 0 events due: there is no queue database in");
        assertThat(Files.exists(dataDir())).isFalse();
    }

    @Test
    void warnsAboutADestinationThatIsNotConfigured() throws Exception {
        QueueDatabase.open(dataDir());
        assertThat(retryNow(Optional.of("crm"), CONFIG.replace("${env:HUBSPOT_ACCESS_TOKEN}", "pat-x"))).isZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("warning: destination 'crm' is not in");
        assertThat(out()).contains("made 0 waiting events due now for crm");
    }

    @Test
    void anUnreadableServerSectionIsABadConfig() throws Exception {
        assertThat(retryNow(Optional.empty(), "server: [1, 2]\n")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("server: must be a map")
                .contains("sluice queue: ").contains("cannot be used");
    }

    private static long count(PendingRetries pending) {
        try {
            return pending.count(Optional.of("hs"));
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
