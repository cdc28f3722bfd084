package dev.sluice.host.routing;

import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A compiled {@code table_name_template}: decides, per event, whether a destination keeps it.
 * Instances are immutable and thread-safe.
 *
 * <p>Which form a text is: it contains {@code {{} → a Go-style template ({@link GoStyleTemplate});
 * else it uses the event ({@code $}, {@code _.}) or says {@code return} → JavaScript, the body of
 * a function of the event as in Jitsu Classic: a plain property path ({@link PathTemplate}) is
 * read directly, anything else runs in the sandboxed engine ({@link JsTemplate}); else a constant.
 */
sealed interface TableNameTemplate extends AutoCloseable permits ConstantTemplate, GoStyleTemplate, JsTemplate,
        PathTemplate {

    /** How long one JavaScript template call may run. */
    Duration TIME_LIMIT = Duration.ofSeconds(1);

    /** Text that makes a template JavaScript rather than a constant. */
    Pattern JAVASCRIPT = Pattern.compile("\\$|(?<![A-Za-z0-9_$])_\\.|\\breturn\\b");

    /**
     * The template's result for this event as text (see {@link TemplateText#of}), not yet trimmed.
     * The event must not be changed by the caller while this runs; the template cannot change it.
     *
     * @throws TemplateEvaluationException when the template fails for this event
     */
    String render(Map<String, Object> event) throws TemplateEvaluationException;

    /** Compiles a template text into its form. */
    static TableNameTemplate compile(String text) throws InvalidTemplateException {
        if (text.contains("{{")) {
            return GoStyleTemplate.parse(text);
        }
        if (JAVASCRIPT.matcher(text).find()) {
            PathTemplate path = PathTemplate.ofPath(text);
            return path != null ? path : JsTemplate.compile(text, TIME_LIMIT);
        }
        return new ConstantTemplate(text);
    }

    /** Checks a template text without keeping a compiled form. */
    static void check(String text) throws InvalidTemplateException {
        if (text.contains("{{")) {
            GoStyleTemplate.parse(text);
        } else if (JAVASCRIPT.matcher(text).find() && PathTemplate.ofPath(text) == null) {
            JsTemplate.check(text);
        }
    }

    /** Releases the engine contexts a JavaScript template holds; nothing for the others. */
    @Override
    default void close() {
    }

    /** Whether a rendered result means "skip this event here": blank, {@code null} or {@code false} once trimmed. */
    static boolean skips(String rendered) {
        String text = rendered.trim();
        return text.isEmpty() || text.equals("null") || text.equals("false");
    }
}
