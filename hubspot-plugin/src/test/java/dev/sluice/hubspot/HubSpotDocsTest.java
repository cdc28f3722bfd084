package dev.sluice.hubspot;

import dev.sluice.api.config.ConfigField;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/hubspot.md documents every config field the factory declares, and its default filter (as events-api.md does). */
class HubSpotDocsTest {

    private static final Path DOC = Path.of(System.getProperty("user.dir")).resolve("../docs/hubspot.md").normalize();

    @Test
    void documentsEveryConfigFieldAndTheDefaultTemplate() throws Exception {
        String doc = Files.readString(DOC);
        HubSpotDestinationFactory factory = new HubSpotDestinationFactory();

        for (ConfigField field : factory.configFields()) {
            assertThat(doc).as("row for config field %s in %s", field.name(), DOC).contains("| `" + field.name() + "` |");
        }
        assertThat(doc).contains("`" + HubSpotDestinationFactory.DEFAULT_TABLE_NAME_TEMPLATE + "`");
    }

    @Test
    void theEventsApiPageNamesTheSameDefaultTemplate() throws Exception {
        String doc = Files.readString(DOC.resolveSibling("events-api.md"));

        assertThat(doc).contains("(HubSpot: `" + HubSpotDestinationFactory.DEFAULT_TABLE_NAME_TEMPLATE + "`");
    }
}
