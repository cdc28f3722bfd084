package dev.sluice.host.script;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Function;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;

/**
 * A compiled user script, callable from many threads: a context is not thread-safe, so each call
 * takes one from a small pool (or makes one, reusing the engine's parsed code) and gives it back.
 * Each call is stopped after the time limit. {@link #close()} closes the pooled contexts.
 */
public final class JsFunction implements AutoCloseable {

    private static final int MAX_IDLE = Math.max(4, Runtime.getRuntime().availableProcessors() * 2);

    private final String name;
    private final Source source;
    private final Source adapter;
    private final Duration timeLimit;
    private final BlockingQueue<Slot> idle = new ArrayBlockingQueue<>(MAX_IDLE);
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
        Slot slot = idle.poll();
        if (slot == null) {
            slot = new Slot(JsSandbox.newContext());
            try {
                Value fn = slot.context.eval(source);
                slot.callable = slot.context.eval(adapter).execute(fn);
            } catch (RuntimeException e) {
                slot.context.close(true);
                throw e;
            }
        }
        boolean reusable = true;
        try {
            slot.start(System.nanoTime() + timeLimit.toNanos());
            return reader.apply(slot.callable.execute(input));
        } catch (PolyglotException e) {
            reusable = !(e.isCancelled() || e.isExit() || e.isInternalError());
            throw JsSandbox.failure(e, name, timeLimit);
        } finally {
            reusable &= slot.finish();
            if (!reusable || closed || !idle.offer(slot)) {
                slot.close();
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        Slot slot;
        while ((slot = idle.poll()) != null) {
            slot.close();
        }
    }

    @Override
    public String toString() {
        return "JsFunction{" + name + "}";
    }

    /** One context with the function in it; watched while a call runs. */
    static final class Slot {
        final Context context;
        Value callable;
        private long deadline;
        private boolean running;
        private boolean broken;

        Slot(Context context) {
            this.context = context;
        }

        synchronized void start(long deadlineNanos) {
            deadline = deadlineNanos;
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
            if (running && now - deadline > 0) {
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
