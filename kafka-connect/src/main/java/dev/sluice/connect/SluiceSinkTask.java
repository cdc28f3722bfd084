package dev.sluice.connect;

import dev.sluice.api.Destination;
import dev.sluice.api.DestinationContext;
import dev.sluice.api.DestinationException;
import dev.sluice.api.DestinationFactory;
import dev.sluice.api.Event;
import dev.sluice.api.Outcome;
import dev.sluice.api.config.DestinationConfig;
import dev.sluice.api.config.InvalidConfigException;
import dev.sluice.host.embed.DestinationPlugins;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs one Sluice destination for the partitions Connect assigns. Each {@link #put} sends the
 * records of partitions that are not waiting for a retry, in batches of the destination's
 * {@code maxBatchSize()}, and acts on each event's outcome:
 *
 * <ul>
 *   <li>delivered and skipped: settled;</li>
 *   <li>rejected, and records that are not event JSON: reported to the dead-letter topic with the
 *       reason in the {@value #REASON_HEADER} header, then settled;</li>
 *   <li>retry: that partition alone is rewound to its first unsettled record and paused until the
 *       retry is due (the outcome's "not before", at least the backoff); the settled records after
 *       it are passed over when Kafka delivers them again, so nothing delivered is sent twice.
 *       Other partitions go on. An event still retried {@code sluice.retry.give.up.ms} after its
 *       partition's first retry goes to the dead-letter topic.</li>
 * </ul>
 *
 * <p>{@code put} never sleeps and never throws {@code RetriableException} (which would pause every
 * partition and hand back the whole batch, delivered records included); {@link #preCommit}
 * commits only settled offsets. A destination whose {@code start()} fails retriably is started
 * again when its partitions' retries are due; a non-retriable failure (revoked credentials) fails
 * the task with the plugin's message.
 */
public final class SluiceSinkTask extends SinkTask {

    static final String REASON_HEADER = "sluice.rejected.reason";
    static final String DESTINATION_HEADER = "sluice.destination";

    private static final Logger log = LoggerFactory.getLogger(SluiceSinkTask.class);

    private final Clock clock;
    private final RecordDecoder decoder = new RecordDecoder();
    private final Map<TopicPartition, PartitionLedger> ledgers = new HashMap<>();

    private DestinationSetup setup;
    private DestinationFactory factory;
    private Destination destination;
    private String destinationId;
    private boolean started;
    private ErrantRecordReporter reporter;
    private PartitionLedger.Backoff backoff;
    private Duration giveUpAfter;

    public SluiceSinkTask() {
        this(Clock.systemUTC());
    }

    SluiceSinkTask(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String version() {
        return Version.VALUE;
    }

    @Override
    public void start(Map<String, String> props) {
        ConnectorSettings.deadLetterProblem(props).ifPresent(message -> {
            throw new ConnectException(message);
        });
        reporter = context.errantRecordReporter();
        if (reporter == null) {
            throw new ConnectException(ConnectorSettings.deadLetterProblem(Map.of()).orElseThrow()
                    + "; this worker gives the task no dead-letter reporter");
        }
        backoff = new PartitionLedger.Backoff(Duration.ofMillis(longSetting(props, ConnectorSettings.BACKOFF_INITIAL_MS, 1_000)),
                Duration.ofMillis(longSetting(props, ConnectorSettings.BACKOFF_MAX_MS, 60_000)));
        giveUpAfter = Duration.ofMillis(longSetting(props, ConnectorSettings.GIVE_UP_MS, 86_400_000));
        destinationId = props.getOrDefault("name", "sluice");
        setup = DestinationSetup.open(props);
        try {
            factory = setup.factory(props);
            DestinationConfig config = setup.config(factory, props);
            String mode = DestinationSetup.mode(factory, props);
            Path base = ConnectorSettings.pluginsDir(props).toAbsolutePath();
            DestinationContext destinationContext = DestinationContext.of(destinationId, mode, config, clock, base);
            destination = setup.withPluginLoader(factory, () -> factory.create(destinationContext));
            if (destination == null) {
                throw new ConnectException("destination type " + factory.type() + ": create() returned null");
            }
        } catch (DestinationSetup.NoSuchType e) {
            closeSetup();
            throw new ConnectException(e.getMessage());
        } catch (InvalidConfigException e) {
            closeSetup();
            throw new ConnectException("the " + factory.type() + " destination's config is invalid: " + e.getMessage());
        } catch (RuntimeException | LinkageError e) {
            closeSetup();
            throw new ConnectException("destination '" + destinationId + "' could not be created: "
                    + DestinationPlugins.describeFailure(e));
        }
        log.info("Sluice sink task {} ({}) runs a {} destination; budget share {}", destinationId,
                props.getOrDefault(ConnectorSettings.TASK_SHARE, "1/1"), factory.type(),
                DestinationFields.find(factory.configFields(), "requests_per_10s")
                        .map(f -> "requests_per_10s=" + props.getOrDefault(f.name(), "default")).orElse("n/a"));
    }

    private static long longSetting(Map<String, String> props, String key, long fallback) {
        String value = props.get(key);
        return value == null || value.isBlank() ? fallback : Long.parseLong(value.trim());
    }

    @Override
    public void open(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            ledgers.put(tp, new PartitionLedger(backoff));
        }
        // A partition we paused before a rebalance comes back paused; it starts afresh here.
        context.resume(partitions.toArray(new TopicPartition[0]));
    }

    @Override
    public void close(Collection<TopicPartition> partitions) {
        partitions.forEach(ledgers::remove);
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        Instant now = clock.instant();
        resumeDue(now);
        Map<TopicPartition, List<PartitionLedger.Entry>> entries = new LinkedHashMap<>();
        List<SinkRecord> toSend = new ArrayList<>();
        List<Event> events = new ArrayList<>();
        for (SinkRecord record : records) {
            TopicPartition tp = new TopicPartition(record.topic(), record.kafkaPartition());
            PartitionLedger ledger = ledgers.computeIfAbsent(tp, k -> new PartitionLedger(backoff));
            if (ledger.waiting(now)) {
                continue; // rewound and paused: Kafka hands it over again when the retry is due
            }
            List<PartitionLedger.Entry> list = entries.computeIfAbsent(tp, k -> new ArrayList<>());
            if (ledger.alreadySettled(record.kafkaOffset())) {
                list.add(PartitionLedger.Entry.settled(record.kafkaOffset()));
                continue;
            }
            try {
                events.add(decoder.decode(record));
                toSend.add(record);
                list.add(null); // filled in from the outcome below
            } catch (RecordDecoder.NotAnEvent e) {
                deadLetter(record, e.getMessage());
                list.add(PartitionLedger.Entry.settled(record.kafkaOffset()));
            }
        }
        List<Outcome> outcomes = deliver(events, now);
        Map<TopicPartition, Integer> cursor = new HashMap<>();
        for (int i = 0; i < toSend.size(); i++) {
            SinkRecord record = toSend.get(i);
            TopicPartition tp = new TopicPartition(record.topic(), record.kafkaPartition());
            List<PartitionLedger.Entry> list = entries.get(tp);
            int at = cursor.getOrDefault(tp, 0);
            while (list.get(at) != null) {
                at++;
            }
            cursor.put(tp, at + 1);
            list.set(at, settle(record, outcomes.get(i), ledgers.get(tp), now));
        }
        entries.forEach((tp, list) -> ledgers.get(tp).apply(list, now).ifPresent(offset -> {
            context.offset(tp, offset);
            context.pause(tp);
            log.debug("{}: {} rewound to {} and paused until {}", destinationId, tp, offset, ledgers.get(tp).dueAt());
        }));
        ledgers.values().stream().filter(l -> l.waiting(now)).map(PartitionLedger::dueAt).min(Instant::compareTo)
                .ifPresent(due -> context.timeout(Math.max(1, Duration.between(now, due).toMillis())));
    }

    private void resumeDue(Instant now) {
        List<TopicPartition> due = new ArrayList<>();
        ledgers.forEach((tp, ledger) -> {
            if (ledger.retrying() && !ledger.waiting(now)) {
                due.add(tp);
            }
        });
        if (!due.isEmpty()) {
            context.resume(due.toArray(new TopicPartition[0]));
        }
    }

    private PartitionLedger.Entry settle(SinkRecord record, Outcome outcome, PartitionLedger ledger, Instant now) {
        if (outcome instanceof Outcome.Retry retry) {
            Optional<Instant> first = ledger.firstRetryAt();
            if (first.isPresent() && !Duration.between(first.get(), now).minus(giveUpAfter).isNegative()) {
                deadLetter(record, "gave up after " + (ledger.attempts() + 1) + " attempts over "
                        + Duration.between(first.get(), now).toSeconds() + "s: " + retry.reason());
                return PartitionLedger.Entry.settled(record.kafkaOffset());
            }
            return PartitionLedger.Entry.retry(record.kafkaOffset(), retry.notBefore());
        }
        if (outcome instanceof Outcome.Rejected rejected) {
            deadLetter(record, rejected.reason());
        }
        return PartitionLedger.Entry.settled(record.kafkaOffset());
    }

    /** One outcome per event: the destination's, or retry for a batch it could not take. */
    private List<Outcome> deliver(List<Event> events, Instant now) {
        List<Outcome> outcomes = new ArrayList<>(events.size());
        if (events.isEmpty()) {
            return outcomes;
        }
        Optional<String> notStarted = ensureStarted();
        int size = Math.max(1, setup.withPluginLoader(factory, destination::maxBatchSize));
        for (int from = 0; from < events.size(); from += size) {
            List<Event> batch = events.subList(from, Math.min(events.size(), from + size));
            if (notStarted.isPresent()) {
                batch.forEach(e -> outcomes.add(Outcome.retry(notStarted.get())));
                continue;
            }
            outcomes.addAll(deliverBatch(batch));
        }
        return outcomes;
    }

    private List<Outcome> deliverBatch(List<Event> batch) {
        List<Outcome> result;
        try {
            result = setup.withPluginLoader(factory, () -> destination.deliver(List.copyOf(batch)));
        } catch (RuntimeException e) {
            String reason = "the destination failed the batch: " + DestinationPlugins.describeFailure(
                    e.getCause() != null && e instanceof IllegalStateException ? e.getCause() : e);
            log.warn("{}: {}", destinationId, reason);
            return batch.stream().map(ev -> Outcome.retry(reason)).toList();
        }
        if (result == null || result.size() != batch.size()) {
            String reason = "the destination returned " + (result == null ? "no" : result.size()) + " outcome(s) for "
                    + batch.size() + " event(s)";
            log.warn("{}: {}", destinationId, reason);
            return batch.stream().map(ev -> Outcome.retry(reason)).toList();
        }
        return result;
    }

    /** Starts the destination if it is not yet; the reason when it cannot be started now. */
    private Optional<String> ensureStarted() {
        if (started) {
            return Optional.empty();
        }
        try {
            setup.withPluginLoader(factory, () -> {
                destination.start();
                return null;
            });
            started = true;
            return Optional.empty();
        } catch (IllegalStateException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof DestinationException d && !d.retriable()) {
                throw new ConnectException("destination '" + destinationId + "' cannot start: " + d.getMessage());
            }
            String reason = "the destination could not start: " + DestinationPlugins.describeFailure(cause);
            log.warn("{}: {}", destinationId, reason);
            return Optional.of(reason);
        } catch (RuntimeException e) {
            String reason = "the destination could not start: " + DestinationPlugins.describeFailure(e);
            log.warn("{}: {}", destinationId, reason);
            return Optional.of(reason);
        }
    }

    private void deadLetter(SinkRecord record, String reason) {
        ConnectHeaders headers = new ConnectHeaders();
        record.headers().forEach(headers::add);
        headers.addString(REASON_HEADER, reason);
        headers.addString(DESTINATION_HEADER, destinationId);
        SinkRecord withReason = new SinkRecord(record.topic(), record.kafkaPartition(), record.keySchema(),
                record.key(), record.valueSchema(), record.value(), record.kafkaOffset(), record.timestamp(),
                record.timestampType(), headers);
        reporter.report(withReason, new DestinationRejection(reason));
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        Map<TopicPartition, OffsetAndMetadata> settled = new HashMap<>();
        for (TopicPartition tp : currentOffsets.keySet()) {
            PartitionLedger ledger = ledgers.get(tp);
            if (ledger != null) {
                ledger.committable().ifPresent(offset -> settled.put(tp, new OffsetAndMetadata(offset)));
            }
        }
        return settled;
    }

    @Override
    public void stop() {
        if (destination != null) {
            try {
                setup.withPluginLoader(factory, () -> {
                    destination.close();
                    return null;
                });
            } catch (RuntimeException e) {
                log.warn("{}: closing the destination failed: {}", destinationId, DestinationPlugins.describeFailure(e));
            }
            destination = null;
        }
        closeSetup();
    }

    private void closeSetup() {
        if (setup != null) {
            setup.close();
            setup = null;
        }
    }

    /** Why an event went to the dead-letter topic; its message is the reason. */
    static final class DestinationRejection extends ConnectException {
        DestinationRejection(String reason) {
            super(reason);
        }
    }
}
