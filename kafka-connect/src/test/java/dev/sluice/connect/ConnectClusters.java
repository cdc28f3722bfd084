package dev.sluice.connect;

import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A real KRaft broker and real distributed Connect workers (Kafka's own test kit) whose
 * {@code plugin.path} is the packaged connector folder, and a file config provider so that the
 * token is a {@code ${file:...}} reference in every stored config.
 */
final class ConnectClusters {

    static final String CONNECTOR_CLASS = "dev.sluice.connect.SluiceSinkConnector";

    private ConnectClusters() {
    }

    static Path pluginPath() {
        Path path = Path.of(System.getProperty("sluice.connect.plugin.path", "target/plugin-path"));
        if (!Files.isDirectory(path.resolve("sluice-kafka-connect"))) {
            throw new IllegalStateException("no packaged connector under " + path.toAbsolutePath()
                    + "; run mvn verify (the ITs run after package)");
        }
        return path;
    }

    static EmbeddedConnectCluster start(String name, int workers) {
        Map<String, String> props = new HashMap<>();
        props.put("plugin.path", pluginPath().toAbsolutePath().toString());
        props.put("offset.flush.interval.ms", "1000");
        props.put("scheduled.rebalance.max.delay.ms", "0");
        props.put("config.providers", "file");
        props.put("config.providers.file.class", "org.apache.kafka.common.config.provider.FileConfigProvider");
        EmbeddedConnectCluster connect = new EmbeddedConnectCluster.Builder()
                .name(name).numWorkers(workers).numBrokers(1).workerProps(props).build();
        connect.start();
        return connect;
    }

    /** A connector config for the HubSpot plugin against the emulator, the token read from {@code secrets}. */
    static Map<String, String> hubspot(String topic, String baseUrl, Path secrets) {
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", CONNECTOR_CLASS);
        config.put("tasks.max", "1");
        config.put("topics", topic);
        config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        config.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
        config.put("errors.tolerance", "all");
        config.put("errors.deadletterqueue.topic.name", topic + "-dlq");
        config.put("errors.deadletterqueue.topic.replication.factor", "1");
        config.put("sluice.destination.type", "hubspot");
        config.put("sluice.retry.backoff.initial.ms", "300");
        config.put("sluice.retry.backoff.max.ms", "2000");
        config.put("access_token", "${file:" + secrets.toAbsolutePath() + ":hubspot_token}");
        config.put("hub_id", "20546336");
        config.put("base_url", baseUrl);
        return config;
    }
}
