package dev.sluice.host.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The subset of Go's text/template that Jitsu configs use for table names: literal text around
 * field references such as {@code {{.event_type}}} or {@code {{ .user.email }}}. A reference to a
 * missing or null field renders as nothing; when the template is a single reference, its value is
 * converted like an expression's result (objects give {@code null}).
 */
final class GoStyleTemplate implements TableNameTemplate {

    private static final Pattern ACTION = Pattern.compile("\\{\\{(.*?)}}", Pattern.DOTALL);
    private static final Pattern FIELD = Pattern.compile("\\.([A-Za-z0-9_\\-]+(?:\\.[A-Za-z0-9_\\-]+)*)");

    /** Either literal text or a field path. */
    private record Part(String literal, List<String> path) {
    }

    private final List<Part> parts;

    private GoStyleTemplate(List<Part> parts) {
        this.parts = List.copyOf(parts);
    }

    static GoStyleTemplate parse(String text) throws InvalidTemplateException {
        List<Part> parts = new ArrayList<>();
        Matcher matcher = ACTION.matcher(text);
        int last = 0;
        while (matcher.find()) {
            if (matcher.start() > last) {
                parts.add(literal(text.substring(last, matcher.start())));
            }
            String action = matcher.group(1).trim();
            Matcher field = FIELD.matcher(action);
            if (!field.matches()) {
                throw new InvalidTemplateException("unsupported Go template action '{{" + matcher.group(1)
                        + "}}' at character " + (matcher.start() + 1)
                        + ": only field references such as {{.event_type}} or {{.user.email}} are supported");
            }
            parts.add(new Part(null, List.of(field.group(1).split("\\."))));
            last = matcher.end();
        }
        String rest = text.substring(last);
        if (rest.contains("{{")) {
            throw new InvalidTemplateException("unclosed '{{' at character " + (text.indexOf("{{", last) + 1)
                    + ": a Go template action must end with '}}'");
        }
        if (!rest.isEmpty()) {
            parts.add(literal(rest));
        }
        return new GoStyleTemplate(parts);
    }

    private static Part literal(String text) {
        return new Part(text, null);
    }

    @Override
    public String render(Map<String, Object> event) {
        if (parts.size() == 1 && parts.get(0).path() != null) {
            return TemplateText.of(lookup(event, parts.get(0).path()));
        }
        StringBuilder out = new StringBuilder();
        for (Part part : parts) {
            if (part.path() == null) {
                out.append(part.literal());
            } else {
                Object value = lookup(event, part.path());
                if (value != null) {
                    out.append(TemplateText.of(value));
                }
            }
        }
        return out.toString();
    }

    private static Object lookup(Map<String, Object> event, List<String> path) {
        Object node = event;
        for (String segment : path) {
            if (!(node instanceof Map<?, ?> map)) {
                return null;
            }
            node = map.get(segment);
        }
        return node;
    }
}
