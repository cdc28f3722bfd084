package dev.sluice.host.ingest;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that prepare requests when routing runs JavaScript (a transform, or a template in
 * the engine): one per core, so a script never holds an HTTP IO thread, each thread keeps one warm
 * engine context per script, and requests are not parked on a worker thread while their commit is
 * awaited (they are handed to the queue without blocking, as on the IO threads).
 */
final class ScriptLane implements AutoCloseable {

    /** Requests waiting for or running on the script threads at most; more are answered 503. */
    static final int MAX_PENDING = 1024;

    private final ExecutorService executor;
    private final java.util.concurrent.Semaphore pending = new java.util.concurrent.Semaphore(MAX_PENDING);

    ScriptLane(int threads) {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "sluice-script-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        executor = Executors.newFixedThreadPool(threads, factory);
    }

    static ScriptLane perCore() {
        return new ScriptLane(Math.max(2, Runtime.getRuntime().availableProcessors()));
    }

    ExecutorService executor() {
        return executor;
    }

    /**
     * Takes a place for one request; false when {@link #MAX_PENDING} are already waiting or
     * running (slow scripts must not pile up requests without bound). Give it back with
     * {@link #release()} once the request's script work is done.
     */
    boolean tryReserve() {
        return pending.tryAcquire();
    }

    void release() {
        pending.release();
    }

    /** Stops taking work; what was handed in before still runs. */
    @Override
    public void close() {
        executor.shutdown();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
