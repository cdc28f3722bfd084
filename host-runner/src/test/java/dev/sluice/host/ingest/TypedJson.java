package dev.sluice.host.ingest;

import java.util.List;
import java.util.Map;

/** JSON values as the events parser builds them, spelled out for comparison in tests. */
final class TypedJson {

    private TypedJson() {
    }

    /** The value with every key order and every Java type spelled out, so that a difference in either shows. */
    static String typed(Object value) {
        if (value instanceof Map<?, ?> map) {
            StringBuilder out = new StringBuilder(map.getClass().getSimpleName()).append('{');
            map.forEach((k, v) -> out.append(k).append('=').append(typed(v)).append(';'));
            return out.append('}').toString();
        }
        if (value instanceof List<?> list) {
            StringBuilder out = new StringBuilder(list.getClass().getSimpleName()).append('[');
            list.forEach(v -> out.append(typed(v)).append(';'));
            return out.append(']').toString();
        }
        return value == null ? "null" : value.getClass().getSimpleName() + ":" + value;
    }
}
