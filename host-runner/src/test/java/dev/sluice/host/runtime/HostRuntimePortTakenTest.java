package dev.sluice.host.runtime;

import dev.sluice.host.config.HostConfig;
import dev.sluice.host.config.ServerConfig;
import dev.sluice.host.config.ValidatedHost;
import dev.sluice.host.plugins.PluginRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** A taken port is reported with the settings to change, as far as the CLI's message. */
class HostRuntimePortTakenTest {

    @TempDir
    Path dir;

    @Test
    void aTakenPortNamesServerBindAndServerPort() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            HostConfig config = new HostConfig(dir.resolve("sluice.yaml"),
                    new ServerConfig("127.0.0.1", port, 51_200, 1 << 20), List.of(), List.of(),
                    dir.resolve("plugins"), dir.resolve("data"));
            ValidatedHost host = new ValidatedHost(config, PluginRegistry.builder().build(), List.of(), List.of());

            HostStartException e = catchThrowableOfType(HostStartException.class,
                    () -> HostRuntime.start(host, Clock.systemUTC(), (id, message) -> { }).close());

            assertThat(e).isNotNull();
            assertThat(e.getMessage()).isEqualTo("cannot serve on 127.0.0.1:" + port
                    + " (server.bind / server.port): Address already in use");
        }
    }
}
