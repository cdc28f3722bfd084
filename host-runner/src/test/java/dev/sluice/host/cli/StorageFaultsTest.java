package dev.sluice.host.cli;

import dev.sluice.host.testing.Await;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.sluice.api.DestinationFactory;
import dev.sluice.api.Outcome;
import dev.sluice.host.embed.EmbeddedHost;
import dev.sluice.host.embed.EmbeddedHostException;
import dev.sluice.host.pipeline.RoutedEvent;
import dev.sluice.host.queue.DurableQueue;
import dev.sluice.host.queue.QueueDatabase;
import dev.sluice.host.queue.QueueLimit;
import dev.sluice.host.testing.TestFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Storage faults seen from outside, on a running host: a store that cannot write (health 503 and
 * back, the log bounded), a data dir removed under the host, and a damaged database file that the
 * host refuses and {@code sluice queue recover} salvages.
 */
class StorageFaultsTest {

    private static final String SECRET = "s2s-secret-storage";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private final AtomicLong delivered = new AtomicLong();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    private final DestinationFactory counter = TestFactories.stream("counter", context -> {
        return events -> {
            delivered.addAndGet(events.size());
            return events.stream().map(e -> Outcome.delivered()).toList();
        };
    });

    @BeforeEach
    void attach() {
        logs.start();
        root.addAppender(logs);
    }

    @AfterEach
    void detach() {
        root.detachAppender(logs);
    }

    private Path config() throws Exception {
        return Files.writeString(dir.resolve("sluice.yaml"), """
                server:
                  bind: 127.0.0.1
                  port: 0
                  data_dir: data
                api_keys:
                  - id: backend
                    server_secret: %s
                destinations:
                  crm:
                    type: counter
                    mode: stream
                    delivery:
                      linger: 0s
                """.formatted(SECRET));
    }

    private EmbeddedHost start(Path config) throws EmbeddedHostException {
        return EmbeddedHost.builder(config).noPluginsDir().factory(counter).start();
    }

    private static HttpResponse<String> post(EmbeddedHost host, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(host.baseUri() + "api/v1/s2s/event"))
                .timeout(Duration.ofSeconds(15)).header("X-Auth-Token", SECRET)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int healthStatus(EmbeddedHost host) {
        try {
            return health(host).statusCode();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> health(EmbeddedHost host) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(host.baseUri() + "health")).timeout(Duration.ofSeconds(5))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String stats(EmbeddedHost host) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(host.baseUri() + "api/v1/stats")).timeout(Duration.ofSeconds(5))
                .header("X-Auth-Token", SECRET).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static void sql(Path database, String statement) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database); Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout = 10000");
            s.execute(statement);
        }
    }

    private long errorLinesFrom(String loggerSuffix) {
        return logLines().stream().filter(e -> e.getLevel() == Level.ERROR && e.getLoggerName().endsWith(loggerSuffix))
                .count();
    }

    /** What was logged so far, copied under the appender's lock (the host's threads add under it). */
    private List<ILoggingEvent> logLines() {
        synchronized (logs) {
            return List.copyOf(logs.list);
        }
    }

    @Test
    void aStoreThatCannotWriteMakesHealth503WithOneLogLineAndHealsByItself() throws Exception {
        try (EmbeddedHost host = start(config())) {
            assertThat(post(host, "{\"event_type\":\"before\"}").statusCode()).isEqualTo(200);
            Path database = dir.resolve("data").resolve(QueueDatabase.FILE_NAME);
            // An injected store failure: every insert into the queue now fails inside SQLite.
            sql(database, "CREATE TRIGGER no_room BEFORE INSERT ON queue_items "
                    + "BEGIN SELECT RAISE(FAIL, 'injected: no room'); END");

            // Events are answered 200 once appended to the queue log; the first ones after the fault
            // are (they wait in the log, safe), and once moving them into queue.db failed, the
            // host refuses more: 503 with the store's reason.
            int acceptedDuring = 0;
            for (int i = 0; i < 100; i++) {
                HttpResponse<String> answer = post(host, "{\"event_type\":\"during\"}");
                if (answer.statusCode() == 200 && i < 50) {
                    acceptedDuring++;
                    Await.until(() -> healthStatus(host) == 503, "the failed move noticed");
                    continue;
                }
                assertThat(answer.statusCode()).isEqualTo(503);
                assertThat(answer.body()).contains("\"message\"").contains("injected: no room");
            }
            assertThat(acceptedDuring).as("accepted before the store was found refusing").isLessThan(5);
            HttpResponse<String> sick = health(host);
            assertThat(sick.statusCode()).isEqualTo(503);
            // /health takes no token: it says what, the stats say where and why.
            assertThat(sick.body()).contains("the queue cannot store events; see /api/v1/stats")
                    .doesNotContain(database.toString());
            assertThat(stats(host)).contains("the queue cannot store events: cannot use " + database)
                    .contains("injected: no room");
            // 100 refused requests, one line: no stack trace per request.
            assertThat(errorLinesFrom("StoreHealth")).isEqualTo(1);
            List<ILoggingEvent> lines = logLines();
            assertThat(lines).noneSatisfy(e -> assertThat(e.getLoggerName()).endsWith("GroupCommitWriter"));
            assertThat(lines.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                    .filter(e -> e.getThrowableProxy() != null)).isEmpty();

            sql(database, "DROP TRIGGER no_room");
            // The writer tries the waiting move again every 50 ms: the store heals by itself.
            Await.until(() -> healthStatus(host) == 200, "the store healed");
            assertThat(post(host, "{\"event_type\":\"after\"}").statusCode()).isEqualTo(200);
            assertThat(logLines()).anySatisfy(e -> assertThat(e.getFormattedMessage())
                    .startsWith("The queue stores events again, after"));
            int expected = 2 + acceptedDuring;
            Await.until(Duration.ofSeconds(15), () -> delivered.get() == expected,
                    "the events before and after delivered, and those accepted into the log during the fault");
        }
    }

    @Test
    void aDataDirRemovedUnderTheHostStopsItAcceptingEvents() throws Exception {
        try (EmbeddedHost host = start(config())) {
            assertThat(post(host, "{\"event_type\":\"before\"}").statusCode()).isEqualTo(200);
            Path data = dir.resolve("data");
            try (var files = Files.walk(data)) {
                for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(f);
                }
            }
            Await.until(Duration.ofSeconds(15), () -> {
                try {
                    return health(host).statusCode() == 503;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "health says 503");
            assertThat(health(host).body()).contains("the queue cannot store events");
            assertThat(stats(host)).contains("the data dir " + data + " was removed while the host ran")
                    .contains("restart the host");
            HttpResponse<String> refused = post(host, "{\"event_type\":\"after\"}");
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.body()).contains("was removed");
        }
    }

    @Test
    void aDamagedDatabaseIsRefusedByNameAndRecoverSalvagesWhatItCanRead() throws Exception {
        Path config = config();
        Path data = dir.resolve("data");
        int total = 3000;
        try (DurableQueue queue = DurableQueue.open(QueueDatabase.open(data),
                Map.of("crm", new QueueLimit(1_000_000, 1L << 30)), Clock.systemUTC())) {
            List<RoutedEvent> events = new ArrayList<>();
            for (int i = 0; i < total; i++) {
                String id = String.format("evt-%05d", i);
                events.add(new RoutedEvent("crm", id, ("{\"event_type\":\"pageview\",\"eventn_ctx_event_id\":\"" + id
                        + "\",\"pad\":\"" + "p".repeat(200) + "\"}").getBytes(StandardCharsets.UTF_8)));
            }
            queue.enqueue(events);
        }
        // Damage the page that holds event 1500: its b-tree page header becomes garbage.
        Path database = data.resolve(QueueDatabase.FILE_NAME);
        byte[] bytes = Files.readAllBytes(database);
        int at = new String(bytes, StandardCharsets.ISO_8859_1).indexOf("evt-01500");
        assertThat(at).as("event 1500 is in the main database file").isPositive();
        int page = 4096;
        try (RandomAccessFile file = new RandomAccessFile(database.toFile(), "rw")) {
            file.seek((long) (at / page) * page);
            file.write(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
                    (byte) 0xFF, (byte) 0xFF});
        }

        assertThatThrownBy(() -> start(config)).isInstanceOfSatisfying(EmbeddedHostException.class, e ->
                assertThat(String.join("\n", e.problems()))
                        .contains("the queue database " + database + " is damaged")
                        .contains("Sluice will not use a damaged queue database")
                        .contains("sluice queue recover --config " + config));

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new SluiceMain(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), Optional.empty(),
                new HostLauncher(new CountDownLatch(1), false, Clock.systemUTC()))
                .run("queue", "recover", "--config", config.toString());
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(printed).contains("moved the damaged database aside to " + data.resolve("damaged-"))
                .contains("(kept, never deleted)").contains("could not read the rows with ids queue_items ");
        java.util.regex.Matcher saved = java.util.regex.Pattern.compile("salvaged (\\d+) queued events").matcher(printed);
        assertThat(saved.find()).as(printed).isTrue();
        long salvaged = Long.parseLong(saved.group(1));
        // One page of about 16 events is lost; everything else comes back.
        assertThat(salvaged).isBetween(total - 100L, total - 1L);
        try (var aside = Files.list(data)) {
            Path moved = aside.filter(p -> p.getFileName().toString().startsWith("damaged-")).findFirst().orElseThrow();
            assertThat(moved.resolve(QueueDatabase.FILE_NAME)).exists();
        }

        try (var left = Files.list(data)) {
            assertThat(left.map(p -> p.getFileName().toString())).as("the working copy is cleaned up")
                    .noneMatch(n -> n.startsWith(".recover-"));
        }
        // A second run finds the fresh database intact and changes nothing.
        out.reset();
        assertThat(new SluiceMain(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), Optional.empty(),
                new HostLauncher(new CountDownLatch(1), false, Clock.systemUTC()))
                .run("queue", "recover", "--config", config.toString())).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("is not damaged").contains(salvaged + " queued events")
                .contains("nothing was changed");

        try (EmbeddedHost host = start(config)) {
            Await.until(Duration.ofSeconds(15), () -> delivered.get() == salvaged, "every salvaged event delivered");
        }
    }
}
