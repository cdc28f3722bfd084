package com.example.jsonl;

import dev.sluice.testkit.PluginJarAssertions;
import dev.sluice.testkit.SluiceTestHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shaded JAR, as users install it: loaded like the host loads it, then run in a real Sluice. */
class JsonlFilePluginIT {

    @TempDir
    Path folder;

    @Test
    void theJarLoadsAndCreatesAsTheHostDoes() {
        PluginJarAssertions.assertShippable(PluginJarAssertions.builtJar(), "jsonl_file", "stream",
                Map.of("path", folder.resolve("check.jsonl").toString()));
    }

    @Test
    void anEventPostedToSluiceLandsInTheFile() throws Exception {
        Path file = folder.resolve("events.jsonl");
        try (SluiceTestHost host = SluiceTestHost.builder()
                .pluginJar(PluginJarAssertions.builtJar())
                .destination("file", "jsonl_file", Map.of("path", file.toString()))
                .start()) {
            assertEquals(200, host.send(Map.of("event_type", "signup", "user", Map.of("email", "ada@example.com"))));
            host.awaitDelivered("file", 1, Duration.ofSeconds(10));
        }
        List<String> lines = Files.readAllLines(file);
        assertEquals(1, lines.size());
        assertTrue(lines.get(0).contains("\"email\":\"ada@example.com\""), lines.get(0));
    }
}
