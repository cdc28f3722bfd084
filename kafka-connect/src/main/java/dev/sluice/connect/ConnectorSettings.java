package dev.sluice.connect;

import org.apache.kafka.common.config.ConfigDef;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The connector's own settings (all under {@code sluice.}); the destination's fields sit beside them
 * under the names the plugin declares ({@code access_token}, {@code hub_id}, ...), exactly as in
 * {@code sluice.yaml}.
 */
final class ConnectorSettings {

    static final String TYPE = "sluice.destination.type";
    static final String MODE = "sluice.destination.mode";
    static final String PLUGINS_DIR = "sluice.plugins.dir";
    static final String BUDGET_FIELDS = "sluice.budget.fields";
    static final String BACKOFF_INITIAL_MS = "sluice.retry.backoff.initial.ms";
    static final String BACKOFF_MAX_MS = "sluice.retry.backoff.max.ms";
    static final String GIVE_UP_MS = "sluice.retry.give.up.ms";

    /** Set by the connector on each task: which of {@code tasks.max} tasks it is (for logs). */
    static final String TASK_SHARE = "sluice.task.budget.share";

    static final String ERRORS_TOLERANCE = "errors.tolerance";
    static final String DLQ_TOPIC = "errors.deadletterqueue.topic.name";

    static final List<String> DEFAULT_BUDGET_FIELDS = List.of("requests_per_10s");

    private ConnectorSettings() {
    }

    static ConfigDef define(ConfigDef def) {
        return def
                .define(TYPE, ConfigDef.Type.STRING, null, ConfigDef.Importance.HIGH,
                        "The Sluice destination type to run (e.g. hubspot); may be left out when the plugins"
                                + " folder holds one type only")
                .define(MODE, ConfigDef.Type.STRING, null, ConfigDef.Importance.LOW,
                        "The destination's mode (stream or batch); default: stream when the type supports it")
                .define(PLUGINS_DIR, ConfigDef.Type.STRING, null, ConfigDef.Importance.LOW,
                        "The folder of Sluice destination plugin JARs; default: destinations/ in this connector's"
                                + " plugin.path folder")
                .define(BUDGET_FIELDS, ConfigDef.Type.LIST, String.join(",", DEFAULT_BUDGET_FIELDS),
                        ConfigDef.Importance.MEDIUM,
                        "Whole-number destination fields that are a budget for the whole cluster (HubSpot's"
                                + " requests_per_10s): each task gets the value divided by tasks.max")
                .define(BACKOFF_INITIAL_MS, ConfigDef.Type.LONG, 1_000L, ConfigDef.Range.atLeast(1),
                        ConfigDef.Importance.LOW, "First wait before a partition's retried events are sent again")
                .define(BACKOFF_MAX_MS, ConfigDef.Type.LONG, 60_000L, ConfigDef.Range.atLeast(1),
                        ConfigDef.Importance.LOW, "Longest wait between two attempts of a partition's retried events")
                .define(GIVE_UP_MS, ConfigDef.Type.LONG, 86_400_000L, ConfigDef.Range.atLeast(1),
                        ConfigDef.Importance.LOW, "An event still retried this long after its first retry goes to the"
                                + " dead-letter topic (as the host's retry_for)");
    }

    /** Why a connector config cannot run, naming the settings to fix; empty when it can. */
    static Optional<String> deadLetterProblem(Map<String, String> props) {
        String tolerance = props.getOrDefault(ERRORS_TOLERANCE, "none").trim();
        String topic = props.getOrDefault(DLQ_TOPIC, "").trim();
        if ("all".equals(tolerance) && !topic.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("the Sluice sink sends events the destination rejects (and records that are not event"
                + " JSON) to a dead-letter topic and never stops for them: set " + ERRORS_TOLERANCE + "=all and "
                + DLQ_TOPIC + "=<topic> (now " + ERRORS_TOLERANCE + "=" + tolerance + ", " + DLQ_TOPIC + "="
                + (topic.isEmpty() ? "<unset>" : topic) + ")");
    }

    /** The plugins folder: the setting, or {@code destinations/} in the folder holding this connector's JAR. */
    static Path pluginsDir(Map<String, String> props) {
        String configured = props.get(PLUGINS_DIR);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured.trim());
        }
        try {
            Path jar = Path.of(SluiceSinkConnector.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path lib = jar.getParent();
            Path folder = lib == null ? null : lib.getParent();
            return (folder == null ? Path.of("") : folder).resolve("destinations");
        } catch (Exception e) {
            return Path.of("destinations");
        }
    }
}
