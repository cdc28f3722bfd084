package dev.sluice.host.routing;

import dev.sluice.host.script.JsFunction;
import dev.sluice.host.script.JsSandbox;
import dev.sluice.host.script.ScriptFailure;
import dev.sluice.host.script.ScriptSyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A destination's {@code data_layout.transform}, as Jitsu Classic ran it: the body of a function
 * of the event ({@code $}, also {@code _}). Returning an object replaces the event; an array gives
 * several events; {@code null}, {@code undefined}, {@code false} or an empty array skips it; a
 * {@code JITSU_TABLE_NAME} field of a returned object is taken out and wins over the
 * {@code table_name_template}. Anything else returned (a string, a number, {@code true}, an array
 * element that is not an object) is an error. The script works on its own copy of the event, so
 * changing {@code $} in place is allowed and affects nobody else. Thread-safe.
 */
public final class Transform implements AutoCloseable {

    /** How long one call may run before it is stopped and its event dead-lettered. */
    public static final Duration DEFAULT_TIME_LIMIT = Duration.ofSeconds(1);

    /** The most events a transform may make of one event; more fails the transform for it. */
    public static final int MAX_EVENTS = 100;

    // Runs once per context: keeps the built-ins it relies on out of the user's reach (a script
    // that replaces JSON.stringify changes only its own view), and checks the result's shape.
    private static final String ADAPTER = """
            (function (fn) {
              const parse = JSON.parse, stringify = JSON.stringify, isArray = Array.isArray;
              const assign = Object.assign, StringOf = String, MAX_EVENTS = %d;
              function kind(v) { return v === null ? 'null' : isArray(v) ? 'an array' : typeof v; }
              function add(o, i, out) {
                if (o === null || typeof o !== 'object' || isArray(o)) {
                  throw new TypeError('the transform returned an array whose element ' + i + ' is ' + kind(o)
                      + ', not an object');
                }
                let table = null;
                if (o.JITSU_TABLE_NAME !== undefined) {
                  const t = o.JITSU_TABLE_NAME;
                  table = typeof t === 'string' ? t : (t === null || typeof t === 'object') ? 'null' : StringOf(t);
                  o = assign({}, o);
                  delete o.JITSU_TABLE_NAME;
                }
                const json = stringify(o);
                if (typeof json !== 'string') {
                  throw new TypeError('the transform returned an event that JSON.stringify cannot write (its toJSON '
                      + 'returned ' + kind(json) + ')');
                }
                // Not out.push: a script may have replaced Array.prototype.push in its context.
                out[out.length] = table;
                out[out.length] = json;
              }
              return function (json) {
                const event = parse(json);
                const r = fn(event, event);
                if (r === null || r === undefined || r === false) return StringOf(r);
                const out = [];
                if (isArray(r)) {
                  if (r.length === 0) return 'an empty array';
                  if (r.length > MAX_EVENTS) {
                    throw new RangeError('the transform returned ' + r.length + ' events for one event; at most '
                        + MAX_EVENTS);
                  }
                  for (let i = 0; i < r.length; i++) add(r[i], i, out);
                } else if (typeof r === 'object') {
                  add(r, 0, out);
                } else {
                  throw new TypeError('the transform must return an object, an array of objects, null, undefined '
                      + 'or false; it returned ' + (typeof r === 'boolean' ? 'true' : 'a ' + typeof r));
                }
                return out;
              };
            })
            """.formatted(Transform.MAX_EVENTS);

    /** One event the transform produced. */
    public record Output(String json, Optional<String> tableName) {
        public Output {
            Objects.requireNonNull(json, "json");
            Objects.requireNonNull(tableName, "tableName");
        }
    }

    /** What the transform made of one event: events to route on, or why it was skipped. */
    public record Result(List<Output> events, Optional<String> skipReason) {
        public Result {
            events = List.copyOf(events);
            Objects.requireNonNull(skipReason, "skipReason");
        }
    }

    private final JsFunction function;

    private Transform(JsFunction function) {
        this.function = function;
    }

    /** Compiles a transform; {@code name} names it in errors (the destination and the field). */
    public static Transform compile(String name, String script, Duration timeLimit) throws ScriptSyntaxException {
        return new Transform(JsSandbox.compile(name, script, ADAPTER, timeLimit));
    }

    /** Checks that a transform compiles, without keeping it. */
    public static void check(String name, String script) throws ScriptSyntaxException {
        JsSandbox.check(name, script);
    }

    /**
     * Runs the transform on one event given as JSON.
     *
     * @throws ScriptFailure when the script throws, returns something unusable or runs too long
     */
    public Result apply(String eventJson) throws ScriptFailure {
        return function.call(eventJson, value -> {
            if (value.isString()) {
                return new Result(List.of(), Optional.of("the transform returned " + value.asString()));
            }
            long size = value.getArraySize();
            List<Output> outputs = new ArrayList<>((int) (size / 2));
            for (long i = 0; i < size; i += 2) {
                var table = value.getArrayElement(i);
                outputs.add(new Output(value.getArrayElement(i + 1).asString(),
                        table.isNull() ? Optional.empty() : Optional.of(table.asString())));
            }
            return new Result(outputs, Optional.empty());
        });
    }

    @Override
    public void close() {
        function.close();
    }
}
