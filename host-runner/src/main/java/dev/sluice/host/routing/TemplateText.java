package dev.sluice.host.routing;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.Map;

/** Converts a template value to text the way Jitsu did. */
final class TemplateText {

    private TemplateText() {
    }

    /**
     * Numbers as their plain decimal text, booleans as {@code true}/{@code false}, strings as they
     * are; null, objects and arrays as {@code null}.
     */
    static String of(Object value) {
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Boolean || value instanceof Character) {
            return value.toString();
        }
        if (value instanceof Double d) {
            return plainDouble(d);
        }
        if (value instanceof Float f) {
            return plainDouble(f.doubleValue());
        }
        if (value instanceof BigDecimal b) {
            return b.stripTrailingZeros().toPlainString();
        }
        if (value instanceof Number n) {
            return n.toString();
        }
        if (value == null || value instanceof Map<?, ?> || value instanceof Collection<?>) {
            return "null";
        }
        return "null";
    }

    private static String plainDouble(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return "null";
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }
}
