package dev.sluice.host.routing;

import java.util.Map;

/**
 * A compiled {@code table_name_template}: decides, per event, whether a destination keeps it.
 * Instances are immutable and thread-safe.
 *
 * <p>Which form a text is: it contains {@code {{} → a Go-style template ({@link GoStyleTemplate});
 * else it contains {@code $} → a JavaScript-like expression over the event bound to {@code $}
 * ({@link JexlTemplate}); else a constant.
 */
sealed interface TableNameTemplate permits ConstantTemplate, GoStyleTemplate, JexlTemplate {

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
        if (text.contains("$")) {
            return JexlTemplate.compile(text);
        }
        return new ConstantTemplate(text);
    }

    /** Whether a rendered result means "skip this event here": blank, {@code null} or {@code false} once trimmed. */
    static boolean skips(String rendered) {
        String text = rendered.trim();
        return text.isEmpty() || text.equals("null") || text.equals("false");
    }
}
