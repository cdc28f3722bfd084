package dev.sluice.host.bench;

import dev.sluice.host.config.ApiKey;
import dev.sluice.host.config.ServerConfig;
import dev.sluice.host.ingest.IngestServer;
import dev.sluice.host.pipeline.AsyncEventSink;
import dev.sluice.host.pipeline.EventSink;
import dev.sluice.host.pipeline.RoutedEvent;
import dev.sluice.host.queue.DurableQueue;
import dev.sluice.host.queue.QueueDatabase;
import dev.sluice.host.queue.QueueLimit;
import dev.sluice.host.routing.DestinationRoute;
import dev.sluice.host.routing.Router;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.util.Headers;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Events API ingest throughput on this machine: the s2s route with the real durable queue (SQLite
 * group commit, {@code synchronous=NORMAL}), the same ingest path with a sink that stores nothing
 * (parse, enrich, route, serialize only), and the ceiling: the same Undertow setup answering
 * {@code {"status":"ok"}} straight from the IO thread without doing any work. Each is driven by N
 * concurrent senders over loopback keep-alive connections, one ~600-byte event per request; the
 * senders are plain sockets writing pre-built HTTP/1.1 requests, so the client costs little CPU
 * on a machine it shares with the server.
 *
 * <pre>
 * mvn -B -ntp -q -pl host-runner -am install -DskipTests
 * mvn -B -ntp -q -pl host-runner test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=dev.sluice.host.bench.IngestBenchmark [-Dexec.args="30000 8,32,64"]
 * </pre>
 * Arguments: requests per run (default 30000), the concurrency levels (default 8,32,64) and the
 * rounds (default 3). Each round runs the three servers one after the other at each level, every
 * run after a warm-up of a third as many requests; the table shows each figure's median over the
 * rounds, since other processes on a shared machine make single runs noisy.
 */
public final class IngestBenchmark {

    private static final String TOKEN = "bench-s2s-secret";
    private static final byte[] OK = "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8);

    private IngestBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 30_000;
        int[] levels = Arrays.stream((args.length > 1 ? args[1] : "8,32,64").split(","))
                .mapToInt(s -> Integer.parseInt(s.trim())).toArray();
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        System.out.printf("Ingest benchmark: %d requests of one %d-byte s2s event per run, median of %d rounds, "
                + "%d cores%n", requests, event(0).length, rounds, Runtime.getRuntime().availableProcessors());

        Path dataDir = Files.createTempDirectory("sluice-ingest-bench");
        List<ApiKey> keys = List.of(new ApiKey("bench", Optional.empty(), Optional.of(TOKEN), List.of()));
        Router router = Router.create(List.of(new DestinationRoute("hubspot", List.of(), Optional.of("$.user?.email"))));
        DurableQueue queue = DurableQueue.open(QueueDatabase.open(dataDir),
                // Nothing drains the queue here: no limit, so long runs never hit 503.
                Map.of("hubspot", new QueueLimit(Long.MAX_VALUE, Long.MAX_VALUE)), Clock.systemUTC());
        // Stores nothing, without blocking: measures the ingest path the way an AsyncEventSink is served.
        AsyncEventSink nothing = new AsyncEventSink() {
            @Override
            public CompletionStage<Void> enqueueAsync(List<RoutedEvent> events) {
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public void enqueue(List<RoutedEvent> events) {
            }
        };
        ServerConfig config = new ServerConfig("127.0.0.1", 0, ServerConfig.DEFAULT_MAX_EVENT_SIZE,
                ServerConfig.DEFAULT_MAX_BODY_SIZE);
        IngestServer durable = IngestServer.create(config, keys, router, queue);
        System.out.println("durable queue served " + (((EventSink) queue) instanceof AsyncEventSink
                ? "asynchronously (AsyncEventSink: answered from the IO threads)"
                : "by blocking worker threads (DurableQueue does not implement AsyncEventSink)"));
        IngestServer noStore = IngestServer.create(config, keys, router, nothing);
        Undertow ceiling = ceilingServer();
        durable.start();
        noStore.start();
        ceiling.start();
        int ceilingPort = ((InetSocketAddress) ceiling.getListenerInfo().get(0).getAddress()).getPort();
        try {
            Result[][][] results = new Result[levels.length][3][rounds];
            int[] ports = {ceilingPort, noStore.port(), durable.port()};
            for (int round = 0; round < rounds; round++) {
                for (int l = 0; l < levels.length; l++) {
                    for (int server = 0; server < 3; server++) {
                        results[l][server][round] = measure(ports[server], levels[l], requests);
                    }
                }
                System.out.printf("(round %d of %d done)%n", round + 1, rounds);
            }
            System.out.printf("%-11s | %-27s | %-27s | %-27s | %s%n", "concurrency", "ceiling (200, no work)",
                    "ingest, sink stores nothing", "ingest + durable queue", "durable/ceiling");
            System.out.printf("%-11s | %-27s | %-27s | %-27s |%n", "", "events/s  p50 ms  p99 ms",
                    "events/s  p50 ms  p99 ms", "events/s  p50 ms  p99 ms");
            for (int l = 0; l < levels.length; l++) {
                Result c = Result.median(results[l][0]);
                Result n = Result.median(results[l][1]);
                Result d = Result.median(results[l][2]);
                System.out.printf("%-11d | %s | %s | %s | %.2f%n", levels[l], c, n, d, d.perSecond / c.perSecond);
            }
        } finally {
            durable.stop(Duration.ofSeconds(5));
            noStore.stop(Duration.ofSeconds(5));
            ceiling.stop();
            queue.close();
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** The same Undertow setup as IngestServer's, answering on the IO thread once the body is read. */
    private static Undertow ceilingServer() {
        return Undertow.builder()
                .addHttpListener(0, "127.0.0.1")
                .setIoThreads(Math.max(2, Runtime.getRuntime().availableProcessors()))
                .setWorkerThreads(128)
                .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, 30_000)
                .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, 120_000)
                .setHandler(exchange -> exchange.getRequestReceiver().receiveFullBytes((ex, body) -> {
                    ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
                    ex.getResponseSender().send(ByteBuffer.wrap(OK));
                }))
                .build();
    }

    private record Result(double perSecond, double p50Millis, double p99Millis) {
        static Result median(Result[] runs) {
            return new Result(median(runs, Result::perSecond), median(runs, Result::p50Millis),
                    median(runs, Result::p99Millis));
        }

        private static double median(Result[] runs, java.util.function.ToDoubleFunction<Result> figure) {
            double[] values = Arrays.stream(runs).mapToDouble(figure).sorted().toArray();
            return values[values.length / 2];
        }

        @Override
        public String toString() {
            return String.format("%8.0f  %6.2f  %6.2f   ", perSecond, p50Millis, p99Millis);
        }
    }

    private static Result measure(int port, int senders, int requests) throws Exception {
        run(port, senders, Math.max(senders, requests / 3));
        return run(port, senders, requests);
    }

    private static Result run(int port, int senders, int requests) throws Exception {
        AtomicInteger next = new AtomicInteger();
        long[][] latencies = new long[senders][];
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        long start = System.nanoTime();
        for (int s = 0; s < senders; s++) {
            int sender = s;
            Thread thread = new Thread(() -> {
                try {
                    latencies[sender] = send(port, next, requests);
                } catch (Throwable e) {
                    failures.add(e);
                }
            }, "sender-" + s);
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
            throw new IllegalStateException("a sender failed", failures.get(0));
        }
        long[] all = Arrays.stream(latencies).flatMapToLong(Arrays::stream).sorted().toArray();
        return new Result(all.length / (elapsed / 1e9), all[(int) (all.length * 0.50)] / 1e6,
                all[Math.min(all.length - 1, (int) (all.length * 0.99))] / 1e6);
    }

    /** Sends requests over one keep-alive connection until {@code next} reaches the total. */
    private static long[] send(int port, AtomicInteger next, int total) throws IOException {
        long[] latencies = new long[total];
        int count = 0;
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream(), 4096);
            for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                byte[] request = request(i);
                long t0 = System.nanoTime();
                out.write(request);
                out.flush();
                int status = readResponse(in);
                latencies[count++] = System.nanoTime() - t0;
                if (status != 200) {
                    throw new IllegalStateException("request " + i + " answered " + status);
                }
            }
        }
        return Arrays.copyOf(latencies, count);
    }

    private static byte[] request(int i) {
        byte[] body = event(i);
        byte[] head = ("POST /api/v1/s2s/event?token=" + TOKEN + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/json\r\nUser-Agent: sluice-bench/1.0\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] request = Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, request, head.length, body.length);
        return request;
    }

    /** A JS-SDK-like identify event of about 600 bytes. */
    static byte[] event(int i) {
        return ("{\"event_id\":\"bench-" + i + "\",\"event_type\":\"user_identify\",\"user\":{\"anonymous_id\":"
                + "\"7f3c2a9e-" + (100000 + i % 900000) + "\",\"email\":\"user" + i + "@example.com\",\"name\":\"Ada "
                + "Lovelace\",\"company\":\"Analytical Engines Ltd\",\"plan\":\"pro\"},\"ids\":{\"ga\":\"GA1.2.19"
                + i + "\"},\"utc_time\":\"2026-03-04T05:06:07.089000Z\",\"local_tz_offset\":-60,\"url\":\"https://"
                + "www.example.com/pricing?utm_source=newsletter&utm_medium=email\",\"page_title\":\"Pricing - "
                + "Example\",\"doc_path\":\"/pricing\",\"doc_host\":\"www.example.com\",\"referer\":\"https://mail."
                + "example.net/\",\"screen_resolution\":\"1920x1080\",\"vp_size\":\"1440x900\",\"user_language\":"
                + "\"en-GB\",\"utm\":{\"source\":\"newsletter\",\"medium\":\"email\",\"campaign\":\"spring_sale\"},"
                + "\"click_id\":{},\"src\":\"jitsu\",\"revenue\":49.9,\"currency\":\"EUR\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Reads one HTTP/1.1 response with a Content-Length, returning its status. */
    private static int readResponse(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder(256);
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed mid-response");
            }
            head.append((char) b);
            matched = (b == '\r' || b == '\n') && "\r\n\r\n".charAt(matched) == b ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String text = head.toString();
        int status = Integer.parseInt(text.substring(9, 12));
        int length = 0;
        for (String line : text.split("\r\n")) {
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        if (in.readNBytes(length).length != length) {
            throw new IOException("connection closed mid-body");
        }
        return status;
    }
}
