package dev.sluice.host.routing;

import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A read-only view over a mutable JSON-like tree, wrapping nested maps and lists lazily as they
 * are read: templates may call methods on the event, and none of them may change it. Cheaper
 * than a deep copy because only the values a template touches are wrapped.
 */
final class ReadOnlyJsonView {

    private ReadOnlyJsonView() {
    }

    @SuppressWarnings("unchecked")
    static Object of(Object value) {
        if (value instanceof Map<?, ?> map) {
            return new MapView((Map<String, Object>) map);
        }
        if (value instanceof List<?> list) {
            return new ListView((List<Object>) list);
        }
        return value;
    }

    private static final class MapView extends AbstractMap<String, Object> {
        private final Map<String, Object> map;

        MapView(Map<String, Object> map) {
            this.map = map;
        }

        @Override
        public Object get(Object key) {
            return of(map.get(key));
        }

        @Override
        public boolean containsKey(Object key) {
            return map.containsKey(key);
        }

        @Override
        public int size() {
            return map.size();
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public Iterator<Entry<String, Object>> iterator() {
                    Iterator<Entry<String, Object>> entries = map.entrySet().iterator();
                    return new Iterator<>() {
                        @Override
                        public boolean hasNext() {
                            return entries.hasNext();
                        }

                        @Override
                        public Entry<String, Object> next() {
                            Entry<String, Object> e = entries.next();
                            return new SimpleImmutableEntry<>(e.getKey(), of(e.getValue()));
                        }
                    };
                }

                @Override
                public int size() {
                    return map.size();
                }
            };
        }
    }

    private static final class ListView extends AbstractList<Object> {
        private final List<Object> list;

        ListView(List<Object> list) {
            this.list = list;
        }

        @Override
        public Object get(int index) {
            return of(list.get(index));
        }

        @Override
        public int size() {
            return list.size();
        }
    }
}
