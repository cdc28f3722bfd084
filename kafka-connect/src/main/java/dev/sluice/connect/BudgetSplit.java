package dev.sluice.connect;

import dev.sluice.api.config.ConfigField;
import dev.sluice.api.config.FieldType;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Divides cluster-wide budgets among a connector's tasks. Kafka Connect shares nothing between
 * tasks (they may run on different workers), but a budget such as HubSpot's
 * {@code requests_per_10s} is per token across everything that uses it. So each task gets
 * {@code budget / tasks} (at least 1) and the tasks together never exceed the budget.
 *
 * <p>The price: a task whose partitions are idle leaves its share unused, so with uneven load the
 * cluster stays below the budget. Each task's plugin still learns from the remote system's
 * answers (HubSpot's {@code X-HubSpot-RateLimit-*} headers, 429s), which only ever lower its pace.
 */
final class BudgetSplit {

    private BudgetSplit() {
    }

    /**
     * One config per task: the connector's properties with each budget field divided.
     *
     * @param budgetFields names of whole-number fields to divide; fields the type does not declare
     *                     are ignored
     */
    static List<Map<String, String>> taskConfigs(Map<String, String> props, List<ConfigField> declared,
                                                 List<String> budgetFields, int tasks) {
        if (tasks < 1) {
            throw new IllegalArgumentException("tasks must be at least 1, not " + tasks);
        }
        Map<String, String> shared = new HashMap<>(props);
        for (String name : budgetFields) {
            DestinationFields.find(declared, name).filter(f -> f.type() == FieldType.INTEGER && !f.secret())
                    .ifPresent(field -> total(field, props).ifPresent(total ->
                            shared.put(name, Long.toString(Math.max(1, total / tasks)))));
        }
        List<Map<String, String>> configs = new ArrayList<>(tasks);
        for (int i = 0; i < tasks; i++) {
            Map<String, String> config = new HashMap<>(shared);
            config.put(ConnectorSettings.TASK_SHARE, (i + 1) + "/" + tasks);
            configs.add(config);
        }
        return configs;
    }

    private static java.util.Optional<Long> total(ConfigField field, Map<String, String> props) {
        String given = props.get(field.name());
        if (given != null && !given.isBlank()) {
            try {
                return java.util.Optional.of(Long.parseLong(given.trim()));
            } catch (NumberFormatException e) {
                return java.util.Optional.empty(); // validation reports it, naming the field
            }
        }
        return field.defaultValue().filter(Number.class::isInstance).map(v -> ((Number) v).longValue());
    }
}
