package dev.sluice.emulator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PropertyCatalogTest {

    @Test
    void defaultCatalogHoldsHubSpotDefinedAndCustomExampleProperties() {
        PropertyCatalog catalog = PropertyCatalog.defaults();

        assertThat(catalog.names()).contains("email", "firstname", "lifecyclestage", "hs_object_id", "plan",
                "signup_date", "last_login", "is_paying", "seats", "favorite_features");
        assertThat(catalog.find("hs_object_id").orElseThrow().readOnly()).isTrue();
        assertThat(catalog.find("hs_email_domain").orElseThrow().readOnly()).isTrue();
        assertThat(catalog.find("firstname").orElseThrow().readOnly()).isFalse();
        assertThat(catalog.find("signup_date").orElseThrow().type()).isEqualTo("date");
    }

    @Test
    void acceptsTheReferenceFileLayout(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("c.json"), "{\"hubspotDefined\":[{\"name\":\"email\","
                + "\"type\":\"string\",\"fieldType\":\"text\"}],\"customExamples\":[{\"name\":\"score\","
                + "\"type\":\"number\",\"fieldType\":\"number\"}]}");

        assertThat(PropertyCatalog.fromFile(file).names()).containsExactly("email", "score");
    }

    @Test
    void refusesBadEntriesNamingThem(@TempDir Path dir) throws IOException {
        Path noType = Files.writeString(dir.resolve("a.json"), "[{\"name\":\"x\",\"fieldType\":\"text\"}]");
        Path badType = Files.writeString(dir.resolve("b.json"), "[{\"name\":\"x\",\"type\":\"blob\",\"fieldType\":\"text\"}]");
        Path empty = Files.writeString(dir.resolve("c.json"), "{}");

        assertThatThrownBy(() -> PropertyCatalog.fromFile(noType)).hasMessageContaining("property #1 (\"x\")")
                .hasMessageContaining("\"type\"");
        assertThatThrownBy(() -> PropertyCatalog.fromFile(badType)).hasMessageContaining("unknown type \"blob\"");
        assertThatThrownBy(() -> PropertyCatalog.fromFile(empty)).hasMessageContaining("holds no properties");
    }
}
