package dev.sluice.hubspot.catalog;

import dev.sluice.api.DestinationMetrics;
import dev.sluice.api.DestinationException;
import dev.sluice.hubspot.ApiVersion;
import dev.sluice.hubspot.http.HubSpotTransport;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The portal's contact properties, cached: the whitelist and the types that user keys and values
 * are mapped by. Read at start ({@link #load()}), re-read on the delivery thread at the first use
 * after {@code catalog_refresh} has passed or after {@link #invalidate()}. A failed re-read keeps
 * the catalog it has, logs a warning and is tried again one {@code catalog_refresh} later (or at
 * the next use after another {@code invalidate()}).
 *
 * <p>Keys are normalised by {@link PropertyKeys}; when the exact name is not a property, the name
 * without leading and trailing {@code _} is tried. Keys without a property, read-only and
 * calculated properties are dropped; values are coerced by {@link PropertyValueCoercer}. When two
 * keys map to the same property the later non-empty one wins and the earlier is listed as dropped.
 *
 * <p>Used from the destination's delivery thread; safe to call from others too.
 */
public final class PropertyCatalog implements ContactPropertyMapper {

    private final System.Logger logger;
    private final PropertyValueCoercer coercer = new PropertyValueCoercer();
    private final DroppedUserKeys droppedKeys;
    private final DestinationMetrics metrics;
    /** Property and reason pairs already told about, so each is logged once. */
    private final Set<String> toldValueDrops = ConcurrentHashMap.newKeySet();
    static final int MAX_TOLD_VALUE_DROPS = 1000;

    private final RefreshingValue<Map<String, ContactProperty>> properties;

    public PropertyCatalog(HubSpotTransport transport, ApiVersion version, Duration refresh, Clock clock,
                           System.Logger logger) {
        this(transport, version, refresh, clock, logger, DestinationMetrics.NONE);
    }

    /** A catalog that also reports every dropped key and value to the host's metrics. */
    public PropertyCatalog(HubSpotTransport transport, ApiVersion version, Duration refresh, Clock clock,
                           System.Logger logger, DestinationMetrics metrics) {
        this(new ContactPropertyReader(transport, version), refresh, clock, logger, metrics);
    }

    PropertyCatalog(ContactPropertyReader reader, Duration refresh, Clock clock, System.Logger logger) {
        this(reader, refresh, clock, logger, DestinationMetrics.NONE);
    }

    PropertyCatalog(ContactPropertyReader reader, Duration refresh, Clock clock, System.Logger logger,
                    DestinationMetrics metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(reader, "reader");
        this.logger = Objects.requireNonNull(logger, "logger");
        this.properties = new RefreshingValue<>("contact properties", () -> Map.copyOf(reader.read()), refresh, clock,
                logger, Map::size, e -> {
                    throw new CatalogUnavailableException(e);
                });
        this.droppedKeys = new DroppedUserKeys(logger);
    }

    /** The user keys left out for want of a writable contact property, counted (and each logged once). */
    public DroppedUserKeys droppedUserKeys() {
        return droppedKeys;
    }

    @Override
    public void load() throws DestinationException {
        properties.load();
    }

    @Override
    public void invalidate() {
        properties.invalidate();
    }

    /** The properties now cached, reading them first if due. */
    public Map<String, ContactProperty> properties() {
        return current();
    }

    /** The writable property a user key maps to, if any. */
    public Optional<ContactProperty> propertyFor(String userKey) {
        return resolve(current(), userKey);
    }

    @Override
    public MappedProperties map(Map<String, Object> user) {
        Map<String, ContactProperty> catalog = current();
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> sourceKey = new LinkedHashMap<>();
        List<String> dropped = new ArrayList<>();
        for (Map.Entry<String, Object> entry : user.entrySet()) {
            String key = entry.getKey();
            Optional<ContactProperty> property = resolve(catalog, key);
            if (property.isEmpty()) {
                dropKey(catalog, key, "no such contact property", dropped);
                continue;
            }
            ContactProperty p = property.get();
            if (p.calculated()) {
                dropKey(catalog, key, "contact property '" + p.name() + "' is calculated by HubSpot", dropped);
                continue;
            }
            if (p.readOnly()) {
                dropKey(catalog, key, "contact property '" + p.name() + "' is read-only", dropped);
                continue;
            }
            PropertyValueCoercer.Coerced coerced = coercer.coerce(p, entry.getValue());
            if (coerced instanceof PropertyValueCoercer.Dropped d) {
                dropped.add("'" + key + "': " + d.reason());
                dropValue(p, d);
            } else if (coerced instanceof PropertyValueCoercer.Value v) {
                String earlier = sourceKey.put(p.name(), key);
                if (earlier != null) {
                    dropped.add("'" + earlier + "': overridden by '" + key + "' (both are contact property '"
                            + p.name() + "')");
                    values.remove(p.name());
                }
                values.put(p.name(), v.text());
            }
        }
        return new MappedProperties(values, dropped);
    }

    private void dropKey(Map<String, ContactProperty> catalog, String key, String reason, List<String> dropped) {
        dropped.add("'" + key + "': " + reason);
        String normalised = PropertyKeys.normalise(key);
        droppedKeys.record(key, normalised, reason, () -> writableNames(catalog));
        metrics.valueDropped(normalised, reason.startsWith("no such") ? "no such contact property"
                : reason.endsWith("read-only") ? "read-only contact property" : "calculated contact property");
    }

    /**
     * A value that does not convert to its property's type: counted by property and reason, and
     * told once per property and reason (never the value: it may be personal data).
     */
    private void dropValue(ContactProperty p, PropertyValueCoercer.Dropped d) {
        metrics.valueDropped(p.name(), d.kind());
        if (toldValueDrops.size() < MAX_TOLD_VALUE_DROPS && toldValueDrops.add(p.name() + "\u0000" + d.kind())) {
            logger.log(System.Logger.Level.WARNING, "Values of contact property '" + p.name() + "' (" + p.type()
                    + ") are dropped: " + d.reason() + ". Logged once per property and reason; counted in "
                    + "/api/v1/stats and /metrics (dropped_values)");
        }
    }

    private static List<String> writableNames(Map<String, ContactProperty> catalog) {
        return catalog.values().stream().filter(ContactProperty::writable).map(ContactProperty::name).toList();
    }

    @Override
    public Optional<String> coerce(String propertyName, Object value) {
        ContactProperty p = current().get(propertyName);
        if (p == null || !p.writable()) {
            return Optional.empty();
        }
        return coercer.coerce(p, value) instanceof PropertyValueCoercer.Value v ? Optional.of(v.text()) : Optional.empty();
    }

    private static Optional<ContactProperty> resolve(Map<String, ContactProperty> catalog, String key) {
        String name = PropertyKeys.normalise(key);
        ContactProperty p = catalog.get(name);
        if (p == null) {
            String trimmed = PropertyKeys.trimmed(name);
            if (!trimmed.equals(name)) {
                p = catalog.get(trimmed);
            }
        }
        return Optional.ofNullable(p);
    }

    /** The catalog, refreshed first when due; throws only when there has never been one. */
    private Map<String, ContactProperty> current() {
        return properties.current();
    }
}
