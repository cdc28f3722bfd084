package com.example.jsonl;

import dev.sluice.api.DestinationFactory;
import dev.sluice.testkit.DestinationContractTest;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

/** Everything the host relies on, checked by the Sluice test kit: one class, two methods. */
class JsonlFileContractTest extends DestinationContractTest {

    @TempDir
    Path folder;

    @Override
    protected DestinationFactory factory() {
        return new JsonlFileDestinationFactory();
    }

    @Override
    protected Map<String, Object> validConfig() {
        return Map.of("path", folder.resolve("events.jsonl").toString());
    }
}
