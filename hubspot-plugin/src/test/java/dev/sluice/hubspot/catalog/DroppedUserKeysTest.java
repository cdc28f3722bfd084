package dev.sluice.hubspot.catalog;

import dev.sluice.hubspot.http.RecordingLogger;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DroppedUserKeysTest {

    private static final List<String> PROPERTIES = List.of("email", "firstname", "lastname", "company", "company_name",
            "phone", "mobilephone", "date_of_birth", "zip");

    private final RecordingLogger logger = new RecordingLogger();

    @Test
    void theClosestNameIsTheOneEqualButForUnderscoresElseANearSpelling() {
        assertThat(DroppedUserKeys.closest("last_name", PROPERTIES)).contains("lastname");
        assertThat(DroppedUserKeys.closest("first_name", PROPERTIES)).contains("firstname");
        assertThat(DroppedUserKeys.closest("_mobile_phone_", PROPERTIES)).contains("mobilephone");
        assertThat(DroppedUserKeys.closest("dateofbirth", PROPERTIES)).contains("date_of_birth");
        assertThat(DroppedUserKeys.closest("emial", PROPERTIES)).as("a transposition is two edits").isEmpty();
        assertThat(DroppedUserKeys.closest("compan", PROPERTIES)).contains("company");
        assertThat(DroppedUserKeys.closest("companyname", PROPERTIES)).contains("company_name");
        assertThat(DroppedUserKeys.closest("shoe_size", PROPERTIES)).isEmpty();
        assertThat(DroppedUserKeys.closest("zi", PROPERTIES)).as("one edit on a short name").contains("zip");
        assertThat(DroppedUserKeys.closest("ab", PROPERTIES)).isEmpty();
        assertThat(DroppedUserKeys.closest("___", PROPERTIES)).isEmpty();
    }

    @Test
    void editDistanceStopsAtTheLimit() {
        assertThat(DroppedUserKeys.distance("kitten", "sitting", 3)).isEqualTo(3);
        assertThat(DroppedUserKeys.distance("kitten", "sitting", 2)).isEqualTo(3);
        assertThat(DroppedUserKeys.distance("abc", "abc", 1)).isZero();
        assertThat(DroppedUserKeys.distance("a", "abcdef", 2)).isEqualTo(3);
    }

    @Test
    void eachKeyIsLoggedOnceAndCountedEveryTime() {
        DroppedUserKeys keys = new DroppedUserKeys(logger);
        for (int i = 0; i < 5; i++) {
            keys.record("Last Name", "last_name", "no such contact property", () -> PROPERTIES);
        }
        keys.record("lastName2", "lastname2", "no such contact property", () -> PROPERTIES);
        assertThat(keys.counts()).containsExactly(Map.entry("Last Name", 5L), Map.entry("lastName2", 1L));
        assertThat(keys.total()).isEqualTo(6);
        assertThat(logger.messages()).hasSize(2);
        assertThat(logger.messages().get(1)).contains("User key 'lastName2' (as HubSpot name 'lastname2')")
                .contains("Did you mean 'lastname'?");
    }

    @Test
    void theCandidatesAreOnlyAskedForTheFirstTimeAKeyIsSeen() {
        DroppedUserKeys keys = new DroppedUserKeys(logger);
        int[] asked = {0};
        for (int i = 0; i < 3; i++) {
            keys.record("x_y", "x_y", "no such contact property", () -> {
                asked[0]++;
                return PROPERTIES;
            });
        }
        assertThat(asked[0]).isEqualTo(1);
    }

    @Test
    void jitsusOwnIdentityKeysAreCountedButNotWarnedAbout() {
        DroppedUserKeys keys = new DroppedUserKeys(logger);
        keys.record("anonymous_id", "anonymous_id", "no such contact property", () -> PROPERTIES);
        keys.record("hashed_anonymous_id", "hashed_anonymous_id", "no such contact property", () -> PROPERTIES);
        assertThat(keys.total()).isEqualTo(2);
        assertThat(logger.entries()).allSatisfy(e -> assertThat(e.level()).isEqualTo(System.Logger.Level.DEBUG));
    }

    @Test
    void distinctKeysAreCappedAndTheRestCountedTogetherWithOneLine() {
        DroppedUserKeys keys = new DroppedUserKeys(logger);
        for (int i = 0; i < DroppedUserKeys.MAX_KEYS + 50; i++) {
            keys.record("k" + i, "k" + i, "no such contact property", List::of);
        }
        keys.record("k1", "k1", "no such contact property", List::of);
        Map<String, Long> counts = keys.counts();
        assertThat(counts).hasSize(DroppedUserKeys.MAX_KEYS + 1).containsEntry(DroppedUserKeys.OTHER_KEYS, 50L)
                .containsEntry("k1", 2L);
        assertThat(keys.total()).isEqualTo(DroppedUserKeys.MAX_KEYS + 51L);
        assertThat(logger.messages()).hasSize(DroppedUserKeys.MAX_KEYS + 1);
        assertThat(logger.messages().get(DroppedUserKeys.MAX_KEYS)).startsWith("More than 1000 distinct user keys");
    }

    @Test
    void controlCharactersAndLongKeysCannotForgeOrFloodLogLines() {
        DroppedUserKeys keys = new DroppedUserKeys(logger);
        keys.record("evil\nINFO fake line", "evil_info_fake_line", "no such contact property", List::of);
        keys.record("x".repeat(500), "x".repeat(500), "no such contact property", List::of);
        assertThat(logger.messages().get(0)).doesNotContain("\n").contains("'evil?INFO fake line'");
        assertThat(logger.messages().get(1)).contains("'" + "x".repeat(100) + "...'").doesNotContain("x".repeat(101));
    }
}
