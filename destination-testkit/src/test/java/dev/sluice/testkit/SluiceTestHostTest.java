package dev.sluice.testkit;

import dev.sluice.host.embed.DestinationStatus;
import dev.sluice.host.embed.StoredDeadLetter;
import dev.sluice.host.plugins.PluginJarBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The in-process host: real Events API, real queue, real delivery. */
class SluiceTestHostTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path work;

    @BeforeEach
    void clear() {
        KitPlugins.DELIVERED.clear();
    }

    @Test
    void eventsPostedOverHttpReachTheDestinationAndRejectionsAreDeadLettered() {
        try (SluiceTestHost host = SluiceTestHost.builder()
                .factory(new KitPlugins.GoodFactory())
                .destination("out", "kit_good", Map.of("endpoint", "memory", "token", "host-test-token",
                        "reject_type", "bad_event"))
                .start()) {
            assertThat(host.send(Map.of("event_type", "signup", "user", Map.of("email", "ada@example.com"))))
                    .isEqualTo(200);
            assertThat(host.sendJson("[{\"event_type\":\"page\"},{\"event_type\":\"bad_event\"}]")).isEqualTo(200);

            DestinationStatus status = host.awaitDelivered("out", 2, WAIT);
            assertThat(status.delivered()).isEqualTo(2);
            assertThat(KitPlugins.DELIVERED).extracting(e -> e.eventType().orElseThrow())
                    .containsExactlyInAnyOrder("signup", "page");
            // the host enriched them as Jitsu does before the destination saw them
            assertThat(KitPlugins.DELIVERED.get(0).getString("/eventn_ctx_event_id")).isPresent();

            List<StoredDeadLetter> dead = host.awaitDeadLetters("out", 1, WAIT);
            assertThat(dead).singleElement().satisfies(d -> {
                assertThat(d.reason()).isEqualTo("events of type bad_event are refused here");
                assertThat(d.eventJson()).contains("\"event_type\":\"bad_event\"");
            });
        }
    }

    @Test
    void aBadTokenIsRefusedLikeTheRealHostDoes() {
        try (SluiceTestHost host = SluiceTestHost.builder().factory(new KitPlugins.GoodFactory())
                .destination("out", "kit_good", Map.of("endpoint", "memory", "token", "host-test-token")).start()) {
            assertThat(host.post("/api/v1/s2s/event?token=wrong", "{\"event_type\":\"x\"}")).isEqualTo(401);
            assertThat(host.status("out").queuedEvents()).isZero();
        }
    }

    @Test
    void anInvalidConfigFailsToStartNamingTheField() {
        assertThatThrownBy(() -> SluiceTestHost.builder().factory(new KitPlugins.GoodFactory())
                .destination("out", "kit_good", Map.of("endpoint", "memory")).start())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Sluice did not start")
                .hasMessageContaining("destination 'out'")
                .hasMessageContaining("token");
    }

    @Test
    void aPluginJarRunsInItsOwnClassLoader() {
        Path jar = PluginJarBuilder.jar(work, "isolated.jar").source("com.example.iso.IsoFactory",
                PluginJarBuilder.factorySource("com.example.iso.IsoFactory", "iso", "\"Iso\"", "")).build();
        try (SluiceTestHost host = SluiceTestHost.builder().pluginJar(jar)
                .destination("iso_out", "iso", Map.of("endpoint", "e", "token", "jar-test-token")).start()) {
            assertThat(host.send(Map.of("event_type", "a"))).isEqualTo(200);
            assertThat(host.send(Map.of("event_type", "b"))).isEqualTo(200);
            assertThat(host.awaitDelivered("iso_out", 2, WAIT).queuedEvents()).isZero();
        }
    }

    @Test
    void aWaitThatTimesOutSaysWhatItWaitedForAndTheLastStatus() {
        try (SluiceTestHost host = SluiceTestHost.builder().factory(new KitPlugins.GoodFactory())
                .destination("out", "kit_good", Map.of("endpoint", "memory", "token", "host-test-token")).start()) {
            assertThatThrownBy(() -> host.awaitDelivered("out", 1, Duration.ofMillis(200)))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("destination 'out': not 1 delivered within PT0.2S; last status");
        }
    }
}
