package dev.sluice.host.delivery;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.sluice.api.DestinationException;
import dev.sluice.api.Event;
import dev.sluice.api.Outcome;
import dev.sluice.host.config.DeliverySettings;
import dev.sluice.host.pipeline.RoutedEvent;
import dev.sluice.host.queue.DeadLetter;
import dev.sluice.host.queue.DeadLetters;
import dev.sluice.host.queue.DestinationQueue;
import dev.sluice.host.queue.DurableQueue;
import dev.sluice.host.queue.MutableClock;
import dev.sluice.host.queue.QueueDatabase;
import dev.sluice.host.queue.QueueDepth;
import dev.sluice.host.queue.QueueLimit;
import dev.sluice.host.queue.QueuedEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One worker driven step by step ({@link DeliveryWorker#deliverOnce}) on a hand-moved clock:
 * what each outcome does to the queue, the schedule and the dead letters.
 */
class DeliveryWorkerTest {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final DeliverySettings SETTINGS = new DeliverySettings(0, Duration.ZERO, Duration.ofHours(24),
            Duration.ofSeconds(1), Duration.ofMinutes(10), 1000, 1 << 20);

    @TempDir
    Path dataDir;

    final MutableClock clock = new MutableClock(T0);
    DurableQueue store;

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    DeliveryWorker worker(ScriptedDestination destination, DeliverySettings settings, double jitter,
                          FatalStartListener onFatal) throws Exception {
        if (store == null) {
            store = DurableQueue.open(QueueDatabase.open(dataDir), Map.of("hs", QueueLimit.of(settings)), clock);
        }
        return new DeliveryWorker("hs", destination, settings, store.destination("hs"), clock,
                new FixedJitter(jitter), onFatal);
    }

    DeliveryWorker worker(ScriptedDestination destination, DeliverySettings settings) throws Exception {
        return worker(destination, settings, 0.5, (id, e) -> {
            throw new AssertionError("unexpected fatal start of " + id);
        });
    }

    void enqueue(String... ids) throws Exception {
        List<RoutedEvent> events = new ArrayList<>();
        for (String id : ids) {
            events.add(new RoutedEvent("hs", id, ("{\"event_type\":\"user_identify\",\"user\":{\"email\":\"" + id
                    + "@example.com\"},\"n\":1}").getBytes(StandardCharsets.UTF_8)));
        }
        store.enqueue(events);
    }

    DestinationQueue queue() {
        return store.destination("hs");
    }

    List<DeadLetter> deadLetters() throws Exception {
        return new DeadLetters(store.database(), clock).list(Optional.empty(), 100);
    }

    @Test
    void deliversThroughAnOutageOnTheBackoffScheduleAndDeadLettersNothing() throws Exception {
        ScriptedDestination hs = new ScriptedDestination()
                .then(ScriptedDestination.all(Outcome.retry("HubSpot 503")))
                .then(ScriptedDestination.all(Outcome.retry("HubSpot 503")))
                .then(batch -> {
                    throw new IOException("connection reset");
                })
                .then(batch -> {
                    throw new IllegalStateException("plugin bug");
                });
        DeliveryWorker worker = worker(hs, SETTINGS);
        enqueue("a", "b", "c");

        // With jitter 0.5 the delay after attempt n is 1s + 0.5 * (min(10m, 2^(n-1) s) - 1s).
        List<Duration> expectedDelays = List.of(Duration.ofMillis(1000), Duration.ofMillis(1500),
                Duration.ofMillis(2500), Duration.ofMillis(4500));
        for (int attempt = 1; attempt <= 4; attempt++) {
            assertThat(worker.deliverOnce()).isEqualTo(3);
            Instant due = clock.instant().plus(expectedDelays.get(attempt - 1));
            assertThat(queue().nextDueAt()).contains(due);

            clock.set(due.minusMillis(1));
            assertThat(worker.deliverOnce()).as("not due before its backoff").isZero();
            assertThat(hs.calls).hasSize(attempt);
            clock.set(due);
        }
        assertThat(queue().due(10)).allSatisfy(e -> assertThat(e.attempts()).isEqualTo(4))
                .allSatisfy(e -> assertThat(e.lastError()).contains("deliver threw java.lang.IllegalStateException: plugin bug"))
                .allSatisfy(e -> assertThat(e.firstAttemptAt()).contains(T0));

        assertThat(worker.deliverOnce()).isEqualTo(3);

        assertThat(hs.calls).hasSize(5);
        for (int call = 0; call < 5; call++) {
            assertThat(hs.idsPerCall(call)).containsExactly("a", "b", "c");
        }
        assertThat(queue().depth()).isEqualTo(QueueDepth.EMPTY);
        assertThat(queue().nextDueAt()).isEmpty();
        assertThat(deadLetters()).isEmpty();
        DeliveryStats stats = worker.stats();
        assertThat(stats.delivered()).isEqualTo(3);
        assertThat(stats.retried()).isEqualTo(12);
        assertThat(stats.deadLettered()).isZero();
        assertThat(stats.queuedEvents()).isZero();
    }

    @Test
    void handsThePluginTheStoredEventAsATree() throws Exception {
        ScriptedDestination hs = new ScriptedDestination();
        DeliveryWorker worker = worker(hs, SETTINGS);
        enqueue("a");
        worker.deliverOnce();
        Event event = hs.calls.get(0).get(0);
        assertThat(event.id()).isEqualTo("a");
        assertThat(event.getString("/user/email||/eventn_ctx/user/email")).contains("a@example.com");
        assertThat(event.get("/n")).contains(1L);
    }

    @Test
    void deadLettersARejectedEventWithItsReasonAndDeliversItAfterReplay() throws Exception {
        ScriptedDestination hs = new ScriptedDestination()
                .then(batch -> List.of(Outcome.delivered(), Outcome.rejected("property 'email' is not a valid email"),
                        Outcome.skipped("no email")));
        DeliveryWorker worker = worker(hs, SETTINGS);
        enqueue("a", "b", "c");

        assertThat(worker.deliverOnce()).isEqualTo(3);
        assertThat(queue().depth()).isEqualTo(QueueDepth.EMPTY);
        assertThat(deadLetters()).singleElement().satisfies(d -> {
            assertThat(d.eventId()).isEqualTo("b");
            assertThat(d.destinationId()).isEqualTo("hs");
            assertThat(d.reason()).isEqualTo("property 'email' is not a valid email");
            assertThat(d.attempts()).isEqualTo(1);
        });
        assertThat(worker.stats()).extracting(DeliveryStats::delivered, DeliveryStats::skipped,
                DeliveryStats::deadLettered).containsExactly(1L, 1L, 1L);

        clock.advance(Duration.ofHours(1));
        assertThat(new DeadLetters(store.database(), clock).replay(Optional.of("hs"))).isEqualTo(1);
        assertThat(worker.deliverOnce()).isEqualTo(1);

        assertThat(hs.idsPerCall(1)).containsExactly("b");
        assertThat(deadLetters()).isEmpty();
        assertThat(queue().depth()).isEqualTo(QueueDepth.EMPTY);
        assertThat(worker.stats().delivered()).isEqualTo(2);
    }

    @Test
    void deadLettersRetriesOnceRetryForHasPassedSinceTheFirstAttempt() throws Exception {
        DeliverySettings settings = new DeliverySettings(0, Duration.ZERO, Duration.ofHours(1),
                Duration.ofMinutes(10), Duration.ofMinutes(10), 1000, 1 << 20);
        ScriptedDestination hs = new ScriptedDestination();
        for (int i = 0; i < 20; i++) {
            hs.then(ScriptedDestination.all(Outcome.retry("HubSpot 503 Service Unavailable")));
        }
        DeliveryWorker worker = worker(hs, settings);
        enqueue("a");

        // Attempts at 0, 10, ..., 50 minutes are retried; the one at 60 minutes gives up.
        for (int attempt = 1; attempt <= 6; attempt++) {
            assertThat(worker.deliverOnce()).isEqualTo(1);
            assertThat(deadLetters()).isEmpty();
            clock.advance(Duration.ofMinutes(10));
        }
        assertThat(worker.deliverOnce()).isEqualTo(1);

        assertThat(deadLetters()).singleElement().satisfies(d -> {
            assertThat(d.reason()).isEqualTo("gave up after 7 attempts over 1h: HubSpot 503 Service Unavailable");
            assertThat(d.attempts()).isEqualTo(7);
            assertThat(d.firstAttemptAt()).contains(T0);
            assertThat(d.lastAttemptAt()).contains(T0.plus(Duration.ofMinutes(60)));
        });
        assertThat(queue().depth()).isEqualTo(QueueDepth.EMPTY);
        assertThat(worker.stats().deadLettered()).isEqualTo(1);
    }

    @Test
    void retriesTheWholeBatchWhenThePluginReturnsTheWrongNumberOfOutcomesOrNone() throws Exception {
        ScriptedDestination hs = new ScriptedDestination()
                .then(batch -> List.of(Outcome.delivered()))
                .then(batch -> null);
        DeliveryWorker worker = worker(hs, SETTINGS);
        enqueue("a", "b", "c");

        worker.deliverOnce();
        assertThat(queue().depth().events()).isEqualTo(3);
        clock.advance(Duration.ofSeconds(1));
        assertThat(queue().due(10)).hasSize(3)
                .allSatisfy(e -> assertThat(e.lastError()).contains("destination returned 1 outcomes for 3 events"));

        worker.deliverOnce();
        clock.advance(Duration.ofMinutes(1));
        assertThat(queue().due(10)).hasSize(3)
                .allSatisfy(e -> assertThat(e.attempts()).isEqualTo(2))
                .allSatisfy(e -> assertThat(e.lastError()).contains("destination returned no outcome list for 3 events"));

        worker.deliverOnce();
        assertThat(hs.idsPerCall(2)).containsExactly("a", "b", "c");
        assertThat(queue().depth()).isEqualTo(QueueDepth.EMPTY);
        assertThat(deadLetters()).isEmpty();
        assertThat(worker.stats().delivered()).isEqualTo(3);
    }

    @Test
    void neverRetriesBeforeTheOutcomesNotBefore() throws Exception {
        Instant windowEnds = T0.plus(Duration.ofHours(1));
        ScriptedDestination hs = new ScriptedDestination()
                .then(ScriptedDestination.all(Outcome.retry("429 daily limit", windowEnds)))
                .then(ScriptedDestination.all(Outcome.retry("429 secondly limit", windowEnds.plusMillis(1))));
        DeliveryWorker worker = worker(hs, SETTINGS);
        enqueue("a");

        worker.deliverOnce();
        assertThat(queue().nextDueAt()).contains(windowEnds);
        clock.set(windowEnds.minusSeconds(1));
        assertThat(worker.deliverOnce()).isZero();

        clock.set(windowEnds);
        assertThat(worker.deliverOnce()).isEqualTo(1);
        // A notBefore earlier than the backoff does not make the retry come sooner.
        assertThat(queue().nextDueAt()).contains(windowEnds.plusMillis(1500));

        clock.set(windowEnds.plusMillis(1500));
        assertThat(worker.deliverOnce()).isEqualTo(1);
        assertThat(hs.calls).hasSize(3);
        assertThat(queue().depth()).isEqualTo(QueueDepth.EMPTY);
    }

    @Test
    void deadLettersStoredEventsThatAreNotJsonObjectsAndDeliversTheRest() throws Exception {
        ScriptedDestination hs = new ScriptedDestination();
        DeliveryWorker worker = worker(hs, SETTINGS);
        store.enqueue(List.of(
                new RoutedEvent("hs", "broken", "{\"user\":".getBytes(StandardCharsets.UTF_8)),
                new RoutedEvent("hs", "array", "[1,2]".getBytes(StandardCharsets.UTF_8)),
                new RoutedEvent("hs", "good", "{\"a\":1}".getBytes(StandardCharsets.UTF_8))));

        assertThat(worker.deliverOnce()).isEqualTo(3);

        assertThat(hs.calls).singleElement().satisfies(call -> assertThat(call).extracting(Event::id).containsExactly("good"));
        assertThat(deadLetters()).extracting(DeadLetter::eventId).containsExactly("broken", "array");
        assertThat(deadLetters()).allSatisfy(d -> {
            assertThat(d.reason()).startsWith("stored event is not a JSON object: ");
            assertThat(d.attempts()).isZero();
            assertThat(d.firstAttemptAt()).isEmpty();
        });
        assertThat(queue().depth()).isEqualTo(QueueDepth.EMPTY);
    }

    @Test
    void takesAtMostTheSmallerOfTheConfiguredAndThePluginsBatchSize() throws Exception {
        assertThat(DeliveryWorker.batchSize(0, 100)).isEqualTo(100);
        assertThat(DeliveryWorker.batchSize(50, 100)).isEqualTo(50);
        assertThat(DeliveryWorker.batchSize(500, 100)).isEqualTo(100);
        assertThat(DeliveryWorker.batchSize(0, 0)).isEqualTo(1);

        ScriptedDestination hs = new ScriptedDestination(3);
        DeliveryWorker worker = worker(hs, new DeliverySettings(2, Duration.ZERO, Duration.ofHours(24),
                Duration.ofSeconds(1), Duration.ofMinutes(10), 1000, 1 << 20));
        enqueue("a", "b", "c", "d", "e");
        while (worker.deliverOnce() > 0) {
            assertThat(hs.calls.size()).isLessThanOrEqualTo(3);
        }
        assertThat(hs.calls).extracting(List::size).containsExactly(2, 2, 1);
        assertThat(hs.idsPerCall(0)).containsExactly("a", "b");
    }

    @Test
    void logsAThrowingPluginWithTheDestinationIdButNoEventBody() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(DeliveryWorker.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            ScriptedDestination hs = new ScriptedDestination().then(batch -> {
                throw new IOException("timeout after 30s");
            });
            DeliveryWorker worker = worker(hs, SETTINGS);
            enqueue("private-person");
            worker.deliverOnce();
        } finally {
            logger.detachAppender(appender);
        }
        assertThat(appender.list).anySatisfy(e -> {
            assertThat(e.getFormattedMessage()).contains("destination hs: deliver threw");
            assertThat(e.getThrowableProxy().getMessage()).isEqualTo("timeout after 30s");
        });
        assertThat(appender.list).noneSatisfy(e ->
                assertThat(e.getFormattedMessage()).contains("private-person@example.com"));
    }

    @Test
    void logsEachSkipReasonOnceNotPerEvent() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(DeliveryWorker.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            ScriptedDestination hs = new ScriptedDestination()
                    .then(batch -> batch.stream().map(e -> Outcome.skipped("no definition for pageview")).toList())
                    .then(batch -> batch.stream().map(e -> Outcome.skipped("no definition for pageview")).toList());
            DeliveryWorker worker = worker(hs, SETTINGS);
            enqueue("a", "b");
            worker.deliverOnce();
            enqueue("c");
            worker.deliverOnce();
        } finally {
            logger.detachAppender(appender);
        }
        assertThat(appender.list).filteredOn(e -> e.getFormattedMessage().contains("skipping events"))
                .singleElement().extracting(ILoggingEvent::getFormattedMessage).asString()
                .contains("destination hs: skipping events: no definition for pageview");
    }

    @Test
    void retriesAStartThatMayWorkLaterAndReportsOneThatNeverWill() throws Exception {
        AtomicReference<String> fatalFor = new AtomicReference<>();
        AtomicReference<DestinationException> fatal = new AtomicReference<>();
        ScriptedDestination hs = new ScriptedDestination();
        hs.startScript.add(() -> {
            throw new DestinationException("HubSpot unreachable", true);
        });
        hs.startScript.add(() -> {
            throw new IllegalStateException("plugin bug");
        });
        hs.startScript.add(() -> {
            throw new DestinationException("access token lacks scope crm.objects.contacts.write", false);
        });
        DeliveryWorker worker = worker(hs, SETTINGS, 0.5, (id, e) -> {
            fatalFor.set(id);
            fatal.set(e);
        });

        assertThat(worker.tryStart()).isEqualTo(DeliveryWorker.StartResult.RETRY);
        assertThat(worker.state()).isEqualTo(WorkerState.STARTING);
        assertThat(worker.tryStart()).isEqualTo(DeliveryWorker.StartResult.RETRY);
        assertThat(fatal.get()).isNull();
        assertThat(worker.tryStart()).isEqualTo(DeliveryWorker.StartResult.FAILED);
        assertThat(worker.state()).isEqualTo(WorkerState.FAILED);
        assertThat(fatalFor.get()).isEqualTo("hs");
        assertThat(fatal.get()).hasMessage("access token lacks scope crm.objects.contacts.write");
        assertThat(hs.calls).isEmpty();

        ScriptedDestination healthy = new ScriptedDestination();
        DeliveryWorker second = worker(healthy, SETTINGS);
        assertThat(second.tryStart()).isEqualTo(DeliveryWorker.StartResult.STARTED);
        assertThat(second.state()).isEqualTo(WorkerState.RUNNING);
    }

    @Test
    void anEventTakenIntoABatchIsNotSeenAgainUntilSettled() throws Exception {
        ScriptedDestination hs = new ScriptedDestination();
        worker(hs, SETTINGS);
        enqueue("a");
        List<QueuedEvent> taken = queue().due(10);
        assertThat(taken).hasSize(1);
        // Reading again (e.g. after a crash and restart) sees the same event: nothing marked it taken.
        assertThat(queue().due(10)).extracting(QueuedEvent::rowId).containsExactly(taken.get(0).rowId());
    }
}
