package dev.sluice.host.ingest;

import static dev.sluice.host.ingest.IngestTestServer.SERVER_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.host.config.ServerConfig;
import dev.sluice.host.pipeline.AsyncEventSink;
import dev.sluice.host.pipeline.QueueFullException;
import dev.sluice.host.pipeline.RoutedEvent;
import dev.sluice.host.routing.DestinationRoute;
import dev.sluice.host.routing.Router;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An IO thread hands the sink every request it read in one round of reading its connections
 * together ({@code enqueueAllAsync}), and each request still gets its own answer.
 */
class IoThreadBatchingTest {

    /**
     * Records each call's requests; once held, every call waits for {@link #release} (bounded),
     * as a slow disk would.
     */
    private static final class GroupSink implements AsyncEventSink {
        volatile boolean held;
        /** Thrown by every call while set, as a broken sink would. */
        volatile Throwable failWith;
        final List<List<String>> calls = new CopyOnWriteArrayList<>();
        final List<String> callThreads = new CopyOnWriteArrayList<>();
        final CountDownLatch firstCall = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public List<CompletionStage<Void>> enqueueAllAsync(List<List<RoutedEvent>> requests) {
            if (failWith instanceof RuntimeException e) {
                throw e;
            }
            if (failWith instanceof Error e) {
                throw e;
            }
            List<String> bodies = new ArrayList<>();
            List<CompletionStage<Void>> stages = new ArrayList<>();
            for (List<RoutedEvent> events : requests) {
                String json = new String(events.get(0).json(), StandardCharsets.UTF_8);
                bodies.add(json);
                stages.add(json.contains("\"refuse\":true")
                        ? CompletableFuture.failedFuture(new QueueFullException("all", "queue all is full"))
                        : CompletableFuture.completedFuture(null));
            }
            if (!held) {
                return stages;
            }
            calls.add(bodies);
            callThreads.add(Thread.currentThread().getName());
            firstCall.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return stages;
        }

        @Override
        public CompletionStage<Void> enqueueAsync(List<RoutedEvent> events) {
            throw new AssertionError("an IO thread hands requests over with enqueueAllAsync");
        }

        @Override
        public void enqueue(List<RoutedEvent> events) {
            throw new AssertionError("no blocking call expected");
        }
    }

    private final GroupSink sink = new GroupSink();
    private final List<Socket> sockets = new ArrayList<>();
    private IngestServer server;

    @BeforeEach
    void start() throws Exception {
        Router router = Router.create(List.of(new DestinationRoute("all", List.of(), Optional.empty())));
        server = new IngestServer(new ServerConfig("127.0.0.1", 0, 200_000, 1 << 20),
                new ApiKeyTokens(IngestTestServer.defaultKeys()),
                new EventIngestor(200_000, EventEnricher.standard(), router, sink));
        server.start();
    }

    @AfterEach
    void stop() throws Exception {
        sink.release.countDown();
        for (Socket s : sockets) {
            s.close();
        }
        server.stop(Duration.ofSeconds(5));
    }

    private static void send(Socket socket, String body) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String head = "POST /api/v1/s2s/event?token=" + SERVER_SECRET + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + bytes.length + "\r\n\r\n";
        OutputStream out = socket.getOutputStream();
        out.write((head + body).getBytes(StandardCharsets.UTF_8)); // one write: one segment on loopback
        out.flush();
    }

    /** Reads one whole answer (head and body) and returns its status. */
    private static int status(Socket socket) throws Exception {
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            assertThat(b).as("an answer, head so far: %s", head).isNotNegative();
            head.append((char) b);
        }
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring("content-length:".length()).trim());
            }
        }
        assertThat(in.readNBytes(length)).hasSize(length);
        return Integer.parseInt(head.toString().split(" ")[1]);
    }

    @Test
    void aSinkThatThrowsGetsEveryRequestOfTheRoundAnswered500() throws Exception {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
        socket.setSoTimeout(10_000);
        sockets.add(socket);

        sink.failWith = new IllegalStateException("sink broke");
        send(socket, "{\"n\":1}");
        assertThat(status(socket)).isEqualTo(500);
        sink.failWith = new LinkageError("sink broke harder");
        send(socket, "{\"n\":2}");
        assertThat(status(socket)).isEqualTo(500);
        sink.failWith = null;
        send(socket, "{\"n\":3}");
        assertThat(status(socket)).as("the IO thread still stores").isEqualTo(200);
    }

    @Test
    void requestsReadInOneRoundAreStoredTogetherAndAnsweredEachOnItsOwn() throws Exception {
        // While the sink is held, each IO thread makes at most two calls with the requests below
        // (one before it is held, one for all it read meanwhile), so with more requests than two per
        // IO thread some call carries several. (That assumes loopback has put each request in the
        // server's socket buffer when the sender's write returns, as Linux does unless its network
        // work is deferred to ksoftirqd; twice as many requests as needed leave room for that.)
        int connections = 4 * IngestServer.IO_THREADS + 4;
        for (int i = 0; i < connections; i++) {
            Socket s = new Socket();
            s.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
            s.setSoTimeout(10_000);
            sockets.add(s);
        }
        // Every connection served once (so each is registered with its IO thread) before the test.
        for (Socket s : sockets) {
            send(s, "{\"warm\":true}");
            assertThat(status(s)).isEqualTo(200);
        }
        sink.held = true;
        // The first request's store holds its IO thread (as every store does until released) ...
        send(sockets.get(0), "{\"n\":0}");
        assertThat(sink.firstCall.await(10, TimeUnit.SECONDS)).as("the sink was called").isTrue();
        // ... while the others arrive; one of them is refused by the sink.
        int refused = connections / 2;
        for (int i = 1; i < connections; i++) {
            send(sockets.get(i), i == refused ? "{\"n\":" + i + ",\"refuse\":true}" : "{\"n\":" + i + "}");
        }
        sink.release.countDown();

        for (int i = 0; i < connections; i++) {
            assertThat(status(sockets.get(i))).as("answer to request " + i).isEqualTo(i == refused ? 503 : 200);
        }
        List<String> stored = sink.calls.stream().flatMap(List::stream).toList();
        assertThat(stored).as("every request handed over once").hasSize(connections);
        for (int i = 0; i < connections; i++) {
            String n = "\"n\":" + i + ",";
            assertThat(stored.stream().filter(json -> json.contains(n)).count()).as("request " + i).isEqualTo(1);
        }
        assertThat(sink.calls.stream().mapToInt(List::size).max().orElse(0))
                .as("some call carried several requests: %s", sink.calls.stream().map(List::size).toList())
                .isGreaterThan(1);
        assertThat(sink.callThreads).allSatisfy(thread -> assertThat(thread).contains("I/O"));
    }
}
