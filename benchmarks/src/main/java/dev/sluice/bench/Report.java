package dev.sluice.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The figures of one suite run, in the order measured, and the notes printed under the table. */
public final class Report {

    private final List<Figure> figures = new ArrayList<>();
    private final Map<String, String> notes = new LinkedHashMap<>();

    synchronized void add(Figure figure) {
        figures.add(figure);
    }

    synchronized void note(String section, String text) {
        notes.merge(section, text, (a, b) -> a + "\n" + b);
    }

    public synchronized List<Figure> figures() {
        return Collections.unmodifiableList(new ArrayList<>(figures));
    }

    public synchronized Optional<Figure> figure(String key) {
        return figures.stream().filter(f -> f.key().equals(key)).findFirst();
    }

    public synchronized Map<String, String> notes() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(notes));
    }

    /** A markdown table of every figure, then the notes. */
    public synchronized String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("| section | figure | value | unit | goal | met |\n");
        out.append("|---|---|---:|---|---|---|\n");
        for (Figure f : figures) {
            out.append("| ").append(f.section()).append(" | ").append(f.name()).append(" | ")
                    .append(f.formattedValue()).append(" | ").append(f.unit()).append(" | ")
                    .append(f.goal()).append(" | ")
                    .append(f.met() == null ? "" : f.met() ? "yes" : "**no**").append(" |\n");
        }
        if (!notes.isEmpty()) {
            out.append('\n');
            notes.forEach((section, text) -> {
                for (String line : text.split("\n")) {
                    out.append("- ").append(section).append(": ").append(line).append('\n');
                }
            });
        }
        return out.toString();
    }
}
