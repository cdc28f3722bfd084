package dev.sluice.webhook;

import dev.sluice.api.config.ConfigField;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/webhook.md documents every config field the factory declares, and the signature headers. */
class WebhookDocsTest {

    private static final Path DOC = Path.of(System.getProperty("user.dir")).resolve("../docs/webhook.md").normalize();

    @Test
    void documentsEveryConfigField() throws Exception {
        String doc = Files.readString(DOC);
        for (ConfigField field : new WebhookDestinationFactory().configFields()) {
            assertThat(doc).as("row for config field %s in %s", field.name(), DOC).contains("| `" + field.name() + "` |");
        }
        assertThat(doc).contains("X-Sluice-Signature", "X-Sluice-Timestamp", "type: webhook");
    }
}
