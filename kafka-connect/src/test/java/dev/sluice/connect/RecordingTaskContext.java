package dev.sluice.connect;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTaskContext;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** A {@link SinkTaskContext} that records what the task asked of Connect. */
final class RecordingTaskContext implements SinkTaskContext {

    record Reported(SinkRecord record, Throwable error) {
    }

    final Map<TopicPartition, Long> rewinds = new HashMap<>();
    final Set<TopicPartition> paused = new HashSet<>();
    final List<Reported> deadLetters = new ArrayList<>();
    long timeout = -1;
    private final boolean withReporter;

    RecordingTaskContext(boolean withReporter) {
        this.withReporter = withReporter;
    }

    @Override
    public Map<String, String> configs() {
        return Map.of();
    }

    @Override
    public void offset(Map<TopicPartition, Long> offsets) {
        rewinds.putAll(offsets);
    }

    @Override
    public void offset(TopicPartition tp, long offset) {
        rewinds.put(tp, offset);
    }

    @Override
    public void timeout(long timeoutMs) {
        timeout = timeoutMs;
    }

    @Override
    public Set<TopicPartition> assignment() {
        return Set.of();
    }

    @Override
    public void pause(TopicPartition... partitions) {
        paused.addAll(Arrays.asList(partitions));
    }

    @Override
    public void resume(TopicPartition... partitions) {
        Arrays.asList(partitions).forEach(paused::remove);
    }

    @Override
    public void requestCommit() {
    }

    @Override
    public ErrantRecordReporter errantRecordReporter() {
        if (!withReporter) {
            return null;
        }
        return (record, error) -> {
            deadLetters.add(new Reported(record, error));
            return CompletableFuture.completedFuture(null);
        };
    }

    @Override
    public PluginMetrics pluginMetrics() {
        throw new UnsupportedOperationException("not used");
    }
}
