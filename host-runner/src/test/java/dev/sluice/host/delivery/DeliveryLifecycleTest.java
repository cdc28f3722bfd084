package dev.sluice.host.delivery;

import dev.sluice.api.DestinationException;
import dev.sluice.api.Event;
import dev.sluice.api.Outcome;
import dev.sluice.host.config.DeliverySettings;
import dev.sluice.host.pipeline.RoutedEvent;
import dev.sluice.host.queue.DurableQueue;
import dev.sluice.host.queue.QueueDatabase;
import dev.sluice.host.queue.QueueDepth;
import dev.sluice.host.queue.QueueLimit;
import dev.sluice.host.queue.QueuedEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.random.RandomGenerator;

import static org.assertj.core.api.Assertions.assertThat;

/** Workers on their own threads, with the real clock: start, wake-up, linger and stop. */
class DeliveryLifecycleTest {

    static final DeliverySettings FAST = new DeliverySettings(0, Duration.ZERO, Duration.ofHours(24),
            Duration.ofMillis(1), Duration.ofMillis(5), 1000, 1 << 20);

    @TempDir
    Path dataDir;

    DurableQueue store;
    DeliveryWorkers workers;

    @AfterEach
    void tearDown() throws Exception {
        if (workers != null) {
            workers.stopAll(Duration.ofSeconds(5));
        }
        if (store != null) {
            store.close();
        }
    }

    void open(String... destinations) throws Exception {
        Map<String, QueueLimit> limits = new java.util.HashMap<>();
        for (String d : destinations) {
            limits.put(d, new QueueLimit(1000, 1 << 20));
        }
        store = DurableQueue.open(QueueDatabase.open(dataDir), limits, Clock.systemUTC());
        workers = new DeliveryWorkers(store, Clock.systemUTC(), RandomGenerator.of("L64X128MixRandom"), (id, e) -> {
        });
    }

    void enqueue(String destination, String... ids) throws Exception {
        List<RoutedEvent> events = new ArrayList<>();
        for (String id : ids) {
            events.add(new RoutedEvent(destination, id, "{\"a\":1}".getBytes(StandardCharsets.UTF_8)));
        }
        store.enqueue(events);
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    @Test
    void retriesARetriableStartThenDelivers() throws Exception {
        open("hs");
        ScriptedDestination hs = new ScriptedDestination();
        hs.startScript.add(() -> {
            throw new DestinationException("HubSpot unreachable", true);
        });
        hs.startScript.add(() -> {
            throw new IllegalStateException("plugin bug");
        });
        enqueue("hs", "a", "b");

        workers.start("hs", hs, FAST);

        await("delivered after the third start", () -> workers.stats().get(0).delivered() == 2);
        assertThat(hs.starts.get()).isEqualTo(3);
        assertThat(hs.calls).flatExtracting(c -> c.stream().map(Event::id).toList()).containsExactly("a", "b");
        assertThat(workers.stats()).singleElement().satisfies(s -> {
            assertThat(s.state()).isEqualTo(WorkerState.RUNNING);
            assertThat(s.delivered()).isEqualTo(2);
        });
    }

    @Test
    void aBacklogIsDeliveredBatchAfterBatchEachEventOnceWhileOutcomesAreCommittedAlongside() throws Exception {
        open("hs");
        ScriptedDestination hs = new ScriptedDestination(50);
        // the third batch is answered "retry now" once: those events come back later, once each time
        hs.then(ScriptedDestination.all(Outcome.delivered())).then(ScriptedDestination.all(Outcome.delivered()))
                .then(ScriptedDestination.all(Outcome.retry("busy", java.time.Instant.EPOCH)));
        String[] ids = new String[1000];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = "e" + i;
        }
        enqueue("hs", ids);

        workers.start("hs", hs, FAST);

        await("backlog drained", () -> workers.stats().get(0).delivered() == 1000);
        assertThat(store.depth("hs").events()).isZero();
        List<String> delivered = new ArrayList<>();
        synchronized (hs.calls) {
            hs.calls.forEach(batch -> batch.forEach(e -> delivered.add(e.id())));
        }
        assertThat(hs.calls).allSatisfy(batch -> assertThat(batch).hasSizeLessThanOrEqualTo(50));
        // 1000 events, 50 of them twice (the retried batch), never two copies of one in flight
        assertThat(delivered).hasSize(1050);
        assertThat(new java.util.HashSet<>(delivered)).hasSize(1000);
        assertThat(workers.stats().get(0).retried()).isEqualTo(50);
    }

    @Test
    void retriesAStartThatThrowsAnErrorLikeAnyOtherStartFailure() throws Exception {
        open("hs");
        ScriptedDestination hs = new ScriptedDestination();
        // What ServiceLoader throws inside a plugin whose provider file names a missing class.
        hs.startScript.add(() -> {
            throw new java.util.ServiceConfigurationError("com.example.Provider not found");
        });
        enqueue("hs", "a");

        DeliveryWorker worker = workers.start("hs", hs, FAST);

        await("delivered after the second start", () -> workers.stats().get(0).delivered() == 1);
        assertThat(hs.starts.get()).isEqualTo(2);
        assertThat(worker.state()).isEqualTo(WorkerState.RUNNING);
    }

    @Test
    void aWorkerKilledByAnErrorSaysFailedAndLeavesItsEventsQueued() throws Exception {
        open("hs");
        ScriptedDestination hs = new ScriptedDestination().then(batch -> {
            throw new StackOverflowError();
        });
        enqueue("hs", "a");

        DeliveryWorker worker = workers.start("hs", hs, FAST);

        await("worker ended", () -> worker.state() != WorkerState.STARTING && worker.state() != WorkerState.RUNNING);
        assertThat(worker.state()).as("a dead worker must not look like a stopped one").isEqualTo(WorkerState.FAILED);
        assertThat(store.depth("hs").events()).isEqualTo(1);
    }

    @Test
    void whileTheStoreCannotCommitOutcomesTheBatchIsNotDeliveredAgain() throws Exception {
        store = DurableQueue.open(QueueDatabase.open(dataDir), Map.of("hs", new QueueLimit(1000, 1 << 20)),
                Clock.systemUTC(), Duration.ofMillis(200));
        workers = new DeliveryWorkers(store, Clock.systemUTC(), RandomGenerator.of("L64X128MixRandom"), (id, e) -> {
        });
        enqueue("hs", "a");
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logs =
                new ch.qos.logback.core.read.ListAppender<>();
        ch.qos.logback.classic.Logger workerLog =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(DeliveryWorker.class);
        logs.start();
        workerLog.addAppender(logs);
        ScriptedDestination hs = new ScriptedDestination();
        // Another process holds the write lock: no commit can happen (like a full disk).
        try (java.sql.Connection other = java.sql.DriverManager.getConnection(
                "jdbc:sqlite:" + dataDir.resolve(QueueDatabase.FILE_NAME));
             java.sql.Statement lock = other.createStatement()) {
            lock.execute("BEGIN IMMEDIATE");
            workers.start("hs", hs, FAST);

            // The appender adds under its own lock (AppenderBase.doAppend is synchronized): read under it too.
            await("three failed commits of the batch's outcomes", () -> {
                synchronized (logs) {
                    return logs.list.stream().filter(e -> e.getLevel() == ch.qos.logback.classic.Level.ERROR).count() >= 3;
                }
            });
            assertThat(hs.calls).as("an accepted batch is not sent again while its outcome cannot be stored")
                    .hasSize(1);
            lock.execute("ROLLBACK");
        } finally {
            workerLog.detachAppender(logs);
        }

        await("settled once the store commits again", () -> store.depth("hs").equals(QueueDepth.EMPTY));
        await("counted", () -> workers.stats().get(0).delivered() == 1);
        assertThat(hs.calls).hasSize(1);
    }

    @Test
    void callsThePluginWithItsOwnClassLoaderAsTheThreadContextLoader() throws Exception {
        open("hs");
        ScriptedDestination hs = new ScriptedDestination();
        AtomicReference<ClassLoader> seen = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(1);
        hs.startScript.add(() -> {
            seen.set(Thread.currentThread().getContextClassLoader());
            started.countDown();
        });
        Thread self = Thread.currentThread();
        ClassLoader original = self.getContextClassLoader();
        // A worker thread would inherit this loader from the thread that starts it.
        try (java.net.URLClassLoader unrelated = new java.net.URLClassLoader(new java.net.URL[0], null)) {
            self.setContextClassLoader(unrelated);
            workers.start("hs", hs, FAST);
        } finally {
            self.setContextClassLoader(original);
        }

        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(seen.get()).isSameAs(ScriptedDestination.class.getClassLoader());
    }

    @Test
    void reportsAFatalStartAndDeliversNothing() throws Exception {
        Map<String, QueueLimit> limits = Map.of("hs", new QueueLimit(1000, 1 << 20));
        store = DurableQueue.open(QueueDatabase.open(dataDir), limits, Clock.systemUTC());
        CountDownLatch reported = new CountDownLatch(1);
        AtomicReference<String> failed = new AtomicReference<>();
        workers = new DeliveryWorkers(store, (id, e) -> {
            failed.set(id + ": " + e.getMessage());
            reported.countDown();
        });
        ScriptedDestination hs = new ScriptedDestination();
        hs.startScript.add(() -> {
            throw new DestinationException("the access token was revoked", false);
        });
        enqueue("hs", "a");

        DeliveryWorker worker = workers.start("hs", hs, FAST);

        assertThat(reported.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(failed.get()).isEqualTo("hs: the access token was revoked");
        await("worker ended", () -> worker.state() == WorkerState.FAILED);
        assertThat(hs.calls).isEmpty();
        assertThat(store.depth("hs").events()).isEqualTo(1);
        workers.stopAll(Duration.ofSeconds(5));
        assertThat(hs.closed).isTrue();
    }

    @Test
    void anIdleWorkerDeliversWhatIsEnqueuedWithoutBeingPolled() throws Exception {
        open("hs", "crm");
        ScriptedDestination hs = new ScriptedDestination();
        ScriptedDestination crm = new ScriptedDestination();
        DeliveryWorker hsWorker = workers.start("hs", hs, FAST);
        workers.start("crm", crm, FAST);
        await("running", () -> hsWorker.state() == WorkerState.RUNNING);

        enqueue("hs", "a");
        enqueue("crm", "b");

        await("both delivered", () -> hs.calls.size() == 1 && crm.calls.size() == 1);
        assertThat(hs.idsPerCall(0)).containsExactly("a");
        assertThat(crm.idsPerCall(0)).containsExactly("b");
        await("settled", () -> store.depth("hs").equals(QueueDepth.EMPTY) && store.depth("crm").equals(QueueDepth.EMPTY));
        // The worker counts after its commit returned: wait for that, too.
        await("counted", () -> workers.stats().stream().allMatch(s -> s.delivered() == 1));
        assertThat(workers.stats()).extracting(DeliveryStats::destinationId, DeliveryStats::delivered)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("hs", 1L), org.assertj.core.groups.Tuple.tuple("crm", 1L));
    }

    @Test
    void lingersForAFullBatchWhenFewerEventsAreDue() throws Exception {
        open("hs");
        ScriptedDestination hs = new ScriptedDestination();
        DeliverySettings lingering = new DeliverySettings(5, Duration.ofSeconds(20), Duration.ofHours(24),
                Duration.ofMillis(1), Duration.ofMillis(5), 1000, 1 << 20);
        DeliveryWorker worker = workers.start("hs", hs, lingering);
        await("running", () -> worker.state() == WorkerState.RUNNING);

        for (String id : List.of("a", "b", "c", "d", "e")) {
            enqueue("hs", id);
        }

        await("delivered", () -> !hs.calls.isEmpty());
        assertThat(hs.idsPerCall(0)).containsExactly("a", "b", "c", "d", "e");
    }

    @Test
    void gracefulStopLetsTheBatchInHandFinishAndCommitsIt() throws Exception {
        open("hs");
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ScriptedDestination hs = new ScriptedDestination().then(batch -> {
            inside.countDown();
            assertThat(release.await(10, TimeUnit.SECONDS)).isTrue();
            return Collections.nCopies(batch.size(), Outcome.delivered());
        });
        enqueue("hs", "a", "b");
        DeliveryWorker worker = workers.start("hs", hs, FAST);
        assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();

        worker.requestStop();
        assertThat(hs.closed).isFalse();
        release.countDown();
        assertThat(worker.awaitStopped(Duration.ofSeconds(10))).isTrue();
        worker.closeDestination();

        assertThat(hs.closed).isTrue();
        assertThat(worker.state()).isEqualTo(WorkerState.STOPPED);
        assertThat(store.depth("hs")).isEqualTo(QueueDepth.EMPTY);
    }

    @Test
    void gracefulStopAbandonsADeliverThatOutlastsTheGraceAndLeavesItsEventsDue() throws Exception {
        open("hs");
        CountDownLatch inside = new CountDownLatch(1);
        ScriptedDestination hs = new ScriptedDestination().then(batch -> {
            inside.countDown();
            new CountDownLatch(1).await(30, TimeUnit.SECONDS); // a hung HTTP call, interruptible
            return Collections.nCopies(batch.size(), Outcome.delivered());
        });
        enqueue("hs", "a", "b");
        workers.start("hs", hs, FAST);
        assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();

        workers.stopAll(Duration.ofMillis(100));

        assertThat(hs.closed).isTrue();
        assertThat(hs.calls).hasSize(1);
        store.close();
        store = DurableQueue.open(QueueDatabase.open(dataDir), Map.of("hs", new QueueLimit(1000, 1 << 20)),
                Clock.systemUTC());
        List<QueuedEvent> due = store.destination("hs").due(10);
        assertThat(due).extracting(QueuedEvent::eventId).containsExactly("a", "b");
        assertThat(due).allSatisfy(e -> assertThat(e.attempts()).isZero());
    }

    @Test
    void doesNotCloseADestinationWhoseDeliverIgnoresTheStop() throws Exception {
        open("hs");
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ScriptedDestination hs = new ScriptedDestination().then(batch -> {
            inside.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (release.getCount() > 0 && System.nanoTime() < deadline) {
                try {
                    release.await(10, TimeUnit.MILLISECONDS);
                } catch (InterruptedException ignored) {
                    // a plugin that swallows interrupts
                }
            }
            return Collections.nCopies(batch.size(), Outcome.delivered());
        });
        enqueue("hs", "a");
        DeliveryWorker worker = workers.start("hs", hs, FAST);
        assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();

        worker.requestStop();
        assertThat(worker.awaitStopped(Duration.ofMillis(50))).isFalse();
        worker.closeDestination();
        assertThat(hs.closed).as("closed while deliver still runs").isFalse();

        release.countDown();
        assertThat(worker.awaitStopped(Duration.ofSeconds(10))).isTrue();
        worker.closeDestination();
        assertThat(hs.closed).isTrue();
        assertThat(store.depth("hs")).isEqualTo(QueueDepth.EMPTY);
    }
}
