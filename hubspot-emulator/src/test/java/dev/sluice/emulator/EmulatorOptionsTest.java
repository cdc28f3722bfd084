package dev.sluice.emulator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmulatorOptionsTest {

    @Test
    void defaultsAreLoopbackPort8090AndTheDefaultHub() {
        EmulatorOptions options = EmulatorOptions.parse();

        assertThat(options.port()).isEqualTo(8090);
        assertThat(options.bind()).isEqualTo("127.0.0.1");
        assertThat(options.hubId()).isEqualTo(20546336L);
        assertThat(options.rateLimit()).isEqualTo(100);
        assertThat(options.tokens()).isEmpty();
    }

    @Test
    void parsesEveryFlagInBothForms(@TempDir Path dir) throws IOException {
        Path catalog = Files.writeString(dir.resolve("props.json"), "[{\"name\":\"email\",\"type\":\"string\","
                + "\"fieldType\":\"text\"}]");

        EmulatorOptions options = EmulatorOptions.parse("--port", "0", "--bind=0.0.0.0", "--hub-id", "42",
                "--properties", catalog.toString(), "--rate-limit=5", "--daily-limit", "9", "--tokens", "a, b",
                "--multi-status", "--journal-size", "50");

        assertThat(options.port()).isZero();
        assertThat(options.bind()).isEqualTo("0.0.0.0");
        assertThat(options.hubId()).isEqualTo(42);
        assertThat(options.propertiesFile()).isEqualTo(catalog);
        assertThat(options.rateLimit()).isEqualTo(5);
        assertThat(options.dailyLimit()).isEqualTo(9);
        assertThat(options.tokens()).containsExactly("a", "b");
        assertThat(options.multiStatus()).isTrue();
        assertThat(options.journalSize()).isEqualTo(50);
    }

    @Test
    void refusesBadFlagsWithClearMessages() {
        assertThatThrownBy(() -> EmulatorOptions.parse("--port", "x")).hasMessage("--port must be a whole number, got \"x\"");
        assertThatThrownBy(() -> EmulatorOptions.parse("--rate-limit")).hasMessage("--rate-limit needs a value");
        assertThatThrownBy(() -> EmulatorOptions.parse("--colour")).hasMessage("Unknown option --colour");
        assertThatThrownBy(() -> EmulatorOptions.parse("--properties", "/no/such/file.json"))
                .hasMessage("--properties: file not found: /no/such/file.json");
    }

    @Test
    void builtEmulatorUsesTheOptionsAndPrintsWhereItListens(@TempDir Path dir) throws IOException {
        Path catalog = Files.writeString(dir.resolve("props.json"), "{\"results\":[{\"name\":\"email\","
                + "\"type\":\"string\",\"fieldType\":\"text\"},{\"name\":\"tier\",\"type\":\"enumeration\","
                + "\"fieldType\":\"select\",\"options\":[{\"label\":\"A\",\"value\":\"a\"}]}]}");
        EmulatorOptions options = EmulatorOptions.parse("--port", "0", "--hub-id", "42", "--properties",
                catalog.toString(), "--tokens", "secret-one");
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        try (HubSpotEmulator emulator = options.toBuilder().build().start()) {
            HubSpotEmulatorMain.printBanner(new PrintStream(out, true, StandardCharsets.UTF_8), emulator, options);

            assertThat(emulator.hubId()).isEqualTo(42);
            assertThat(emulator.eventDefinitions()).extracting(EventDefinition::fullyQualifiedName)
                    .contains("pe42_purchase");
            String banner = out.toString(StandardCharsets.UTF_8);
            assertThat(banner).contains(emulator.baseUrl()).contains("/_emulator/contacts").doesNotContain("secret-one");
        }
    }
}
