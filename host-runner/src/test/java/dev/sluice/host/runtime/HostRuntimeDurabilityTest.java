package dev.sluice.host.runtime;

import dev.sluice.host.config.Durability;
import dev.sluice.host.config.HostConfig;
import dev.sluice.host.config.ServerConfig;
import dev.sluice.host.config.ValidatedHost;
import dev.sluice.host.plugins.PluginRegistry;
import dev.sluice.host.queue.QueueDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code server.durability} reaches the queue database the running host opens. */
class HostRuntimeDurabilityTest {

    @TempDir
    Path dir;

    private HostRuntime start(Durability durability) throws Exception {
        HostConfig config = new HostConfig(dir.resolve("sluice.yaml"),
                new ServerConfig("127.0.0.1", 0, 51_200, 1 << 20, durability), List.of(), List.of(),
                dir.resolve("plugins"), dir.resolve("data"));
        return HostRuntime.start(new ValidatedHost(config, PluginRegistry.builder().build(), List.of(), List.of()),
                Clock.systemUTC(), (id, message) -> { });
    }

    @Test
    void fullOpensTheQueueWithSynchronousFull() throws Exception {
        try (HostRuntime runtime = start(Durability.FULL)) {
            assertThat(runtime.queue().database().synchronous()).isEqualTo(QueueDatabase.Synchronous.FULL);
        }
    }

    @Test
    void normalOpensTheQueueWithSynchronousNormal() throws Exception {
        try (HostRuntime runtime = start(Durability.NORMAL)) {
            assertThat(runtime.queue().database().synchronous()).isEqualTo(QueueDatabase.Synchronous.NORMAL);
        }
    }

    @Test
    void everyDurabilityMapsToItsOwnLevel() {
        assertThat(HostRuntime.synchronous(Durability.NORMAL)).isEqualTo(QueueDatabase.Synchronous.NORMAL);
        assertThat(HostRuntime.synchronous(Durability.FULL)).isEqualTo(QueueDatabase.Synchronous.FULL);
    }
}
