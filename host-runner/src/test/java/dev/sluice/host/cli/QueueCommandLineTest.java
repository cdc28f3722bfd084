package dev.sluice.host.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code sluice queue retry-now} on the command line: help, usage errors, dispatch. */
class QueueCommandLineTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int sluice(String... args) {
        out.reset();
        err.reset();
        return new SluiceMain(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), Optional.empty(),
                new HostLauncher(new CountDownLatch(1), false, Clock.systemUTC())).run(args);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpListsQueueRetryNow() {
        assertThat(sluice("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("queue retry-now --config FILE [--destination ID]")
                .contains("--destination ID  only this destination (dead-letters, queue)");
    }

    @Test
    void refusesAMissingOrUnknownActionAndAMissingConfig() {
        assertThat(sluice("queue", "--config", "x.yaml")).isEqualTo(2);
        assertThat(err()).contains("sluice: queue needs 'retry-now', 'list' or 'recover'");
        assertThat(sluice("queue", "retry-later", "--config", "x.yaml")).isEqualTo(2);
        assertThat(err()).contains("sluice: queue needs 'retry-now', 'list' or 'recover', not 'retry-later'");
        assertThat(sluice("queue", "retry-now")).isEqualTo(2);
        assertThat(err()).contains("sluice: queue needs --config FILE");
        assertThat(sluice("run", "--config", "x.yaml", "--destination", "hs")).isEqualTo(2);
        assertThat(err()).contains("sluice: --destination is only for dead-letters, queue and transform");
        assertThat(sluice("transform", "--config", "x.yaml", "--destination", "hs")).isEqualTo(2);
        assertThat(err()).contains("sluice: transform needs 'test'");
        assertThat(sluice("transform", "test", "--config", "x.yaml")).isEqualTo(2);
        assertThat(err()).contains("sluice: transform needs 'test' and --destination ID");
        assertThat(sluice("transform", "try", "--config", "x.yaml", "--destination", "hs")).isEqualTo(2);
        assertThat(err()).contains("sluice: transform needs 'test', not 'try'");
    }

    @Test
    void runsRetryNowWithADestination() throws Exception {
        Path config = Files.writeString(dir.resolve("sluice.yaml"), "server:\n  data_dir: state\n");
        assertThat(sluice("queue", "retry-now", "--config", config.toString(), "--destination=hs")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("made 0 events due: there is no queue database in "
                + dir.resolve("state").toAbsolutePath());
    }
}
