package dev.sluice.host.queue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static dev.sluice.host.queue.DurableQueueTest.event;
import static org.assertj.core.api.Assertions.assertThat;

class DeadLettersTest {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dataDir;

    final MutableClock clock = new MutableClock(T0);
    DurableQueue queue;

    @AfterEach
    void close() {
        if (queue != null) {
            queue.close();
        }
    }

    void deadLetter(String destination, String id, String reason) throws Exception {
        queue.enqueue(List.of(event(destination, id)));
        DestinationQueue q = queue.destination(destination);
        QueuedEvent e = q.due(100).stream().filter(x -> x.eventId().equals(id)).findFirst().orElseThrow();
        q.settle(new Settlement(List.of(), List.of(),
                List.of(new Settlement.DeadLetterMove(e, reason, 3, T0, clock.instant()))));
    }

    @Test
    void replayPutsDeadLettersBackDueNowWithAttemptsReset() throws Exception {
        queue = DurableQueue.open(QueueDatabase.open(dataDir), Map.of("hs", new QueueLimit(100, 1 << 20),
                "crm", new QueueLimit(100, 1 << 20)), clock);
        deadLetter("hs", "a", "invalid email");
        deadLetter("hs", "b", "property unknown");
        deadLetter("crm", "c", "no such list");
        DeadLetters deadLetters = new DeadLetters(queue.database(), clock);
        assertThat(deadLetters.count(Optional.empty())).isEqualTo(3);
        assertThat(deadLetters.destinations()).containsExactly("crm", "hs");
        assertThat(deadLetters.list(Optional.of("hs"), 10)).extracting(DeadLetter::eventId, DeadLetter::reason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("a", "invalid email"),
                        org.assertj.core.groups.Tuple.tuple("b", "property unknown"));

        clock.advance(Duration.ofHours(2));
        assertThat(deadLetters.replay(Optional.of("hs"))).isEqualTo(2);

        assertThat(deadLetters.list(Optional.empty(), 10)).extracting(DeadLetter::eventId).containsExactly("c");
        List<QueuedEvent> due = queue.destination("hs").due(10);
        assertThat(due).extracting(QueuedEvent::eventId).containsExactly("a", "b");
        assertThat(due).allSatisfy(e -> {
            assertThat(e.attempts()).isZero();
            assertThat(e.firstAttemptAt()).isEmpty();
            assertThat(e.enqueuedAt()).isEqualTo(T0);
        });
        assertThat(queue.destination("crm").due(10)).isEmpty();
    }

    @Test
    void replayFromAnotherConnectionWhileTheHostRunsIsCountedAtTheNextRecount() throws Exception {
        queue = DurableQueue.open(QueueDatabase.open(dataDir), Map.of("hs", new QueueLimit(100, 1 << 20)), clock,
                Duration.ofSeconds(10), Duration.ofMillis(50));
        deadLetter("hs", "a", "invalid email");
        assertThat(queue.depth("hs")).isEqualTo(QueueDepth.EMPTY);

        // What the dead-letters command does: its own database handle, its own connections.
        DeadLetters fromCommand = new DeadLetters(QueueDatabase.open(dataDir), clock);
        assertThat(fromCommand.replay(Optional.empty())).isEqualTo(1);

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (queue.depth("hs").events() != 1) {
            assertThat(System.nanoTime()).as("recount within the deadline").isLessThan(deadline);
            Thread.sleep(10);
        }
        assertThat(queue.destination("hs").due(10)).extracting(QueuedEvent::eventId).containsExactly("a");
    }

    @Test
    void worksWithoutARunningHost() throws Exception {
        queue = DurableQueue.open(QueueDatabase.open(dataDir), Map.of("hs", new QueueLimit(100, 1 << 20)), clock);
        deadLetter("hs", "a", "invalid email");
        queue.close();
        queue = null;

        DeadLetters deadLetters = new DeadLetters(QueueDatabase.open(dataDir), clock);
        assertThat(deadLetters.replay(Optional.empty())).isEqualTo(1);
        assertThat(deadLetters.count(Optional.empty())).isZero();

        queue = DurableQueue.open(QueueDatabase.open(dataDir), Map.of("hs", new QueueLimit(100, 1 << 20)), clock);
        assertThat(queue.depth("hs").events()).isEqualTo(1);
        assertThat(queue.destination("hs").due(10)).extracting(QueuedEvent::eventId).containsExactly("a");
    }
}
