package dev.sluice.connect;

import dev.sluice.api.DestinationFactory;
import dev.sluice.api.config.ConfigField;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Kafka Connect sink that runs a Sluice destination plugin: records of Sluice event JSON go to
 * the destination through the same SPI the Sluice host uses, with the same outcomes. The plugin
 * JAR is loaded from a plugins folder exactly as the host loads it (its own class loader, the SPI
 * shared).
 *
 * <p>The config is the plugin's own fields under their {@code sluice.yaml} names (secrets as
 * {@code PASSWORD}) plus the connector's {@code sluice.*} settings, and it requires a dead-letter
 * topic with {@code errors.tolerance=all}: rejected events go there, never stop the task.
 */
public final class SluiceSinkConnector extends SinkConnector {

    private static final Logger log = LoggerFactory.getLogger(SluiceSinkConnector.class);

    private Map<String, String> props = Map.of();
    private List<ConfigField> fields = List.of();

    @Override
    public String version() {
        return Version.VALUE;
    }

    @Override
    public void start(Map<String, String> props) {
        this.props = Map.copyOf(props);
        Optional<String> dlq = ConnectorSettings.deadLetterProblem(props);
        if (dlq.isPresent()) {
            throw new ConnectException(dlq.get());
        }
        try (DestinationSetup setup = DestinationSetup.open(props)) {
            DestinationFactory factory = setup.factory(props);
            Map<String, List<String>> problems = setup.problems(factory, props);
            if (!problems.isEmpty()) {
                throw new ConnectException("the " + factory.type() + " destination's config is invalid: "
                        + describe(problems));
            }
            this.fields = List.copyOf(factory.configFields());
            log.info("Sluice sink {} runs destination type {} from {}", props.get("name"), factory.type(),
                    setup.plugins().jarOf(factory.type()).map(Object::toString).orElse("?"));
        } catch (DestinationSetup.NoSuchType e) {
            throw new ConnectException(e.getMessage());
        }
    }

    @Override
    public Class<? extends Task> taskClass() {
        return SluiceSinkTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        List<String> budget = budgetFields(props);
        List<Map<String, String>> configs = BudgetSplit.taskConfigs(props, fields, budget, maxTasks);
        for (String name : budget) {
            if (DestinationFields.find(fields, name).isPresent() && !configs.isEmpty()) {
                log.info("Sluice sink {}: {} divided among {} task(s): {} each", props.get("name"), name, maxTasks,
                        configs.get(0).get(name));
            }
        }
        return configs;
    }

    private static List<String> budgetFields(Map<String, String> props) {
        String given = props.get(ConnectorSettings.BUDGET_FIELDS);
        if (given == null) {
            return ConnectorSettings.DEFAULT_BUDGET_FIELDS;
        }
        List<String> names = new ArrayList<>();
        for (String part : given.split(",")) {
            if (!part.isBlank()) {
                names.add(part.trim());
            }
        }
        return names;
    }

    @Override
    public void stop() {
        // nothing held: each task owns its destination
    }

    /**
     * The connector's settings and the fields of every destination type in the default plugins
     * folder. Validation ({@link #validate}) reads the folder the config names instead.
     */
    @Override
    public ConfigDef config() {
        ConfigDef def = ConnectorSettings.define(new ConfigDef());
        try (DestinationSetup setup = DestinationSetup.open(Map.of())) {
            for (String type : setup.plugins().types()) {
                DestinationFactory factory = setup.plugins().factory(type).orElseThrow();
                DestinationFields.define(def, type, factory.configFields());
            }
        }
        return def;
    }

    /**
     * Connect's REST validation: the type's own fields with its own rules, so every problem names
     * the same field with the same words as {@code sluice check}; plus the dead-letter settings.
     */
    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        ConfigDef def = ConnectorSettings.define(new ConfigDef());
        Map<String, List<String>> problems = new LinkedHashMap<>();
        List<ConfigField> declared = List.of();
        try (DestinationSetup setup = DestinationSetup.open(connectorConfigs)) {
            try {
                DestinationFactory factory = setup.factory(connectorConfigs);
                declared = factory.configFields();
                DestinationFields.define(def, factory.type(), declared);
                problems.putAll(setup.problems(factory, connectorConfigs));
            } catch (DestinationSetup.NoSuchType e) {
                problems.put(ConnectorSettings.TYPE, List.of(e.getMessage()));
            }
        }
        Map<String, ConfigValue> values = new LinkedHashMap<>();
        Map<String, String> withoutDestinationChecks = new HashMap<>(connectorConfigs);
        for (ConfigField field : declared) {
            withoutDestinationChecks.remove(field.name()); // the plugin's rules apply, not Connect's parsing
        }
        for (ConfigValue value : def.validate(withoutDestinationChecks)) {
            values.put(value.name(), value);
        }
        for (ConfigField field : declared) {
            ConfigValue value = values.get(field.name());
            if (value != null && connectorConfigs.containsKey(field.name())) {
                String given = connectorConfigs.get(field.name());
                // Connect shows a Password as [hidden] in its answers; a plain string it would show as is.
                value.value(field.secret() ? new Password(given) : given);
            }
        }
        problems.forEach((name, messages) -> {
            ConfigValue value = values.computeIfAbsent(name, ConfigValue::new);
            messages.forEach(value::addErrorMessage);
        });
        ConnectorSettings.deadLetterProblem(connectorConfigs).ifPresent(message -> {
            ConfigValue value = values.computeIfAbsent(ConnectorSettings.DLQ_TOPIC, ConfigValue::new);
            value.addErrorMessage(message);
        });
        return new Config(new ArrayList<>(values.values()));
    }

    static String describe(Map<String, List<String>> problems) {
        List<String> parts = new ArrayList<>();
        problems.forEach((field, messages) -> messages.forEach(m -> parts.add(field + ": " + m)));
        return String.join("; ", parts);
    }
}
