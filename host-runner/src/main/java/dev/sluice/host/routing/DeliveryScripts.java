package dev.sluice.host.routing;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * A destination's JavaScript (its {@code data_layout.transform} and/or a JavaScript
 * {@code table_name_template}), run when its events are delivered rather than when they are
 * accepted, as Jitsu Classic's streaming worker did: the Events API stores the enriched event and
 * answers at once, and the delivery worker turns each stored event into what the destination gets
 * just before it sends it. Thread-safe; counts what it does in the router's counters.
 */
public final class DeliveryScripts {

    /** What the scripts made of one stored event. */
    public sealed interface Prepared {
    }

    /** The events to send, as JSON: one, or several when the transform split the event. */
    public record Events(List<String> json) implements Prepared {
        public Events {
            json = List.copyOf(json);
            if (json.isEmpty()) {
                throw new IllegalArgumentException("no events: that is a skip");
            }
        }
    }

    /** Nothing to send: the transform or the template skipped the event (or the template failed for it). */
    public record Skipped(String reason) implements Prepared {
        public Skipped {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** The transform failed for the event: it becomes a dead letter with this reason. */
    public record Failed(String reason) implements Prepared {
        public Failed {
            Objects.requireNonNull(reason, "reason");
        }
    }

    private final Function<String, Prepared> scripts;
    private final Function<RuntimeException, Prepared> unexpected;

    /**
     * @param scripts    the transform, then the template, on one stored event
     * @param unexpected the event's failure for an exception that is no script error
     */
    DeliveryScripts(Function<String, Prepared> scripts, Function<RuntimeException, Prepared> unexpected) {
        this.scripts = Objects.requireNonNull(scripts, "scripts");
        this.unexpected = Objects.requireNonNull(unexpected, "unexpected");
    }

    /**
     * Runs the scripts on one stored event (the enriched event as accepted). Takes up to the
     * scripts' time limit per call.
     */
    public Prepared prepare(String storedJson) {
        Objects.requireNonNull(storedJson, "storedJson");
        // Delivery threads carry their plugin's class loader; the engine is the host's.
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        thread.setContextClassLoader(DeliveryScripts.class.getClassLoader());
        try {
            return scripts.apply(storedJson);
        } catch (RuntimeException e) {
            // Not a script error the sandbox describes (the engine failing to make a context, a
            // result it cannot read): still this event's failure only, never the worker's.
            return unexpected.apply(e);
        } finally {
            thread.setContextClassLoader(before);
        }
    }
}
