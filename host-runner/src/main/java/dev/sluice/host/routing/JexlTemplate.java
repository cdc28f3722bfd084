package dev.sluice.host.routing;

import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.jexl3.JexlBuilder;
import org.apache.commons.jexl3.JexlEngine;
import org.apache.commons.jexl3.JexlException;
import org.apache.commons.jexl3.JexlFeatures;
import org.apache.commons.jexl3.JexlScript;
import org.apache.commons.jexl3.MapContext;
import org.apache.commons.jexl3.introspection.JexlPermissions;
import org.apache.commons.jexl3.introspection.JexlUberspect;

/**
 * A JavaScript-like expression over the event bound to {@code $}, such as {@code $.user?.email}
 * or {@code $.event_type == "pageview" ? "" : $.event_type}, run by Apache Commons JEXL in a
 * sandbox:
 * <ul>
 *   <li>one expression only: no statements, loops, lambdas, local variables, pragmas, annotations
 *       or {@code new}, so the cost of an evaluation is bounded by the expression's size;</li>
 *   <li>no side effects: assignments are refused at compile time and the event is passed as a
 *       read-only view;</li>
 *   <li>{@link JexlPermissions#RESTRICTED} class access (no reflection, class loading, system,
 *       process, file or network classes), plus {@code String.repeat} denied;</li>
 *   <li>strict: reading a property of null is an error, use {@code ?.} to navigate missing
 *       objects.</li>
 * </ul>
 */
final class JexlTemplate implements TableNameTemplate {

    private static final JexlFeatures FEATURES = new JexlFeatures()
            .script(false)
            .loops(false)
            .lambda(false)
            .thinArrow(false)
            .fatArrow(false)
            .localVar(false)
            .sideEffect(false)
            .sideEffectGlobal(false)
            .newInstance(false)
            .pragma(false)
            .pragmaAnywhere(false)
            .importPragma(false)
            .namespacePragma(false)
            .annotation(false)
            .register(false)
            .methodCall(true)
            .structuredLiteral(true);

    private static final JexlPermissions PERMISSIONS = JexlPermissions.RESTRICTED.compose(
            "java.lang { String { repeat(); } }");

    private static final JexlEngine ENGINE = new JexlBuilder()
            .features(FEATURES)
            .permissions(PERMISSIONS)
            .strict(true)
            .safe(false)
            .silent(false)
            .antish(false)
            .cancellable(false)
            // JEXL caches each node's resolved property getter only when its cache is on; without
            // it every evaluation re-resolves them. The templates are compiled once anyway.
            .cache(64)
            // JSON objects: a key wins over a Java getter of the same name ($.class, $.empty).
            .strategy(JexlUberspect.MAP_STRATEGY)
            .create();

    private static final Pattern POSITION = Pattern.compile("^\\S*?@(\\d+:\\d+)");

    private final String source;
    private final JexlScript script;

    private JexlTemplate(String source, JexlScript script) {
        this.source = source;
        this.script = script;
    }

    static JexlTemplate compile(String text) throws InvalidTemplateException {
        Objects.requireNonNull(text, "text");
        try {
            return new JexlTemplate(text, ENGINE.createScript(FEATURES, null, text, "$"));
        } catch (JexlException e) {
            throw new InvalidTemplateException("expression '" + text + "' does not compile" + describe(e));
        }
    }

    @Override
    public String render(Map<String, Object> event) throws TemplateEvaluationException {
        try {
            return TemplateText.of(script.execute(new MapContext(), ReadOnlyJsonView.of(event)));
        } catch (JexlException e) {
            throw new TemplateEvaluationException("expression '" + source + "' failed" + withoutEventValues(describe(e), source));
        } catch (RuntimeException e) {
            throw new TemplateEvaluationException("expression '" + source + "' failed: "
                    + e.getClass().getSimpleName());
        }
    }

    /**
     * JEXL's message without its Java location prefix: the position in the expression and the
     * construct that failed ({@code at 1:5: undefined property 'b'}), not the values involved.
     */
    private static String describe(JexlException e) {
        String message = e.getMessage();
        if (message == null) {
            return ": " + e.getClass().getSimpleName();
        }
        int newline = message.indexOf('\n');
        String line = newline < 0 ? message : message.substring(0, newline);
        Matcher position = POSITION.matcher(line);
        return position.find() ? " at " + position.group(1) + ": " + line.substring(position.end()).trim() : ": " + line;
    }

    /**
     * JEXL quotes the name it could not resolve at the end of its message, and a computed name
     * ({@code [1, 2][$.kind]}) is a value of the event, which must not reach the router's log: the
     * quoted part stays only when it is written in the expression itself. The whole rest of the
     * line is judged at once, so a value that holds quotes itself cannot slip through.
     */
    private static String withoutEventValues(String line, String source) {
        int open = line.indexOf('\'');
        if (open < 0) {
            return line;
        }
        String rest = line.substring(open);
        boolean written = rest.length() >= 2 && rest.endsWith("'")
                && source.contains(rest.substring(1, rest.length() - 1));
        return written ? line : line.substring(0, open) + "'<a value of the event>'";
    }

    @Override
    public String toString() {
        return "JexlTemplate{" + source + "}";
    }
}
