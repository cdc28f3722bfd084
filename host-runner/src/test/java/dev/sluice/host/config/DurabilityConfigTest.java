package dev.sluice.host.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** {@code server.durability}. */
class DurabilityConfigTest {

    @TempDir
    Path dir;

    private LoadedConfig load(String yaml) throws Exception {
        return new ConfigLoader(Map.of("DURABILITY", "full")).load(Files.writeString(dir.resolve("sluice.yaml"), yaml));
    }

    @Test
    void isNormalWhenNotSet() throws Exception {
        assertThat(load("server:\n  port: 9000\n").config().server().durability()).isEqualTo(Durability.NORMAL);
        assertThat(load("destinations: {}\n").config().server().durability()).isEqualTo(Durability.NORMAL);
    }

    @Test
    void readsNormalAndFullInAnyCaseWithoutAWarning() throws Exception {
        LoadedConfig full = load("server:\n  durability: full\n");
        assertThat(full.config().server().durability()).isEqualTo(Durability.FULL);
        assertThat(full.warnings()).extracting(HostConfigProblem::toString)
                .noneMatch(w -> w.contains("durability"));
        assertThat(load("server:\n  durability: NORMAL\n").config().server().durability())
                .isEqualTo(Durability.NORMAL);
        assertThat(load("server:\n  durability: ' Full '\n").config().server().durability())
                .isEqualTo(Durability.FULL);
    }

    @Test
    void readsTheValueFromTheEnvironment() throws Exception {
        assertThat(load("server:\n  durability: ${env:DURABILITY}\n").config().server().durability())
                .isEqualTo(Durability.FULL);
    }

    @Test
    void refusesAnyOtherValueNamingTheField() throws Exception {
        for (String value : new String[] {"fsync", "true", "2"}) {
            Path file = Files.writeString(dir.resolve("sluice.yaml"), "server:\n  durability: " + value + "\n");
            InvalidHostConfigException e = catchThrowableOfType(InvalidHostConfigException.class,
                    () -> new ConfigLoader(Map.of()).load(file));
            assertThat(e).as(value).isNotNull();
            assertThat(e.problems()).extracting(HostConfigProblem::toString)
                    .containsExactly(file + ": server.durability: must be normal or full, not '" + value + "'");
        }
    }

    @Test
    void refusesAMapNamingTheField() throws Exception {
        Path file = Files.writeString(dir.resolve("sluice.yaml"), "server:\n  durability: {level: full}\n");
        InvalidHostConfigException e = catchThrowableOfType(InvalidHostConfigException.class,
                () -> new ConfigLoader(Map.of()).load(file));
        assertThat(e.problems()).extracting(HostConfigProblem::toString)
                .containsExactly(file + ": server.durability: must be a single value, not a map");
    }

    @Test
    void theFourArgumentServerConfigKeepsTheDefault() {
        assertThat(new ServerConfig("127.0.0.1", 1, 2, 3).durability()).isEqualTo(Durability.NORMAL);
        assertThat(ServerConfig.defaults().durability()).isEqualTo(Durability.NORMAL);
    }
}
