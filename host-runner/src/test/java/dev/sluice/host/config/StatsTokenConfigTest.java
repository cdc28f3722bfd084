package dev.sluice.host.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** {@code server.stats_token}. */
class StatsTokenConfigTest {

    private static final String TOKEN = "stats-secret-value-42";

    @TempDir
    Path dir;

    private ServerConfig server(String yaml) throws Exception {
        return new ConfigLoader(Map.of("SLUICE_STATS_TOKEN", TOKEN))
                .load(Files.writeString(dir.resolve("sluice.yaml"), yaml)).config().server();
    }

    @Test
    void isReadFromTheEnvironmentAndMaskedInToString() throws Exception {
        ServerConfig server = server("server:\n  stats_token: ${env:SLUICE_STATS_TOKEN}\n");
        assertThat(server.statsToken()).contains(TOKEN);
        assertThat(server.toString()).contains("stats_token=****").doesNotContain(TOKEN);
    }

    @Test
    void isEmptyWhenMissingOrBlank() throws Exception {
        assertThat(server("server:\n  port: 9000\n").statsToken()).isEmpty();
        assertThat(server("server:\n  stats_token: ''\n").statsToken()).isEmpty();
        assertThat(ServerConfig.defaults().statsToken()).isEqualTo(Optional.empty());
    }

    @Test
    void aListIsAnErrorThatNamesTheFieldButNotTheValue() throws Exception {
        Path file = Files.writeString(dir.resolve("sluice.yaml"), "server:\n  stats_token: [" + TOKEN + "]\n");
        InvalidHostConfigException e = catchThrowableOfType(InvalidHostConfigException.class,
                () -> new ConfigLoader(Map.of()).load(file));
        assertThat(e.problems()).extracting(HostConfigProblem::toString)
                .containsExactly(file + ": server.stats_token: must be a single value");
        assertThat(e.getMessage()).doesNotContain(TOKEN);
    }
}
