package dev.sluice.bench;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/**
 * A sustained open-loop stream: one thread posting requests of {@code perRequest} events to the
 * s2s route at a target rate of events per second, until stopped. Used to keep a destination's
 * queue non-empty while its delivery rate is measured.
 */
final class PacedFeeder implements AutoCloseable {

    private final Thread thread;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    /** When each request (by the index of its first event) was answered 200 by ingest. */
    private final Map<Integer, Instant> answeredAt = new ConcurrentHashMap<>();

    /**
     * @param body builds the body of the request carrying events {@code [i, i + perRequest)} from i
     */
    PacedFeeder(int port, String path, double eventsPerSecond, int perRequest, IntFunction<byte[]> body) {
        thread = new Thread(() -> {
            long start = System.nanoTime();
            try (LoopbackConnection connection = new LoopbackConnection(port)) {
                int next = 0;
                while (!stop.get()) {
                    long due = start + (long) (next / eventsPerSecond * 1e9);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                        continue;
                    }
                    int status = connection.exchange(LoopbackConnection.post(path, body.apply(next)));
                    if (status != 200) {
                        throw new IllegalStateException("ingest answered " + status);
                    }
                    answeredAt.put(next, Instant.now());
                    next += perRequest;
                    sent.set(next);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "bench-feeder");
        thread.setDaemon(true);
        thread.start();
    }

    /** When ingest answered 200 to the request whose first event is {@code firstEvent}, if it has. */
    Instant answeredAt(int firstEvent) {
        return answeredAt.get(firstEvent);
    }

    long sent() {
        return sent.get();
    }

    /** Throws what stopped the feeder, if anything did. */
    void check() {
        Throwable t = failure.get();
        if (t != null) {
            throw new IllegalStateException("the event feeder failed: " + t, t);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        thread.join(30_000);
    }
}
