package dev.sluice.bench;

import java.util.Objects;

/**
 * One measured figure: the row it belongs to, its value, the goal it is judged against (empty
 * when there is none) and a note on how it was measured.
 *
 * @param key     stable identifier ({@code ingest.c32.ratio}), what the smoke test looks for
 * @param section the benchmark it comes from
 * @param name    what it is, in words
 * @param value   the number (NaN when it could not be measured)
 * @param unit    how to read the number
 * @param goal    the goal in words, or empty
 * @param met     whether the goal is met; null when there is no goal
 */
public record Figure(String key, String section, String name, double value, String unit, String goal, Boolean met) {

    public Figure {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(section, "section");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(goal, "goal");
    }

    static Figure of(String key, String section, String name, double value, String unit) {
        return new Figure(key, section, name, value, unit, "", null);
    }

    Figure withGoal(String goalText, boolean isMet) {
        return new Figure(key, section, name, value, unit, goalText, isMet);
    }

    String formattedValue() {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        if (Math.abs(value) >= 100 || value == Math.rint(value)) {
            return String.format("%,.0f", value);
        }
        if (Math.abs(value) >= 10) {
            return String.format("%.1f", value);
        }
        return String.format("%.2f", value);
    }
}
