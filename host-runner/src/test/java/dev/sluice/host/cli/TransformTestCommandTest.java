package dev.sluice.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sluice transform test}: the dry run offline, from standard input. */
class TransformTestCommandTest {

    @TempDir
    Path dir;

    private Path plugins;
    private Path config;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void setUp() throws Exception {
        plugins = Files.createDirectories(dir.resolve("plugins"));
        TestDestPlugin.build(plugins);
        config = dir.resolve("sluice.yaml");
        Files.writeString(config, """
                api_keys:
                  - id: web
                    server_secret: s2s
                destinations:
                  my_dest:
                    type: testdest
                    mode: stream
                    config:
                      endpoint: https://example.com
                      token: abc
                    data_layout:
                      table_name_template: '$.user?.email'
                      transform: |
                        if ($.event_type === 'internal') return null;
                        if ($.event_type === 'boom') throw new Error('no booms');
                        return {...$, user: $.eventn_ctx?.user};
                """);
    }

    private int run(String stdin) throws Exception {
        HostPreparation preparation = new HostPreparation(Map.of(), Optional.empty(),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new TransformTestCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), preparation)
                .run(config, Optional.of(plugins), "my_dest");
    }

    @Test
    void showsEachEventAfterEnrichmentTransformAndTemplate() throws Exception {
        assertThat(run("[{\"event_type\":\"signup\",\"eventn_ctx\":{\"user\":{\"email\":\"a@b.c\"}}},"
                + "{\"event_type\":\"internal\"},{\"event_type\":\"boom\"},{\"event_type\":\"anon\"}]")).isZero();
        JsonNode answer = new ObjectMapper().readTree(out.toByteArray());
        assertThat(answer.get("destination").asText()).isEqualTo("my_dest");
        JsonNode events = answer.get("events");
        assertThat(events).hasSize(4);

        JsonNode queued = events.get(0);
        assertThat(queued.get("enriched").has("_timestamp")).isTrue();
        assertThat(queued.get("transform").get("events").get(0).get("user").get("email").asText()).isEqualTo("a@b.c");
        assertThat(queued.get("results").get(0).get("table_name").asText()).isEqualTo("a@b.c");
        assertThat(queued.get("outcome").asText()).isEqualTo("queued");

        assertThat(events.get(1).get("outcome").asText()).isEqualTo("skipped");
        assertThat(events.get(1).get("reason").asText()).isEqualTo("the transform returned null");

        assertThat(events.get(2).get("outcome").asText()).isEqualTo("dead letter");
        assertThat(events.get(2).get("reason").asText()).isEqualTo("data_layout.transform failed: Error: no booms (line 2)");

        // The transform kept it, the template skipped it: no user email.
        assertThat(events.get(3).get("outcome").asText()).isEqualTo("skipped");
        assertThat(events.get(3).get("results").get(0).get("reason").asText()).contains("table_name_template");
    }

    @Test
    void refusesABodyTheEventsApiWouldRefuse() throws Exception {
        assertThat(run("not json")).isEqualTo(SluiceMain.BAD_CONFIG_OR_USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("the events on standard input are refused");
    }
}
