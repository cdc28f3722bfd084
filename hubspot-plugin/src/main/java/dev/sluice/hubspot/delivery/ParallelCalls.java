package dev.sluice.hubspot.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the chunks of one delivery (one HubSpot batch call each) up to {@code parallel_calls} at a
 * time. One call at a time cannot use HubSpot's budget: at a batch call's latency (tens to
 * hundreds of milliseconds) it carries far fewer than the 19 calls per second that 190 per 10 s
 * allow. The token's rate limiter still paces every call. Chunks are independent (each has its
 * inputs and its outcomes), so their order does not matter; {@link #forEachChunk} returns when
 * every chunk has finished.
 */
public final class ParallelCalls implements AutoCloseable {

    /** The work of one chunk. */
    @FunctionalInterface
    public interface ChunkWork<T> {
        void run(List<T> chunk) throws InterruptedException;
    }

    private final int parallelism;
    private final ExecutorService pool;

    /**
     * @param parallelism most calls in flight for one delivery; 1 runs every chunk on the caller's thread
     * @param threadName  prefix of the pool's thread names
     */
    public ParallelCalls(int parallelism, String threadName) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, not " + parallelism);
        }
        this.parallelism = parallelism;
        if (parallelism == 1) {
            this.pool = null;
        } else {
            AtomicInteger count = new AtomicInteger();
            ClassLoader pluginLoader = ParallelCalls.class.getClassLoader();
            this.pool = Executors.newFixedThreadPool(parallelism, r -> {
                Thread t = new Thread(r, threadName + "-" + count.incrementAndGet());
                t.setDaemon(true);
                t.setContextClassLoader(pluginLoader);
                return t;
            });
        }
    }

    public static ParallelCalls sequential() {
        return new ParallelCalls(1, "unused");
    }

    public boolean isSequential() {
        return parallelism == 1;
    }

    /** Splits {@code items} into chunks of {@code chunkSize} and runs {@code work} on each. */
    public <T> void forEachChunk(List<T> items, int chunkSize, ChunkWork<T> work) throws InterruptedException {
        List<List<T>> chunks = new ArrayList<>();
        for (int from = 0; from < items.size(); from += chunkSize) {
            chunks.add(items.subList(from, Math.min(items.size(), from + chunkSize)));
        }
        if (pool == null || chunks.size() <= 1) {
            for (List<T> chunk : chunks) {
                work.run(chunk);
            }
            return;
        }
        List<Future<?>> running = new ArrayList<>(chunks.size());
        for (List<T> chunk : chunks) {
            running.add(pool.submit(() -> {
                work.run(chunk);
                return null;
            }));
        }
        try {
            for (Future<?> f : running) {
                f.get();
            }
        } catch (InterruptedException e) {
            running.forEach(f -> f.cancel(true));
            throw e;
        } catch (ExecutionException e) {
            running.forEach(f -> f.cancel(true));
            Throwable cause = e.getCause();
            if (cause instanceof InterruptedException ie) {
                throw ie;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
