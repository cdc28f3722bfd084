package dev.sluice.host.script;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.EnvironmentAccess;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.SourceSection;
import org.graalvm.polyglot.io.IOAccess;

/**
 * Runs user JavaScript (GraalJS, interpreted on a stock JDK) in a sandbox: one shared
 * {@link Engine}, so every context reuses the parsed code, and contexts that can reach nothing
 * outside themselves — no host objects or classes ({@code Java.type} is not defined), no files,
 * network, environment, threads, processes, native code or other languages, and no
 * {@code print}/{@code load}/{@code console} output. A watchdog thread interrupts a call that
 * runs past its time limit.
 *
 * <p>A user script is the body of a function of the event, bound to {@code $} and {@code _}, as
 * in Jitsu Classic: {@code return {...$, user: $.eventn_ctx?.user}}. A script that is a single
 * expression ({@code $.user?.email}) is returned as it is; a body without any {@code return}
 * gives the value of its last statement, as Jitsu's Babel step made it do.
 */
public final class JsSandbox {

    private static final Pattern LOCATION_PREFIX = Pattern.compile("^(SyntaxError: )?\\S*?:\\d+:\\d+\\s+");
    private static final Pattern ERROR_NAME = Pattern.compile("^([A-Z][A-Za-z]*Error)\\b");
    private static final Source HIDE_HOST_GLOBALS = Source.create("js",
            "for (const n of ['Java', 'Packages', 'java', 'javax', 'javafx', 'com', 'org', 'edu', 'Graal']) {"
                    + " if (!delete globalThis[n]) throw new Error('cannot hide ' + n); }");
    private static final ObjectMapper QUOTER = new ObjectMapper();
    private static final String BODY_PREFIX = "(function ($, _) {\n";
    private static final String BODY_SUFFIX = "\n})";
    private static final String EXPRESSION_PREFIX = "(function ($, _) { return (\n";
    private static final String EXPRESSION_SUFFIX = "\n); })";

    private static volatile Engine engine;
    private static final Set<JsFunction.Slot> BUSY = ConcurrentHashMap.newKeySet();

    private JsSandbox() {
    }

    /**
     * Compiles {@code script} into a function run through {@code adapter}, a JavaScript
     * expression evaluating to {@code function (fn) { return function (input) {...} }} that
     * wraps the user's function (called as {@code fn($, _)}) once per context.
     *
     * @param name      names the script in errors, such as {@code hubspot.transform}
     * @param timeLimit the longest one call may run
     * @throws ScriptSyntaxException when the script does not compile, with the line and column
     */
    public static JsFunction compile(String name, String script, String adapter, Duration timeLimit)
            throws ScriptSyntaxException {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(adapter, "adapter");
        Source source = wrap(name, script);
        Source adapterSource = Source.create("js", adapter);
        return new JsFunction(name, source, adapterSource, timeLimit);
    }

    /** Checks that {@code script} compiles, as {@link #compile} would. */
    public static void check(String name, String script) throws ScriptSyntaxException {
        wrap(name, script);
    }

    /**
     * The user's script as a function source: as an expression when it is one, else as a body.
     * Whatever form is chosen, the user's text must also parse on its own as that form (through
     * the {@code Function} constructor, which parses a body by itself): text that closes the
     * wrapper it is pasted into and runs code outside it is refused as a syntax error.
     */
    private static Source wrap(String name, String script) throws ScriptSyntaxException {
        Objects.requireNonNull(script, "script");
        try (Context checker = newContext()) {
            Source expression = Source.create("js", EXPRESSION_PREFIX + script + EXPRESSION_SUFFIX);
            expression = Source.newBuilder("js", expression.getCharacters(), name).buildLiteral();
            try {
                checker.parse(expression);
                requireStandalone(checker, "return (\n" + script + "\n);", script);
                return expression;
            } catch (PolyglotException notAnExpression) {
                if (!notAnExpression.isSyntaxError()) {
                    throw notAnExpression;
                }
            }
            Source body = Source.newBuilder("js", BODY_PREFIX + script + BODY_SUFFIX, name).buildLiteral();
            try {
                checker.parse(body);
            } catch (PolyglotException e) {
                if (!e.isSyntaxError()) {
                    throw e;
                }
                throw syntaxError(e, script);
            }
            requireStandalone(checker, script, script);
            if (!hasTopLevelReturn(checker, script)) {
                // Jitsu returned the value of the last statement of a body without return
                // ("$.user = $.eventn_ctx.user; $"): a direct eval gives exactly that.
                return Source.newBuilder("js", BODY_PREFIX + "return eval(" + quoted(script) + ");" + BODY_SUFFIX,
                        name).buildLiteral();
            }
            return body;
        }
    }

    /**
     * Whether a function body returns at its top level: the parser decides, not a search for the
     * word (a {@code return} inside a nested function, a string or a comment is not one). A body
     * that also parses as a program has no top-level {@code return}, which a program may not have.
     */
    private static boolean hasTopLevelReturn(Context checker, String script) {
        try {
            checker.parse(Source.create("js", script));
            return false;
        } catch (PolyglotException e) {
            if (!e.isSyntaxError()) {
                throw e;
            }
            return true;
        }
    }

    /** Refuses text that parses inside the wrapper only because it closes it. */
    private static void requireStandalone(Context checker, String functionBody, String script)
            throws ScriptSyntaxException {
        try {
            // Constructing a function parses its body alone and runs none of it.
            checker.eval(Source.create("js", "new Function('$', '_', " + quoted(functionBody) + ")"));
        } catch (PolyglotException e) {
            if (!e.isSyntaxError()) {
                throw e;
            }
            throw new ScriptSyntaxException(1, 1, "the script must be one expression or one function body; it "
                    + "closes the function it is run in (" + firstLineOf(e.getMessage()) + ")");
        }
    }

    private static String firstLineOf(String message) {
        String m = String.valueOf(message);
        int newline = m.indexOf('\n');
        return newline < 0 ? m : m.substring(0, newline);
    }

    private static String quoted(String script) {
        try {
            return QUOTER.writeValueAsString(script);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a string could not be written as JSON", e);
        }
    }

    private static ScriptSyntaxException syntaxError(PolyglotException e, String script) {
        List<String> scriptLines = script.lines().toList();
        int lines = Math.max(1, scriptLines.size());
        SourceSection at = e.getSourceLocation();
        int line;
        int column;
        if (at == null) {
            line = 1;
            column = 1;
        } else if (at.getStartLine() - 1 > scriptLines.size()) {
            // Found in the wrapper after the user's text: the script ended too early ("$.user ?").
            line = lines;
            column = (scriptLines.isEmpty() ? 0 : scriptLines.get(lines - 1).length()) + 1;
        } else {
            line = Math.max(1, Math.min(lines, at.getStartLine() - 1));
            column = at.getStartLine() - 1 != line ? 1 : Math.max(1, at.getStartColumn());
        }
        String first = firstLineOf(e.getMessage());
        Matcher prefix = LOCATION_PREFIX.matcher(first);
        String problem = prefix.find() ? (prefix.group(1) == null ? "" : prefix.group(1)) + first.substring(prefix.end())
                : first;
        if (at != null && at.getStartLine() - 1 > scriptLines.size()) {
            // What the parser found there is our wrapper's closing bracket, not the user's text.
            problem = problem.replaceFirst("but found [})\\]]\\s*$", "but found the end of the script");
        }
        return new ScriptSyntaxException(line, column, problem);
    }

    /**
     * A context that reaches nothing outside itself, on the engine all contexts share (so the
     * code is parsed once; measured: an engine per context was not faster per call here).
     */
    static Context newContext() {
        Context.Builder builder = Context.newBuilder("js").engine(engine());
        Context context = builder
                .allowHostAccess(HostAccess.NONE)
                .allowHostClassLookup(className -> false)
                .allowHostClassLoading(false)
                .allowIO(IOAccess.NONE)
                .allowCreateThread(false)
                .allowCreateProcess(false)
                .allowNativeAccess(false)
                .allowEnvironmentAccess(EnvironmentAccess.NONE)
                .allowPolyglotAccess(PolyglotAccess.NONE)
                .allowValueSharing(false)
                .out(OutputStream.nullOutputStream())
                .err(OutputStream.nullOutputStream())
                .option("js.print", "false")
                .option("js.load", "false")
                .option("js.console", "false")
                .option("js.ecmascript-version", "2023")
                .build();
        try {
            // With host access off these only throw, but a script should not see them at all:
            // `Java.type` is then simply not defined.
            context.eval(HIDE_HOST_GLOBALS);
        } catch (RuntimeException e) {
            context.close(true);
            throw e;
        }
        return context;
    }

    private static Engine engine() {
        Engine e = engine;
        if (e == null) {
            synchronized (JsSandbox.class) {
                e = engine;
                if (e == null) {
                    // On a stock JDK GraalJS runs interpreted; that is expected here, so its
                    // warning is switched off by the engine's own option, not by muting logs.
                    e = Engine.newBuilder("js")
                            .option("engine.WarnInterpreterOnly", "false")
                            .out(OutputStream.nullOutputStream())
                            .err(OutputStream.nullOutputStream())
                            .build();
                    engine = e;
                    startWatchdog();
                }
            }
        }
        return e;
    }

    private static void startWatchdog() {
        Thread watchdog = new Thread(() -> {
            while (true) {
                try {
                    TimeUnit.MILLISECONDS.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
                long now = System.nanoTime();
                for (JsFunction.Slot slot : BUSY) {
                    slot.interruptIfOverdue(now);
                }
            }
        }, "sluice-js-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    static void busy(JsFunction.Slot slot) {
        BUSY.add(slot);
    }

    static void idle(JsFunction.Slot slot) {
        BUSY.remove(slot);
    }

    /** The failure of one call, described by kind and line without values from the input. */
    static ScriptFailure failure(PolyglotException e, String name, Duration timeLimit) {
        if (e.isInterrupted() || e.isCancelled()) {
            return new ScriptFailure("timeout", "stopped after the time limit of " + timeLimit.toMillis() + " ms (CPU time)",
                    OptionalInt.empty());
        }
        if (e.isResourceExhausted()) {
            return new ScriptFailure("resource exhausted", "ran out of resources: " + e.getMessage(), line(e, name));
        }
        String message = String.valueOf(e.getMessage());
        Matcher errorName = ERROR_NAME.matcher(message);
        String kind = errorName.find() ? errorName.group(1) : e.isGuestException() ? "Error" : "error";
        return new ScriptFailure(kind, message, line(e, name));
    }

    private static OptionalInt line(PolyglotException e, String name) {
        for (PolyglotException.StackFrame frame : e.getPolyglotStackTrace()) {
            SourceSection at = frame.getSourceLocation();
            if (frame.isGuestFrame() && at != null && name.equals(at.getSource().getName())) {
                return OptionalInt.of(Math.max(1, at.getStartLine() - 1));
            }
        }
        return OptionalInt.empty();
    }

    /** For the watchdog: interrupts {@code context}, and closes it when that does not work in time. */
    static boolean interrupt(Context context) {
        try {
            context.interrupt(Duration.ofSeconds(2));
            return true;
        } catch (TimeoutException | RuntimeException e) {
            try {
                context.close(true);
            } catch (RuntimeException ignored) {
                // Nothing else to do: the slot is dropped by its caller.
            }
            return false;
        }
    }
}
