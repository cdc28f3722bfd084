package dev.sluice.host.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fast path for the most common JavaScript template, a plain property path such as
 * {@code $.user?.email} or {@code $.eventn_ctx.user.email}: read from the event directly, with
 * JavaScript's meaning — reading a property of a missing or null value fails, unless that step
 * is {@code ?.}, which makes the whole path {@code undefined}. Every other JavaScript template
 * runs in the engine ({@link JsTemplate}).
 */
final class PathTemplate implements TableNameTemplate {

    private static final Pattern WHOLE = Pattern.compile("\\s*[$_]((?:\\??\\.[A-Za-z_$][A-Za-z0-9_$]*)+)\\s*");
    private static final Pattern STEP = Pattern.compile("(\\?)?\\.([A-Za-z_$][A-Za-z0-9_$]*)");

    private record Step(String name, boolean optional) {
    }

    private final String source;
    private final List<Step> steps;

    private PathTemplate(String source, List<Step> steps) {
        this.source = source;
        this.steps = List.copyOf(steps);
    }

    /** The path template for {@code text}, or null when it is not a plain path. */
    static PathTemplate ofPath(String text) {
        Matcher whole = WHOLE.matcher(text);
        if (!whole.matches()) {
            return null;
        }
        List<Step> steps = new ArrayList<>();
        Matcher step = STEP.matcher(whole.group(1));
        while (step.find()) {
            steps.add(new Step(step.group(2), step.group(1) != null));
        }
        return new PathTemplate(text.trim(), steps);
    }

    @Override
    public String render(Map<String, Object> event) throws TemplateEvaluationException {
        Object node = event;
        for (Step step : steps) {
            if (node == null) {
                if (step.optional()) {
                    return "null";
                }
                throw new TemplateEvaluationException("JavaScript failed: TypeError: cannot read property '"
                        + step.name() + "' of undefined or null in " + source);
            }
            node = property(node, step.name());
        }
        return TemplateText.of(node);
    }

    private static Object property(Object node, String name) {
        if (node instanceof Map<?, ?> map) {
            return map.get(name);
        }
        if (name.equals("length")) {
            if (node instanceof String s) {
                return s.length();
            }
            if (node instanceof List<?> list) {
                return list.size();
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "PathTemplate{" + source + "}";
    }
}
