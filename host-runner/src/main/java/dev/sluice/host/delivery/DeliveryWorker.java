package dev.sluice.host.delivery;

import dev.sluice.api.Destination;
import dev.sluice.api.DestinationException;
import dev.sluice.api.Event;
import dev.sluice.api.Outcome;
import dev.sluice.host.config.DeliverySettings;
import dev.sluice.host.pipeline.SinkUnavailableException;
import dev.sluice.host.queue.DestinationQueue;
import dev.sluice.host.queue.QueueDepth;
import dev.sluice.host.queue.QueuedEvent;
import dev.sluice.host.queue.Settlement;
import dev.sluice.host.routing.DeliveryScripts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

/**
 * The one thread that delivers a destination's queue. It calls {@link Destination#start()} (again,
 * with backoff, while that fails retriably), then loops: wait until events are due (woken at once
 * when ingest commits new ones), linger up to {@code linger} for a full batch, read up to N due
 * events from disk, call {@link Destination#deliver}, and commit what each outcome means in one
 * transaction ({@link SettlementPlanner}). Only counters live in memory. While a backlog of at least
 * two batches lasts, {@code deliver} runs on a call thread of its own, still one call at a time,
 * and this thread commits the previous batch's outcomes and reads the next batch meanwhile
 * ({@link #deliverBacklog}), so the plugin (and the API budget behind it) is never left waiting on
 * the host's reads and commits.
 *
 * <p>A plugin that throws, or returns a wrong number of outcomes, gets a retry for the whole
 * batch; the log names the destination, never an event body. A stored event that cannot be read
 * as an {@link Event} is dead-lettered with the reason.
 */
public final class DeliveryWorker {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryWorker.class);
    /** The longest an idle worker sleeps before looking again (for replays by another process). */
    static final Duration IDLE_POLL = Duration.ofSeconds(1);

    private final String destinationId;
    private final Destination destination;
    private final DestinationQueue queue;
    private final Clock clock;
    private final RandomGenerator random;
    private final FatalStartListener onFatal;
    private final Backoff backoff;
    private final SettlementPlanner planner;
    private static final int MAX_TOLD_SKIP_REASONS = 100;
    private final EventDecoder decoder = new EventDecoder();
    private final int batchSize;
    private final Duration linger;
    private final Thread thread;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicLong retriedAskedToWait = new AtomicLong();
    private final AtomicLong retriedPluginError = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong gaveUp = new AtomicLong();
    private final AtomicLong unreadableEvents = new AtomicLong();
    private final AtomicLong transformFailed = new AtomicLong();
    private final Optional<DeliveryScripts> scripts;
    /** Runs {@code deliver} while the worker thread commits and reads around it (backlog only); made on first use. */
    private ExecutorService calls;
    /** Whether a {@code deliver} call is running (on this thread or {@link #calls}'). */
    private volatile boolean inPlugin;
    private final RetryLog retryLog;
    /** The last queue store failure told, so that it is told once per cause. */
    private String lastStoreFailure;
    /** Skip reasons already logged: each is told once (a bounded number of them), not per event. */
    private final Set<String> toldSkipReasons = new HashSet<>();
    private volatile WorkerState state = WorkerState.STARTING;
    private volatile boolean abandoned;
    private boolean closed;
    private int startAttempts;

    /**
     * A worker, not yet running (see {@link #start()}).
     *
     * @param destinationId the destination's id, for logs and stats
     * @param destination   the instance to deliver to; this worker calls its start, deliver and close
     * @param settings      the destination's delivery settings
     * @param queue         the destination's queue
     * @param clock         the time used for due times, backoff and {@code retryFor}
     * @param random        the jitter source
     * @param onFatal       told when {@code start()} fails for good
     */
    public DeliveryWorker(String destinationId, Destination destination, DeliverySettings settings,
                          DestinationQueue queue, Clock clock, RandomGenerator random, FatalStartListener onFatal) {
        this(destinationId, destination, settings, queue, clock, random, onFatal, Optional.empty());
    }

    /**
     * A worker that runs the destination's JavaScript ({@code scripts}) on each stored event just
     * before sending it: what the transform returns is what the destination gets, a skip removes
     * the event, a failure makes it a dead letter with the JavaScript error.
     */
    public DeliveryWorker(String destinationId, Destination destination, DeliverySettings settings,
                          DestinationQueue queue, Clock clock, RandomGenerator random, FatalStartListener onFatal,
                          Optional<DeliveryScripts> scripts) {
        this.scripts = Objects.requireNonNull(scripts, "scripts");
        this.destinationId = Objects.requireNonNull(destinationId, "destinationId");
        this.destination = Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(settings, "settings");
        this.queue = Objects.requireNonNull(queue, "queue");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.retryLog = new RetryLog(destinationId, clock, LOG);
        this.random = Objects.requireNonNull(random, "random");
        this.onFatal = Objects.requireNonNull(onFatal, "onFatal");
        this.backoff = new Backoff(settings.backoffInitial(), settings.backoffMax());
        this.planner = new SettlementPlanner(backoff, settings.retryFor());
        this.batchSize = batchSize(settings.batchSize(), destination.maxBatchSize());
        this.linger = settings.linger();
        this.thread = new Thread(this::run, "sluice-delivery-" + destinationId);
        this.thread.setDaemon(true);
        // Libraries inside a plugin (ServiceLoader, JAXP, logging bridges) look classes up through the
        // context class loader: give them the plugin's own, not the host's.
        this.thread.setContextClassLoader(destination.getClass().getClassLoader());
    }

    /** N: the configured batch size, but never above the plugin's; the plugin's when not configured. */
    static int batchSize(int configured, int pluginMax) {
        int max = Math.max(1, pluginMax);
        return configured > 0 ? Math.min(configured, max) : max;
    }

    /** Starts the worker's thread. */
    public void start() {
        thread.start();
    }

    public String destinationId() {
        return destinationId;
    }

    public int batchSize() {
        return batchSize;
    }

    public WorkerState state() {
        return state;
    }

    public DeliveryStats stats() {
        QueueDepth depth = queue.depth();
        return new DeliveryStats(destinationId, state, delivered.get(), skipped.get(), retried.get(),
                deadLettered.get(), depth.events(), depth.bytes(), new DeliveryStats.ReasonClasses(
                        retriedAskedToWait.get(), retriedPluginError.get(), rejected.get(), gaveUp.get(),
                        unreadableEvents.get(), transformFailed.get()));
    }

    private void run() {
        try {
            while (!stopping()) {
                StartResult result = tryStart();
                if (result == StartResult.STARTED) {
                    break;
                }
                if (result == StartResult.FAILED) {
                    return;
                }
                pause(backoff.delay(startAttempts, random.nextDouble()));
            }
            while (!stopping()) {
                try {
                    retryLog.tick();
                    int due = queue.countDue(batchSize);
                    if (due == 0) {
                        idle();
                        continue;
                    }
                    if (due < batchSize && !linger.isZero()) {
                        lingerForFullBatch();
                    }
                    if (!stopping()) {
                        if (queue.countDue(2 * batchSize) >= 2 * batchSize) {
                            deliverBacklog();
                        } else {
                            deliverOnce();
                        }
                        lastStoreFailure = null;
                    }
                } catch (SQLException | SinkUnavailableException e) {
                    // Once per cause, not once a second: the queue's own log line says what is wrong.
                    String cause = String.valueOf(e.getMessage());
                    if (!cause.equals(lastStoreFailure)) {
                        lastStoreFailure = cause;
                        LOG.warn("destination {}: cannot read or settle its queue ({}); trying again every {}",
                                destinationId, cause, DurationText.of(backoff.initial()));
                    }
                    pause(backoff.initial());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            // Its events stay queued but nothing delivers them any more: say so, not STOPPED.
            state = WorkerState.FAILED;
            LOG.error("destination {}: delivery worker died; its events stay queued", destinationId, e);
            throw e;
        } finally {
            if (calls != null) {
                calls.shutdownNow();
            }
            if (state != WorkerState.FAILED) {
                state = WorkerState.STOPPED;
            }
        }
    }

    enum StartResult { STARTED, RETRY, FAILED }

    /** Calls {@code start()} once and reports what to do next. */
    StartResult tryStart() {
        startAttempts++;
        try {
            destination.start();
            state = WorkerState.RUNNING;
            if (startAttempts > 1) {
                LOG.info("destination {}: started after {} attempts", destinationId, startAttempts);
            }
            return StartResult.STARTED;
        } catch (DestinationException e) {
            if (!e.retriable()) {
                state = WorkerState.FAILED;
                LOG.error("destination {}: cannot start: {}", destinationId, e.getMessage());
                onFatal.startFailed(destinationId, e);
                return StartResult.FAILED;
            }
            LOG.warn("destination {}: start failed (attempt {}), will try again: {}", destinationId,
                    startAttempts, e.getMessage());
            return StartResult.RETRY;
        } catch (VirtualMachineError e) {
            throw e;
        } catch (RuntimeException | Error e) {
            // Any other Error too (ServiceConfigurationError, AssertionError), as for deliver: a
            // plugin failing to start must not end the worker without a word to the host.
            LOG.warn("destination {}: start threw (attempt {}), will try again", destinationId, startAttempts, e);
            return StartResult.RETRY;
        }
    }

    /**
     * A batch read from the queue: every row; the rows sent, with how many events each became
     * ({@code eventsPerRow}, 1 unless a transform split it) and those events in order; the rows
     * the scripts skipped; and the rows to dead-letter (unreadable, or the transform failed).
     */
    private record Batch(List<QueuedEvent> rows, List<QueuedEvent> sent, List<Integer> eventsPerRow,
                         List<Event> events, List<QueuedEvent> skippedByScripts,
                         List<Settlement.DeadLetterMove> unreadable, List<Settlement.DeadLetterMove> scriptFailures,
                         Instant readAt) {
        boolean isEmpty() {
            return rows.isEmpty();
        }

        Set<Long> rowIds() {
            Set<Long> ids = new HashSet<>(rows.size() * 2);
            rows.forEach(r -> ids.add(r.rowId()));
            return ids;
        }
    }

    /** What the plugin answered for a batch: its outcomes (null: abandoned on stop), and whether the host made them up. */
    private record Answered(List<Outcome> outcomes, boolean pluginFailed) {
    }

    /**
     * Delivers one batch of due events, if any, and commits its outcomes.
     *
     * @return how many events were taken from the queue
     */
    int deliverOnce() throws SQLException, SinkUnavailableException, InterruptedException {
        Batch batch = read(Set.of());
        if (batch.isEmpty()) {
            return 0;
        }
        Answered answered = batch.sent().isEmpty() ? new Answered(List.of(), false) : outcomesOf(batch.events());
        if (answered.outcomes() == null) {
            // Stop abandoned this batch and the plugin gave up with it: leave its events exactly
            // as they were, due again at once, rather than count an attempt it never really had.
            return batch.rows().size();
        }
        conclude(batch, answered);
        return batch.rows().size();
    }

    /**
     * While a backlog lasts: the plugin delivers batch N+1 while this thread commits batch N's
     * outcomes and reads batch N+2 (without the rows still in hand), so the host's work between two
     * batches (read, decode, settle) no longer leaves the plugin, and the API budget, idle. One
     * {@code deliver} call at a time, as the SPI promises; on its own thread ({@link #calls}).
     * Returns when the backlog is down to less than a batch beyond the one in hand, or on stop
     * (after the batch in hand).
     */
    void deliverBacklog() throws SQLException, SinkUnavailableException, InterruptedException {
        Batch current = read(Set.of());
        if (current.isEmpty()) {
            return;
        }
        Future<Answered> running = submit(current);
        while (true) {
            Batch next = null;
            Set<Long> inHand = current.rowIds();
            if (!stopping() && queue.countDue(batchSize + inHand.size()) >= batchSize + inHand.size()) {
                next = read(inHand);
            }
            Answered answered = await(running);
            if (answered.outcomes() == null) {
                return; // abandoned on stop: its events stay queued as they were
            }
            running = next == null || next.isEmpty() || stopping() ? null : submit(next);
            conclude(current, answered);
            if (running == null) {
                return;
            }
            current = next;
        }
    }

    private Future<Answered> submit(Batch batch) {
        if (batch.sent().isEmpty()) {
            return CompletableFuture.completedFuture(new Answered(List.of(), false));
        }
        if (calls == null) {
            calls = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, thread.getName() + "-call");
                t.setDaemon(true);
                t.setContextClassLoader(thread.getContextClassLoader());
                return t;
            });
        }
        return calls.submit(() -> outcomesOf(batch.events()));
    }

    /** The plugin's answer for a batch in flight; on interrupt (abandon on stop) the call is interrupted too. */
    private Answered await(Future<Answered> running) throws InterruptedException {
        try {
            return running.get();
        } catch (InterruptedException e) {
            running.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            // outcomesOf turns every plugin failure into outcomes; only an Error gets here.
            Throwable cause = e.getCause();
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("delivery call failed", cause);
        }
    }

    /**
     * Up to a batch of due events, without {@code inHand}, decoded (after the destination's
     * scripts, if it has any); unreadable ones and those the scripts skipped or failed on set aside.
     */
    private Batch read(Set<Long> inHand) throws SQLException {
        List<QueuedEvent> due = queue.due(batchSize, inHand);
        List<QueuedEvent> rows = new ArrayList<>(due.size());
        List<QueuedEvent> sent = new ArrayList<>(due.size());
        List<Integer> eventsPerRow = new ArrayList<>(rows.size());
        List<Event> events = new ArrayList<>(rows.size());
        List<QueuedEvent> skippedByScripts = new ArrayList<>(0);
        List<Settlement.DeadLetterMove> unreadable = new ArrayList<>();
        List<Settlement.DeadLetterMove> scriptFailures = new ArrayList<>(0);
        Instant readAt = clock.instant();
        for (QueuedEvent q : due) {
            if (scripts.isPresent() && stopping()) {
                // A script may take up to its time limit per event: on stop, the rest stays queued as it is.
                break;
            }
            rows.add(q);
            try {
                if (scripts.isEmpty()) {
                    events.add(decoder.decode(q));
                    sent.add(q);
                    eventsPerRow.add(1);
                    continue;
                }
                DeliveryScripts.Prepared prepared = scripts.get().prepare(new String(q.json(), StandardCharsets.UTF_8));
                if (prepared instanceof DeliveryScripts.Failed failed) {
                    scriptFailures.add(new Settlement.DeadLetterMove(q, failed.reason(), q.attempts(),
                            q.firstAttemptAt().orElse(null), null));
                } else if (prepared instanceof DeliveryScripts.Skipped) {
                    skippedByScripts.add(q);
                } else if (prepared instanceof DeliveryScripts.Events made) {
                    List<Event> decoded = new ArrayList<>(made.json().size());
                    for (int i = 0; i < made.json().size(); i++) {
                        // A transform that splits an event gives the extra events ids of their own.
                        String id = i == 0 ? q.eventId() : q.eventId() + "-" + i;
                        decoded.add(decoder.decode(id, made.json().get(i).getBytes(StandardCharsets.UTF_8)));
                    }
                    events.addAll(decoded);
                    sent.add(q);
                    eventsPerRow.add(decoded.size());
                }
            } catch (EventDecoder.UnreadableEventException e) {
                // Not the parser's message: it may quote a piece of the event.
                LOG.error("destination {}: stored event {} cannot be read as an event; dead-lettered with the "
                        + "reason", destinationId, q.eventId());
                unreadable.add(new Settlement.DeadLetterMove(q, e.getMessage(), q.attempts(),
                        q.firstAttemptAt().orElse(null), null));
            }
        }
        return new Batch(rows, sent, eventsPerRow, events, skippedByScripts, unreadable, scriptFailures, readAt);
    }

    /**
     * One outcome per row sent, from the destination's outcomes per event: a row a transform split
     * into several events is retried if any of them is, else rejected if any is, else skipped if
     * all are, else delivered (a retry sends all of them again: at least once).
     */
    static List<Outcome> perRow(List<Outcome> outcomes, List<Integer> eventsPerRow) {
        if (outcomes.size() == eventsPerRow.size()) {
            return outcomes;
        }
        List<Outcome> rows = new ArrayList<>(eventsPerRow.size());
        int at = 0;
        for (int count : eventsPerRow) {
            List<Outcome> mine = outcomes.subList(at, at + count);
            at += count;
            rows.add(latestRetry(mine)
                    .or(() -> mine.stream().filter(o -> o instanceof Outcome.Rejected).findFirst())
                    .orElseGet(() -> mine.stream().allMatch(o -> o instanceof Outcome.Skipped) ? mine.get(0)
                            : Outcome.delivered()));
        }
        return rows;
    }

    /** Of several retries, the one that asks to wait longest (a rate limit's time over none). */
    private static Optional<Outcome> latestRetry(List<Outcome> outcomes) {
        Outcome.Retry latest = null;
        for (Outcome o : outcomes) {
            if (o instanceof Outcome.Retry r && (latest == null || r.notBefore().isPresent()
                    && (latest.notBefore().isEmpty() || r.notBefore().get().isAfter(latest.notBefore().get())))) {
                latest = r;
            }
        }
        return Optional.ofNullable(latest);
    }

    /** Commits what a batch's outcomes mean and counts them. */
    private void conclude(Batch batch, Answered answered) throws SinkUnavailableException, InterruptedException {
        List<Outcome> outcomes = answered.outcomes();
        Instant now = clock.instant();
        SettlementPlanner.Plan plan = planner.plan(batch.sent(), perRow(outcomes, batch.eventsPerRow()),
                now.isBefore(batch.readAt()) ? batch.readAt() : now, random.nextDouble());
        List<Settlement.DeadLetterMove> dead = new ArrayList<>(plan.settlement().deadLetters());
        dead.addAll(batch.unreadable());
        dead.addAll(batch.scriptFailures());
        List<QueuedEvent> removed = plan.settlement().removed();
        if (!batch.skippedByScripts().isEmpty()) {
            removed = new ArrayList<>(removed);
            removed.addAll(batch.skippedByScripts());
        }
        settle(new Settlement(removed, plan.settlement().retries(), dead), batch.rows().size());
        delivered.addAndGet(plan.delivered());
        skipped.addAndGet(plan.skipped() + batch.skippedByScripts().size());
        transformFailed.addAndGet(batch.scriptFailures().size());
        retried.addAndGet(plan.retried());
        deadLettered.addAndGet(dead.size());
        retriedAskedToWait.addAndGet(plan.askedToWait());
        if (answered.pluginFailed()) {
            retriedPluginError.addAndGet(plan.retried());
        }
        rejected.addAndGet(plan.rejected());
        gaveUp.addAndGet(plan.gaveUp());
        unreadableEvents.addAndGet(batch.unreadable().size());
        for (Settlement.DeadLetterMove m : plan.settlement().deadLetters()) {
            LOG.warn("destination {}: event {} dead-lettered after {} attempts: {}", destinationId,
                    m.event().eventId(), m.attempts(), m.reason());
        }
        if (plan.retried() > 0) {
            List<Settlement.Retry> retries = plan.settlement().retries();
            retryLog.retried(plan.retried(), retries.get(retries.size() - 1).lastError());
        }
        tellNewSkipReasons(outcomes);
        LOG.debug("destination {}: batch of {}: {} delivered, {} skipped, {} retry, {} dead-lettered",
                destinationId, batch.rows().size(), plan.delivered(), plan.skipped(), plan.retried(), dead.size());
    }

    /**
     * A skipped event leaves no trace but a counter, so the first time the plugin gives a reason
     * (e.g. "no event definition named ...") it is logged: a user can see why events go nowhere.
     */
    private void tellNewSkipReasons(List<Outcome> outcomes) {
        for (Outcome outcome : outcomes) {
            if (outcome instanceof Outcome.Skipped s && toldSkipReasons.size() < MAX_TOLD_SKIP_REASONS
                    && toldSkipReasons.add(s.reason())) {
                LOG.info("destination {}: skipping events: {} (each reason is logged once)", destinationId,
                        s.reason());
            }
        }
    }

    /**
     * Commits a delivered batch's outcomes. While the store cannot commit (disk full, file locked,
     * commit timed out) it tries again with backoff instead of giving up on the batch: giving up
     * would read the same events again and send them again, every pause, for as long as the store
     * fails. A settlement may be written twice (a timed-out commit that happened after all): it
     * deletes and dead-letters only rows still queued and sets the same schedule again. On stop
     * it gives up; the events stay queued and are delivered again after the restart.
     */
    private void settle(Settlement settlement, int batchSize) throws SinkUnavailableException, InterruptedException {
        for (int failures = 1; ; failures++) {
            try {
                queue.settle(settlement);
                return;
            } catch (SinkUnavailableException e) {
                if (stopping()) {
                    throw e;
                }
                Duration wait = backoff.delay(failures, random.nextDouble());
                LOG.error("destination {}: could not commit the outcomes of a batch of {} (attempt {}); trying "
                        + "again in {} without delivering it again", destinationId, batchSize, failures, wait, e);
                pause(wait);
            }
        }
    }

    /**
     * Calls the plugin; anything but one outcome per event becomes a retry for the whole batch.
     * Null when the plugin threw after stop abandoned the batch.
     */
    private Answered outcomesOf(List<Event> events) {
        List<Outcome> outcomes;
        inPlugin = true;
        try {
            outcomes = destination.deliver(List.copyOf(events));
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            if (abandoned) {
                LOG.info("destination {}: abandoned batch of {} ended with {}; its events stay queued",
                        destinationId, events.size(), e.getClass().getName());
                return new Answered(null, true);
            }
            LOG.warn("destination {}: deliver threw for a batch of {}; all will be retried", destinationId,
                    events.size(), e);
            return new Answered(SettlementPlanner.retryAll(events.size(), "deliver threw " + e.getClass().getName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage())), true);
        } finally {
            inPlugin = false;
        }
        // Not outcomes.contains(null): immutable lists (List.of) throw on that.
        if (outcomes == null || outcomes.size() != events.size() || outcomes.stream().anyMatch(o -> o == null)) {
            String what = outcomes == null ? "no outcome list"
                    : outcomes.size() != events.size() ? outcomes.size() + " outcomes"
                    : "a null outcome";
            LOG.error("destination {}: deliver returned {} for a batch of {} events; all will be retried",
                    destinationId, what, events.size());
            return new Answered(SettlementPlanner.retryAll(events.size(), "destination returned " + what + " for "
                    + events.size() + " events"), true);
        }
        return new Answered(outcomes, false);
    }

    private void idle() throws SQLException, InterruptedException {
        Duration wait = IDLE_POLL;
        var next = queue.nextDueAt();
        if (next.isPresent()) {
            Duration until = Duration.between(clock.instant(), next.get());
            if (until.compareTo(wait) < 0) {
                wait = until.isNegative() || until.isZero() ? Duration.ofMillis(1) : until;
            }
        }
        queue.awaitNewEvents(wait);
    }

    private void lingerForFullBatch() throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + linger.toNanos();
        while (!stopping()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            queue.awaitNewEvents(Duration.ofNanos(left));
            if (queue.countDue(batchSize) >= batchSize) {
                return;
            }
        }
    }

    private void pause(Duration d) throws InterruptedException {
        stopRequested.await(Math.max(1, d.toMillis()), TimeUnit.MILLISECONDS);
    }

    private boolean stopping() {
        return stopRequested.getCount() == 0;
    }

    /** Asks the worker to stop after the batch in hand; returns at once. */
    public void requestStop() {
        stopRequested.countDown();
        queue.wakeUp();
    }

    /**
     * Waits up to {@code wait} for the worker's thread to end. When it has not, interrupts it
     * (abandoning the batch in hand: its events stay queued and are due again) and waits a little
     * longer.
     *
     * @return true when the thread has ended
     */
    public boolean awaitStopped(Duration wait) throws InterruptedException {
        thread.join(Math.max(1, wait.toMillis()));
        if (thread.isAlive()) {
            LOG.warn("destination {}: delivery did not finish within {}; abandoning the batch in hand "
                    + "(its events stay queued)", destinationId, wait);
            abandoned = true;
            thread.interrupt();
            thread.join(1000);
        }
        return !thread.isAlive();
    }

    /**
     * Closes the destination, once, if its last call has returned. A destination whose deliver
     * is still running is not closed (the SPI promises close only after the last deliver).
     */
    public synchronized void closeDestination() {
        if (closed) {
            return;
        }
        if (thread.isAlive() || inPlugin) {
            LOG.warn("destination {}: still inside a call to the plugin; not closing it", destinationId);
            return;
        }
        closed = true;
        try {
            destination.close();
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("destination {}: close failed", destinationId, e);
        }
    }

    /** Graceful stop: {@link #requestStop}, {@link #awaitStopped}, {@link #closeDestination}. */
    public void stop(Duration grace) throws InterruptedException {
        requestStop();
        awaitStopped(grace);
        closeDestination();
    }
}
