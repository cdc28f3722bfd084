package dev.sluice.connect;

import dev.sluice.api.config.ConfigField;
import dev.sluice.api.config.FieldType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BudgetSplitTest {

    private static final List<ConfigField> FIELDS = List.of(
            ConfigField.of("requests_per_10s", FieldType.INTEGER).defaultValue(100L),
            ConfigField.of("hub_id", FieldType.STRING));

    @Test
    void eachTaskGetsItsShareOfTheGivenBudgetAndTheTasksTogetherStayWithinIt() {
        List<Map<String, String>> configs = BudgetSplit.taskConfigs(Map.of("requests_per_10s", "190", "hub_id", "1"),
                FIELDS, List.of("requests_per_10s"), 3);

        assertThat(configs).hasSize(3).allSatisfy(c -> assertThat(c).containsEntry("requests_per_10s", "63")
                .containsEntry("hub_id", "1"));
        assertThat(configs).extracting(c -> c.get(ConnectorSettings.TASK_SHARE)).containsExactly("1/3", "2/3", "3/3");
    }

    @Test
    void theDefaultBudgetIsDividedWhenNoneIsGiven() {
        assertThat(BudgetSplit.taskConfigs(Map.of(), FIELDS, List.of("requests_per_10s"), 2))
                .allSatisfy(c -> assertThat(c).containsEntry("requests_per_10s", "50"));
    }

    @Test
    void everyTaskKeepsAtLeastOneAndUndeclaredOrNonNumericFieldsAreLeftAlone() {
        assertThat(BudgetSplit.taskConfigs(Map.of("requests_per_10s", "2"), FIELDS, List.of("requests_per_10s"), 5))
                .allSatisfy(c -> assertThat(c).containsEntry("requests_per_10s", "1"));
        assertThat(BudgetSplit.taskConfigs(Map.of("hub_id", "42"), FIELDS, List.of("hub_id", "nothing"), 2))
                .allSatisfy(c -> assertThat(c).containsEntry("hub_id", "42").doesNotContainKey("nothing"));
        assertThatThrownBy(() -> BudgetSplit.taskConfigs(Map.of(), FIELDS, List.of(), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
