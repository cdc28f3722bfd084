package dev.sluice.hubspot.delivery.testing;

import dev.sluice.hubspot.catalog.ContactPropertyMapper;
import dev.sluice.hubspot.catalog.MappedProperties;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory catalog: keys normalised as Jitsu did, kept when the name is in {@code known},
 * values turned into strings; null and empty values left out.
 */
public final class FakePropertyMapper implements ContactPropertyMapper {

    private final Set<String> known;
    private final AtomicInteger loads = new AtomicInteger();
    private final AtomicInteger invalidations = new AtomicInteger();

    public FakePropertyMapper(Set<String> known) {
        this.known = Set.copyOf(known);
    }

    public static FakePropertyMapper standard() {
        return new FakePropertyMapper(Set.of("email", "firstname", "lastname", "phone", "company", "city",
                "lifecyclestage", "first_name", "plan"));
    }

    @Override
    public void load() {
        loads.incrementAndGet();
    }

    @Override
    public MappedProperties map(Map<String, Object> user) {
        Map<String, String> properties = new LinkedHashMap<>();
        List<String> dropped = new ArrayList<>();
        user.forEach((key, value) -> {
            String name = key.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
            if (!known.contains(name)) {
                dropped.add("'" + key + "': no such contact property");
                return;
            }
            coerce(name, value).ifPresent(v -> properties.put(name, v));
        });
        return new MappedProperties(properties, dropped);
    }

    @Override
    public Optional<String> coerce(String propertyName, Object value) {
        if (value == null || (value instanceof String s && s.isEmpty())) {
            return Optional.empty();
        }
        if (value instanceof Double d) {
            return Optional.of(BigDecimal.valueOf(d).stripTrailingZeros().toPlainString());
        }
        return Optional.of(String.valueOf(value));
    }

    @Override
    public void invalidate() {
        invalidations.incrementAndGet();
    }

    public int loads() {
        return loads.get();
    }

    public int invalidations() {
        return invalidations.get();
    }
}
