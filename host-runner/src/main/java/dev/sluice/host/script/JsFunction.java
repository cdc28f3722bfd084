package dev.sluice.host.script;

import java.time.Duration;
import java.util.Objects;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;

/**
 * A compiled user script, callable from many threads. A context is single-threaded and entering
 * one from a new thread is costly, so each calling thread keeps its own context (made on its
 * first call, reusing the engine's parsed code). Each call is stopped once it has used its time
 * limit in CPU time (so a busy machine does not stop fair scripts), or ten times that in wall
 * time. {@link #close()} closes every context.
 */
public final class JsFunction implements AutoCloseable {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final boolean CPU_TIME = cpuTimeAvailable();

    private final String name;
    private final Source source;
    private final Source adapter;
    private final Duration timeLimit;
    private final ThreadLocal<Slot> local = new ThreadLocal<>();
    private final Set<Slot> all = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    JsFunction(String name, Source source, Source adapter, Duration timeLimit) {
        this.name = name;
        this.source = source;
        this.adapter = adapter;
        this.timeLimit = Objects.requireNonNull(timeLimit, "timeLimit");
        if (timeLimit.isNegative() || timeLimit.isZero()) {
            throw new IllegalArgumentException("time limit must be positive: " + timeLimit);
        }
    }

    private static boolean cpuTimeAvailable() {
        try {
            return THREADS.isCurrentThreadCpuTimeSupported() && THREADS.isThreadCpuTimeEnabled();
        } catch (UnsupportedOperationException e) {
            return false;
        }
    }

    /**
     * Calls the adapted function with {@code input} and converts its result with {@code reader}
     * while the context is still held (a {@link Value} must not outlive the call).
     *
     * @throws ScriptFailure when the script throws, runs past the time limit, or {@code reader}
     *     refuses the result by throwing a JavaScript error
     */
    public <T> T call(String input, Function<Value, T> reader) throws ScriptFailure {
        if (closed) {
            throw new IllegalStateException(name + " is closed");
        }
        Slot slot = local.get();
        if (slot == null) {
            slot = new Slot(JsSandbox.newContext(), Thread.currentThread().getId());
            // Setting up runs script text too: under the same time limit as a call.
            slot.start(timeLimit);
            boolean ready = false;
            try {
                Value fn = slot.context.eval(source);
                if (!fn.canExecute()) {
                    throw new IllegalStateException(name + " did not compile to a function");
                }
                slot.callable = slot.context.eval(adapter).execute(fn);
                ready = true;
            } catch (PolyglotException e) {
                throw JsSandbox.failure(e, name, timeLimit);
            } finally {
                ready &= slot.finish();
                if (!ready) {
                    slot.close();
                }
            }
            all.add(slot);
            local.set(slot);
            if (closed) {
                drop(slot);
                throw new IllegalStateException(name + " is closed");
            }
        }
        boolean reusable = true;
        try {
            slot.start(timeLimit);
            return reader.apply(slot.callable.execute(input));
        } catch (PolyglotException e) {
            reusable = !(e.isCancelled() || e.isExit() || e.isInternalError());
            throw JsSandbox.failure(e, name, timeLimit);
        } finally {
            reusable &= slot.finish();
            if (!reusable) {
                drop(slot);
            }
        }
    }

    private void drop(Slot slot) {
        local.remove();
        all.remove(slot);
        slot.close();
    }

    @Override
    public void close() {
        closed = true;
        for (Slot slot : all) {
            all.remove(slot);
            slot.close();
        }
    }

    @Override
    public String toString() {
        return "JsFunction{" + name + "}";
    }

    /** One context with the function in it, owned by one thread; watched while a call runs. */
    static final class Slot {
        final Context context;
        private final long threadId;
        Value callable;
        private long wallDeadline;
        private long cpuStart;
        private long cpuLimit;
        private boolean running;
        private boolean broken;

        Slot(Context context, long threadId) {
            this.context = context;
            this.threadId = threadId;
        }

        synchronized void start(Duration limit) {
            long now = System.nanoTime();
            cpuLimit = limit.toNanos();
            // The wall-clock bound only catches what uses no CPU (it cannot happen in the
            // sandbox today); the CPU bound is the one that stops loops.
            wallDeadline = now + (CPU_TIME ? cpuLimit * 10 : cpuLimit);
            cpuStart = CPU_TIME ? THREADS.getCurrentThreadCpuTime() : 0;
            running = true;
            JsSandbox.busy(this);
        }

        /** Ends the watch; false when the context was closed by the watchdog. */
        synchronized boolean finish() {
            running = false;
            JsSandbox.idle(this);
            return !broken;
        }

        synchronized void interruptIfOverdue(long now) {
            if (!running) {
                return;
            }
            boolean overdue = now - wallDeadline > 0;
            if (!overdue && CPU_TIME) {
                long cpu = THREADS.getThreadCpuTime(threadId);
                overdue = cpu >= 0 && cpu - cpuStart > cpuLimit;
            }
            if (overdue) {
                running = false;
                JsSandbox.idle(this);
                broken = !JsSandbox.interrupt(context);
            }
        }

        void close() {
            try {
                context.close(true);
            } catch (RuntimeException ignored) {
                // Already closed or cancelled.
            }
        }
    }
}
