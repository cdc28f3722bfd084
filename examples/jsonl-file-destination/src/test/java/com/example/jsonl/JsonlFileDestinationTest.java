package com.example.jsonl;

import dev.sluice.api.Destination;
import dev.sluice.api.Outcome;
import dev.sluice.api.config.DestinationConfig;
import dev.sluice.testkit.TestContext;
import dev.sluice.testkit.TestEvents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What this destination itself promises: one line per event, relative paths next to the config. */
class JsonlFileDestinationTest {

    @TempDir
    Path configFolder;

    @Test
    void appendsOneLinePerEventRelativeToTheConfigFolder() throws Exception {
        JsonlFileDestinationFactory factory = new JsonlFileDestinationFactory();
        DestinationConfig config = DestinationConfig.validate(factory.configFields(), Map.of("path", "out/events.jsonl"));
        try (Destination destination = factory.create(
                new TestContext("file", "stream", config, Clock.systemUTC(), configFolder))) {
            destination.start();
            List<Outcome> outcomes = destination.deliver(List.of(TestEvents.identify("ada@example.com"),
                    TestEvents.track("purchase", "ada@example.com", Map.of("revenue", 9.5))));
            assertEquals(List.of(Outcome.delivered(), Outcome.delivered()), outcomes);
        }
        List<String> lines = Files.readAllLines(configFolder.resolve("out/events.jsonl"));
        assertEquals(2, lines.size());
        assertTrue(lines.get(0).contains("\"event_type\":\"user_identify\""), lines.get(0));
        assertTrue(lines.get(1).contains("\"revenue\":9.5"), lines.get(1));
    }
}
