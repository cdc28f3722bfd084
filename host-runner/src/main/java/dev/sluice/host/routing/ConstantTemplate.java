package dev.sluice.host.routing;

import java.util.Map;
import java.util.Objects;

/** A template without placeholders or {@code $}: the same text for every event. */
record ConstantTemplate(String text) implements TableNameTemplate {

    public ConstantTemplate {
        Objects.requireNonNull(text, "text");
    }

    @Override
    public String render(Map<String, Object> event) {
        return text;
    }
}
