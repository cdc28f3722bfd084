package dev.sluice.host.runtime;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.sluice.api.Destination;
import dev.sluice.api.DestinationException;
import dev.sluice.api.DestinationFactory;
import dev.sluice.api.Event;
import dev.sluice.api.Outcome;
import dev.sluice.api.config.DestinationConfig;
import dev.sluice.host.config.DeliverySettings;
import dev.sluice.host.config.DestinationSpec;
import dev.sluice.host.config.HostConfig;
import dev.sluice.host.config.ServerConfig;
import dev.sluice.host.config.ValidatedDestination;
import dev.sluice.host.config.ValidatedHost;
import dev.sluice.host.plugins.LoadedPlugin;
import dev.sluice.host.plugins.PluginRegistry;
import dev.sluice.host.plugins.RegisteredType;
import dev.sluice.host.testing.TestFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** "Sluice ready" is never logged after a destination's fatal start failure was reported. */
class HostReadyLogTest {

    private static final String REASON = "the access token was revoked; create a new one";

    @TempDir
    Path dir;

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger runtimeLog = (Logger) LoggerFactory.getLogger(HostRuntime.class);
    /** Stands for the CLI, which logs the failure when told (HostLauncher). */
    private final org.slf4j.Logger cli = LoggerFactory.getLogger("test.cli");

    @AfterEach
    void detach() {
        runtimeLog.detachAppender(logs);
        ((Logger) cli).detachAppender(logs);
    }

    /** Its destinations' start() fails for good at once. */
    private static DestinationFactory brokenFactory() {
        return TestFactories.stream("broken", context -> new Destination() {
            @Override
            public void start() throws DestinationException {
                throw new DestinationException(REASON, false);
            }

            @Override
            public List<Outcome> deliver(List<Event> batch) {
                return Collections.nCopies(batch.size(), Outcome.delivered());
            }
        });
    }

    @Test
    void aFatalStartFailureIsNeverFollowedBySluiceReady() throws Exception {
        logs.start();
        runtimeLog.addAppender(logs);
        ((Logger) cli).addAppender(logs);
        LoadedPlugin plugin = new LoadedPlugin("test", "1.0", dir.resolve("test.jar"), List.of("broken"),
                getClass().getClassLoader());
        ValidatedDestination bad = new ValidatedDestination(
                new DestinationSpec("bad", "broken", "stream", List.of(), Map.of(), Optional.empty(),
                        DeliverySettings.defaults()),
                new RegisteredType("broken", brokenFactory(), plugin),
                DestinationConfig.validate(List.of(), Map.of()), Optional.empty());
        HostConfig config = new HostConfig(dir.resolve("sluice.yaml"), new ServerConfig("127.0.0.1", 0, 51_200, 1 << 20),
                List.of(), List.of(), dir.resolve("plugins"), dir.resolve("data"));
        CountDownLatch told = new CountDownLatch(1);
        int port;

        try (HostRuntime runtime = HostRuntime.start(
                new ValidatedHost(config, PluginRegistry.builder().build(), List.of(bad), List.of()),
                Clock.systemUTC(), (id, message) -> {
                    cli.error("Destination '{}' cannot work with this config: {}", id, message);
                    told.countDown();
                })) {
            assertThat(told.await(10, TimeUnit.SECONDS)).as("the failure was reported").isTrue();
            port = runtime.port();
        }

        List<String> lines = List.copyOf(logs.list).stream().map(ILoggingEvent::getFormattedMessage).toList();
        int failure = indexOf(lines, "Destination 'bad' cannot work");
        int ready = indexOf(lines, "Sluice ready");
        int notReady = indexOf(lines, "Sluice is not ready");
        assertThat(failure).as("%s", lines).isNotNegative();
        if (ready >= 0) {
            // the failure came after the host was ready: ready was true when it was said
            assertThat(ready).as("%s", lines).isLessThan(failure);
            assertThat(notReady).as("%s", lines).isNegative();
        } else {
            assertThat(lines.get(notReady)).isEqualTo("Sluice is not ready: Events API on port " + port
                    + ", but a destination cannot start: {bad=" + REASON + "}");
        }
    }

    private static int indexOf(List<String> lines, String start) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(start)) {
                return i;
            }
        }
        return -1;
    }
}
