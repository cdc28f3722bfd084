package dev.sluice.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * N senders, each on its own keep-alive connection, sending the next request as soon as the
 * previous one is answered, until a total is reached: throughput and latency at concurrency N.
 */
final class ClosedLoopLoad {

    /** Requests per second and latency percentiles of one run. */
    record Result(double perSecond, double p50Millis, double p99Millis) {
        static Result median(List<Result> runs) {
            return new Result(median(runs, Result::perSecond), median(runs, Result::p50Millis),
                    median(runs, Result::p99Millis));
        }

        private static double median(List<Result> runs, java.util.function.ToDoubleFunction<Result> figure) {
            double[] values = runs.stream().mapToDouble(figure).sorted().toArray();
            return values[values.length / 2];
        }
    }

    private ClosedLoopLoad() {
    }

    /** A warm-up of a third of the requests, then the measured run. */
    static Result measure(int port, int senders, int requests, IntFunction<byte[]> request) throws Exception {
        run(port, senders, Math.max(senders, requests / 3), request);
        return run(port, senders, requests, request);
    }

    static Result run(int port, int senders, int requests, IntFunction<byte[]> request) throws Exception {
        AtomicInteger next = new AtomicInteger();
        long[][] latencies = new long[senders][];
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        long start = System.nanoTime();
        for (int s = 0; s < senders; s++) {
            int sender = s;
            Thread thread = new Thread(() -> {
                try {
                    latencies[sender] = send(port, next, requests, request);
                } catch (Throwable e) {
                    failures.add(e);
                }
            }, "bench-sender-" + s);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join(Duration.ofMinutes(5).toMillis());
            if (thread.isAlive()) {
                throw new IllegalStateException("a sender did not finish within 5 minutes");
            }
        }
        long elapsed = System.nanoTime() - start;
        if (!failures.isEmpty()) {
            throw new IllegalStateException("a sender failed: " + failures.get(0), failures.get(0));
        }
        long[] all = Arrays.stream(latencies).flatMapToLong(Arrays::stream).sorted().toArray();
        return new Result(all.length / (elapsed / 1e9), all[(int) (all.length * 0.50)] / 1e6,
                all[Math.min(all.length - 1, (int) (all.length * 0.99))] / 1e6);
    }

    private static long[] send(int port, AtomicInteger next, int total, IntFunction<byte[]> request) throws Exception {
        long[] latencies = new long[total];
        int count = 0;
        try (LoopbackConnection connection = new LoopbackConnection(port)) {
            for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                byte[] bytes = request.apply(i);
                long t0 = System.nanoTime();
                int status = connection.exchange(bytes);
                latencies[count++] = System.nanoTime() - t0;
                if (status != 200) {
                    throw new IllegalStateException("request " + i + " answered " + status);
                }
            }
        }
        return Arrays.copyOf(latencies, count);
    }
}
