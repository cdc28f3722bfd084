package dev.sluice.host.cli;

import dev.sluice.host.testing.Await;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.api.DestinationFactory;
import dev.sluice.api.Event;
import dev.sluice.api.Outcome;
import dev.sluice.host.embed.EmbeddedHost;
import dev.sluice.host.testing.TestFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code sluice dead-letters list|show|replay|delete} and {@code queue list} through the command
 * line, against a host that runs (and then against the same data dir with the host stopped), with
 * the host's {@code ${env:...}} values unset for the commands.
 */
class StoredQueueCommandsTest {

    private static final String SECRET = "s2s-secret-for-cli-test";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    /** Rejects purchases while {@link #rejectPurchases} is set, retries identifies in a day, delivers the rest. */
    private final AtomicBoolean rejectPurchases = new AtomicBoolean(true);

    private final DestinationFactory judge = TestFactories.stream("judge", context -> {
        return events -> {
            List<Outcome> outcomes = new ArrayList<>();
            for (Event e : events) {
                String type = String.valueOf(e.get("event_type").orElse(""));
                outcomes.add(switch (type) {
                    case "purchase" -> rejectPurchases.get()
                            ? Outcome.rejected("property 'amount' is not a number") : Outcome.delivered();
                    case "identify" -> Outcome.retry("HubSpot answered 502\nBad Gateway",
                            Instant.now().plus(Duration.ofDays(1)));
                    default -> Outcome.delivered();
                });
            }
            return outcomes;
        };
    });

    private int sluice(String... args) {
        out.reset();
        err.reset();
        // No environment at all: the config's ${env:SLUICE_STATS_TOKEN} is unset for the commands.
        return new SluiceMain(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), Optional.empty(),
                new HostLauncher(new CountDownLatch(1), false, Clock.systemUTC())).run(args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private List<JsonNode> jsonLines() throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : out().split("\n")) {
            if (!line.isBlank()) {
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }

    private Path config() throws Exception {
        return Files.writeString(dir.resolve("sluice.yaml"), """
                server:
                  bind: 127.0.0.1
                  port: 0
                  data_dir: state
                  stats_token: ${env:SLUICE_STATS_TOKEN}
                api_keys:
                  - id: backend
                    server_secret: ${env:SLUICE_SERVER_SECRET}
                destinations:
                  crm:
                    type: judge
                    mode: stream
                    delivery:
                      linger: 0s
                """);
    }

    private static void post(EmbeddedHost host, String body) throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(host.baseUri() + "api/v1/s2s/event")).timeout(Duration.ofSeconds(5))
                .header("X-Auth-Token", SECRET).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    }


    @Test
    void everyCommandWorksWhileTheHostRunsAndAfterItStopped() throws Exception {
        Path config = config();
        String cfg = config.toString();
        try (EmbeddedHost host = EmbeddedHost.builder(config).noPluginsDir().factory(judge)
                .env(Map.of("SLUICE_STATS_TOKEN", "stats-token-x", "SLUICE_SERVER_SECRET", SECRET)).start()) {
            post(host, "{\"event_type\":\"purchase\",\"event_id\":\"p-1\",\"user\":{\"email\":\"ann@example.com\"}}");
            post(host, "{\"event_type\":\"purchase\",\"event_id\":\"p-2\",\"eventn_ctx\":{\"user\":{\"anonymous_id\":\"anon-7\"}}}");
            post(host, "{\"event_type\":\"identify\",\"event_id\":\"i-1\",\"user\":{\"anonymous_id\":\"anon-1\"}}");
            post(host, "{\"event_type\":\"pageview\",\"event_id\":\"v-1\"}");
            Await.until(() -> host.destination("crm").deadLettered() == 2 && host.destination("crm").retried() >= 1
                    && host.destination("crm").delivered() == 1, "2 dead letters, 1 retry, 1 delivered");

            // list: one line per dead letter, with the event's type and user besides the reason.
            assertThat(sluice("dead-letters", "list", "--config", cfg)).as(err()).isZero();
            assertThat(err()).contains("using its server.data_dir only");
            assertThat(out()).contains("id\tdestination\tevent_id\tevent_type\tuser\tattempts\tdead_lettered_at\treason")
                    .containsPattern("\\d+\tcrm\tp-1\tpurchase\tann@example.com\t1\t\\S+\tproperty 'amount' is not a number")
                    .containsPattern("\\d+\tcrm\tp-2\tpurchase\tanonymous:anon-7\t1\t")
                    .contains("2 dead letters").doesNotContain(SECRET);

            // --json: one object per line, all fields, the event included.
            assertThat(sluice("dead-letters", "list", "--config", cfg, "--json")).isZero();
            List<JsonNode> letters = jsonLines();
            assertThat(letters).hasSize(2);
            JsonNode first = letters.get(0);
            assertThat(first.get("destination").asText()).isEqualTo("crm");
            assertThat(first.get("event_id").asText()).isEqualTo("p-1");
            assertThat(first.get("reason").asText()).isEqualTo("property 'amount' is not a number");
            assertThat(first.get("attempts").asInt()).isEqualTo(1);
            assertThat(first.get("event").get("user").get("email").asText()).isEqualTo("ann@example.com");
            assertThat(first.get("event").get("api_key").asText()).isEqualTo("backend");
            Instant deadLetteredAt = Instant.parse(first.get("dead_lettered_at").asText());
            assertThat(first.get("first_attempt_at").isNull()).isFalse();
            long firstId = first.get("id").asLong();
            long secondId = letters.get(1).get("id").asLong();

            // --limit and --since.
            assertThat(sluice("dead-letters", "list", "--config", cfg, "--json", "--limit", "1")).isZero();
            assertThat(jsonLines()).extracting(n -> n.get("id").asLong()).containsExactly(firstId);
            assertThat(sluice("dead-letters", "list", "--config", cfg, "--limit=1")).isZero();
            assertThat(out()).contains("1 shown of 2 dead letters; --limit 1");
            assertThat(sluice("dead-letters", "list", "--config", cfg, "--json", "--since", "1h")).isZero();
            assertThat(jsonLines()).hasSize(2);
            assertThat(sluice("dead-letters", "list", "--config", cfg, "--since",
                    deadLetteredAt.plusSeconds(3600).toString())).isZero();
            assertThat(out()).contains("0 shown of 2 dead letters; shown: dead-lettered since");

            // show: the stored event with its reason, attempts and times.
            assertThat(sluice("dead-letters", "show", "--config", cfg, String.valueOf(firstId))).isZero();
            JsonNode shown = JSON.readTree(out());
            assertThat(shown.get("reason").asText()).isEqualTo("property 'amount' is not a number");
            assertThat(shown.get("attempts").asInt()).isEqualTo(1);
            assertThat(shown.get("event").get("event_type").asText()).isEqualTo("purchase");
            assertThat(out()).contains("\n  \"reason\"");
            assertThat(sluice("dead-letters", "show", "--config", cfg, "999")).isEqualTo(1);
            assertThat(err()).contains("there is no dead letter 999");

            // queue list: what waits, with attempts, next attempt and last reason.
            assertThat(sluice("queue", "list", "--config", cfg)).isZero();
            assertThat(out()).containsPattern("\\d+\tcrm\ti-1\tidentify\tanonymous:anon-1\t1\t20\\d\\d-\\S+Z\t"
                    + "HubSpot answered 502 Bad Gateway").contains("1 queued event");
            assertThat(sluice("queue", "list", "--config", cfg, "--destination", "crm", "--json")).isZero();
            JsonNode queued = jsonLines().get(0);
            assertThat(queued.get("event_id").asText()).isEqualTo("i-1");
            assertThat(queued.get("due").asBoolean()).isFalse();
            assertThat(queued.get("last_reason").asText()).isEqualTo("HubSpot answered 502\nBad Gateway");

            // replay one by id: the destination now takes purchases, so it is delivered.
            rejectPurchases.set(false);
            assertThat(sluice("dead-letters", "replay", "--config", cfg, "--id", String.valueOf(firstId))).isZero();
            assertThat(out()).contains("replayed 1 dead letter;");
            Await.until(() -> host.destination("crm").delivered() == 2, "the replayed dead letter delivered");

            // an id that is not there changes nothing.
            assertThat(sluice("dead-letters", "delete", "--config", cfg, "--id", String.valueOf(firstId),
                    String.valueOf(secondId))).isEqualTo(1);
            assertThat(err()).contains("no dead letter with id " + firstId + "; nothing was changed");
            assertThat(sluice("dead-letters", "delete", "--config", cfg, "--id", String.valueOf(secondId))).isZero();
            assertThat(out()).contains("deleted 1 dead letter; they are gone for good");
            assertThat(sluice("dead-letters", "list", "--config", cfg)).isZero();
            assertThat(out()).contains("0 dead letters");
        }

        // With the host stopped: --all for one destination, and the queue is still listed.
        rejectPurchases.set(true);
        try (EmbeddedHost host = EmbeddedHost.builder(config).noPluginsDir().factory(judge)
                .env(Map.of("SLUICE_STATS_TOKEN", "stats-token-x", "SLUICE_SERVER_SECRET", SECRET)).start()) {
            post(host, "{\"event_type\":\"purchase\",\"event_id\":\"p-3\"}");
            post(host, "{\"event_type\":\"purchase\",\"event_id\":\"p-4\"}");
            Await.until(() -> host.destination("crm").deadLettered() == 2, "2 more dead letters");
        }
        assertThat(sluice("queue", "list", "--config", cfg, "--limit", "5")).isZero();
        assertThat(out()).contains("\ti-1\tidentify\t");
        assertThat(sluice("dead-letters", "list", "--config", cfg)).isZero();
        assertThat(out()).contains("\tp-3\tpurchase\tanonymous:").contains("\tp-4\t").contains("2 dead letters");
        assertThat(sluice("dead-letters", "delete", "--config", cfg, "--destination", "crm", "--all")).isZero();
        assertThat(out()).contains("deleted 2 dead letters for crm");
        assertThat(sluice("dead-letters", "replay", "--config", cfg, "--destination", "crm")).isZero();
        assertThat(out()).contains("replayed 0 dead letters for crm");
    }

    @Test
    void usageErrorsNameTheOptionAndWhatIsExpected() throws Exception {
        String cfg = config().toString();
        assertThat(sluice("dead-letters", "delete", "--config", cfg)).isEqualTo(2);
        assertThat(err()).contains("dead-letters delete needs either --id ID ... or --destination ID --all");
        assertThat(sluice("dead-letters", "delete", "--config", cfg, "--all")).isEqualTo(2);
        assertThat(err()).contains("dead-letters delete --all needs --destination ID");
        assertThat(sluice("dead-letters", "delete", "--config", cfg, "--all", "--id", "3")).isEqualTo(2);
        assertThat(err()).contains("needs either --id ID ... or --destination ID --all");
        assertThat(sluice("dead-letters", "show", "--config", cfg)).isEqualTo(2);
        assertThat(err()).contains("dead-letters show needs the dead letter's id");
        assertThat(sluice("dead-letters", "show", "abc", "--config", cfg)).isEqualTo(2);
        assertThat(err()).contains("needs a dead letter id (a positive number from dead-letters list), not 'abc'");
        assertThat(sluice("dead-letters", "list", "--config", cfg, "--limit", "0")).isEqualTo(2);
        assertThat(err()).contains("--limit needs a positive number, not '0'");
        assertThat(sluice("dead-letters", "list", "--config", cfg, "--since", "yesterday")).isEqualTo(2);
        assertThat(err()).contains("--since needs a time like 2026-12-06T10:00:00Z");
        assertThat(sluice("dead-letters", "replay", "--config", cfg, "--json")).isEqualTo(2);
        assertThat(err()).contains("--json is not an option of 'dead-letters replay' (it takes --destination, --id)");
        assertThat(sluice("queue", "retry-now", "--config", cfg, "--limit", "3")).isEqualTo(2);
        assertThat(err()).contains("--limit is not an option of 'queue retry-now'");
        assertThat(sluice("dead-letters", "purge", "--config", cfg)).isEqualTo(2);
        assertThat(err()).contains("dead-letters needs 'list', 'show', 'replay' or 'delete', not 'purge'");
        assertThat(sluice("queue", "list", "--config", cfg, "--plugins", "p")).isEqualTo(2);
        assertThat(err()).contains("--plugins is only for run, check and transform");
    }

    @Test
    void withNoQueueDatabaseYetListsAreEmptyAndIdsAreNotFound() throws Exception {
        String cfg = config().toString();
        assertThat(sluice("dead-letters", "list", "--config", cfg, "--json")).isZero();
        assertThat(out()).isEmpty();
        assertThat(sluice("queue", "list", "--config", cfg)).isZero();
        assertThat(out()).contains("nothing queued: there is no queue database in");
        assertThat(sluice("dead-letters", "show", "--config", cfg, "1")).isEqualTo(1);
        assertThat(err()).contains("there is no queue database in");
        assertThat(Files.exists(dir.resolve("state"))).isFalse();
    }
}
