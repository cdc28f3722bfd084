package dev.sluice.hubspot.catalog;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class PropertyKeysTest {

    @Test
    void normalisesAsJitsuDid() {
        assertThat(PropertyKeys.normalise("First Name")).isEqualTo("first_name");
        assertThat(PropertyKeys.normalise("firstName")).isEqualTo("firstname");
        assertThat(PropertyKeys.normalise("email")).isEqualTo("email");
        assertThat(PropertyKeys.normalise(" email ")).isEqualTo("_email_");
        assertThat(PropertyKeys.normalise("utm--source..x")).isEqualTo("utm_source_x");
        assertThat(PropertyKeys.normalise("")).isEmpty();
        assertThat(PropertyKeys.normalise("---")).isEqualTo("_");
        assertThat(PropertyKeys.trimmed("_email_")).isEqualTo("email");
    }

    @Test
    void givesTheSameAsTheRuleWrittenAsARegularExpression() {
        Pattern rule = Pattern.compile("[^a-z0-9]+");
        for (String key : List.of("Plan Type", "ÄÖÜ straße", "naïve café", "emoji 😀 key", "tab\there", "ID", "a1_b2",
                "İstanbul", "__x__", "x😀😀y", "Ω")) {
            assertThat(PropertyKeys.normalise(key)).as(key)
                    .isEqualTo(rule.matcher(key.toLowerCase(Locale.ROOT)).replaceAll("_"));
        }
    }
}
