package dev.sluice.host.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fast path for the most common JavaScript templates, plain property paths such as
 * {@code $.user?.email} or {@code $.eventn_ctx.user.email}, possibly joined by {@code ??}
 * ({@code $.user?.email ?? $.eventn_ctx?.user?.email}, HubSpot's default): read from the event
 * directly, with JavaScript's meaning — reading a property of a missing or null value fails,
 * unless that step is {@code ?.}, which makes the whole path {@code undefined}; {@code a ?? b} is
 * {@code b} when {@code a} is missing or null. Every other JavaScript template runs in the engine
 * ({@link JsTemplate}).
 */
final class PathTemplate implements TableNameTemplate {

    private static final Pattern WHOLE = Pattern.compile("\\s*[$_]((?:\\??\\.[A-Za-z_$][A-Za-z0-9_$]*)+)\\s*");
    private static final Pattern NULLISH = Pattern.compile("\\?\\?");
    private static final Pattern STEP = Pattern.compile("(\\?)?\\.([A-Za-z_$][A-Za-z0-9_$]*)");

    private record Step(String name, boolean optional) {
    }

    private final String source;
    private final List<List<Step>> paths;

    private PathTemplate(String source, List<List<Step>> paths) {
        this.source = source;
        this.paths = List.copyOf(paths);
    }

    /** The path template for {@code text}, or null when it is not plain paths joined by {@code ??}. */
    static PathTemplate ofPath(String text) {
        List<List<Step>> paths = new ArrayList<>();
        for (String part : NULLISH.split(text, -1)) {
            Matcher whole = WHOLE.matcher(part);
            if (!whole.matches()) {
                return null;
            }
            List<Step> steps = new ArrayList<>();
            Matcher step = STEP.matcher(whole.group(1));
            while (step.find()) {
                steps.add(new Step(step.group(2), step.group(1) != null));
            }
            paths.add(steps);
        }
        return new PathTemplate(text.trim(), paths);
    }

    @Override
    public String render(Map<String, Object> event) throws TemplateEvaluationException {
        Object value = null;
        for (List<Step> path : paths) {
            value = read(event, path);
            if (value != null) {
                break;
            }
        }
        return TemplateText.of(value);
    }

    private Object read(Map<String, Object> event, List<Step> path) throws TemplateEvaluationException {
        Object node = event;
        for (Step step : path) {
            if (node == null) {
                if (step.optional()) {
                    return null;
                }
                throw new TemplateEvaluationException("JavaScript failed: TypeError: cannot read property '"
                        + step.name() + "' of undefined or null in " + source);
            }
            node = property(node, step.name());
        }
        return node;
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
