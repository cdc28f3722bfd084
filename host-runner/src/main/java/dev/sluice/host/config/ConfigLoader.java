package dev.sluice.host.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.sluice.api.config.DestinationConfig;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a Jitsu Classic style YAML file ({@code server}, {@code api_keys}, {@code destinations})
 * into a {@link HostConfig}. Every structural problem of the file is collected and reported at
 * once, each naming the file, the destination id and the key. Keys Sluice does not use (Jitsu's
 * {@code sources:}, {@code users_recognition:}, {@code server.log}...) are warnings, so a Jitsu
 * config works unchanged; unknown keys under our own {@code delivery:} are errors, since they can
 * only be typos.
 *
 * <p>Whether a destination's type exists and its {@code config} is valid is the plugin's business:
 * see {@link DestinationValidator}.
 */
public final class ConfigLoader {

    private static final Set<String> TOP_LEVEL = Set.of("server", "api_keys", "destinations");
    private static final Set<String> SERVER_KEYS =
            Set.of("port", "bind", "max_event_size", "max_body_size", "plugins_dir", "data_dir", "durability",
                    "stats_token", "queue", "kafka");
    private static final Set<String> KAFKA_KEYS = Set.of("bootstrap_servers", "topic_prefix", "topics", "ack_timeout",
            "producer");
    /** Producer settings the host fixes: what makes "200 only after the broker acknowledged" true. */
    private static final Set<String> FIXED_PRODUCER_KEYS = Set.of("acks", "enable.idempotence", "key.serializer",
            "value.serializer", "bootstrap.servers");
    private static final Set<String> API_KEY_KEYS = Set.of("id", "client_secret", "server_secret", "origins");
    private static final Set<String> DELIVERY_KEYS = Set.of("batch_size", "linger", "retry_for", "backoff_initial",
            "backoff_max", "max_queued_events", "max_queued_bytes");
    static final String TEMPLATE_KEY = "table_name_template";
    static final String TRANSFORM_KEY = "transform";
    static final String TRANSFORM_ENABLED_KEY = "transform_enabled";
    private static final Set<String> LAYOUT_KEYS = Set.of(TEMPLATE_KEY, TRANSFORM_KEY, TRANSFORM_ENABLED_KEY);
    /** Stands for a value whose ${env:NAME} is unset: already reported, so no follow-up error. */
    private static final Object UNRESOLVED = new Object() {
        @Override
        public String toString() {
            return "(unset environment variable)";
        }
    };

    private final EnvReferences env;
    private final YAMLMapper yaml;

    /** @param env the environment {@code ${env:NAME}} reads from, usually {@link System#getenv()} */
    public ConfigLoader(Map<String, String> env) {
        this.env = new EnvReferences(env);
        this.yaml = YAMLMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();
    }

    /**
     * Reads and checks the file.
     *
     * @param file the config file; relative {@code plugins_dir}/{@code data_dir} resolve against its folder
     * @throws InvalidHostConfigException listing every problem found
     */
    public LoadedConfig load(Path file) throws InvalidHostConfigException {
        LoadedConfig loaded = read(file);
        if (!loaded.errors().isEmpty()) {
            throw new InvalidHostConfigException(loaded.errors());
        }
        return loaded;
    }

    /**
     * Reads and checks the file, keeping the problems found in {@link LoadedConfig#errors()}, so
     * that the plugins' checks ({@link DestinationValidator#validate(HostConfig, List)}) can be
     * listed together with them.
     *
     * @throws InvalidHostConfigException only when there is nothing to check further: the file cannot
     *                                    be read, is not YAML or not a map
     */
    public LoadedConfig read(Path file) throws InvalidHostConfigException {
        Objects.requireNonNull(file, "file");
        Problems problems = new Problems(file.toString());
        JsonNode root = readRoot(file);
        Object tree = isEmpty(root) ? Map.of() : plain(root, new ArrayList<>(), problems);
        Path base = file.toAbsolutePath().getParent();
        if (!(tree instanceof Map<?, ?> top)) {
            problems.error("", "the file must be a YAML map with server:, api_keys: and destinations:");
            throw new InvalidHostConfigException(problems.errors());
        }
        HostConfig config = read(file, base, asStringMap(top), problems);
        return new LoadedConfig(config, problems.warnings(), problems.errors());
    }

    /**
     * Reads only where the queue database lives ({@code server.data_dir}), for commands that work on
     * the stored queue (dead letters) and must not need the destinations' secrets in the
     * environment: {@code ${env:NAME}} is resolved in the {@code server:} section alone.
     *
     * @throws InvalidHostConfigException when the file cannot be read or {@code server:} is invalid
     */
    public Path dataDir(Path file) throws InvalidHostConfigException {
        Objects.requireNonNull(file, "file");
        Problems problems = new Problems(file.toString());
        JsonNode root = readRoot(file);
        JsonNode serverNode = isEmpty(root) ? null : root.get("server");
        Path dataDir = null;
        if (serverNode != null && !serverNode.isNull() && !serverNode.isObject()) {
            problems.error("server", "must be a map");
        } else {
            // Only data_dir is resolved: an unset ${env:...} elsewhere (stats_token) does not matter here.
            JsonNode dataDirNode = serverNode == null ? null : serverNode.get("data_dir");
            Map<String, Object> server = new LinkedHashMap<>();
            if (dataDirNode != null) {
                server.put("data_dir", plain(dataDirNode, new ArrayList<>(List.of("server", "data_dir")), problems));
            }
            dataDir = directory(server, "data_dir", file.toAbsolutePath().getParent(), "data", problems);
        }
        problems.throwIfAny();
        return dataDir;
    }

    private static boolean isEmpty(JsonNode root) {
        return root == null || root.isMissingNode() || root.isNull();
    }

    private JsonNode readRoot(Path file) throws InvalidHostConfigException {
        try {
            return yaml.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new InvalidHostConfigException(List.of(new HostConfigProblem(file.toString(), "",
                    "config file not found (" + file.toAbsolutePath() + ")")));
        } catch (JsonProcessingException e) {
            if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblem() != null) {
                throw new InvalidHostConfigException(List.of(yamlProblem(file, yaml)));
            }
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new InvalidHostConfigException(List.of(new HostConfigProblem(file.toString(), where,
                    "YAML syntax error: " + firstLine(e.getOriginalMessage()))));
        } catch (IOException e) {
            throw new InvalidHostConfigException(List.of(new HostConfigProblem(file.toString(), "",
                    "cannot read the config file: " + e.getMessage())));
        }
    }

    /**
     * SnakeYAML's own problem ("found character '\t(TAB)' that cannot start any token", "expected
     * &lt;block end&gt;...") at its line and column, with what it was reading and from where.
     */
    private static HostConfigProblem yamlProblem(Path file, MarkedYAMLException yaml) {
        Mark at = yaml.getProblemMark();
        String where = at == null ? "" : "line " + (at.getLine() + 1) + ", column " + (at.getColumn() + 1);
        StringBuilder message = new StringBuilder("YAML syntax error: ").append(yaml.getProblem().trim());
        if (yaml.getContext() != null) {
            Mark from = yaml.getContextMark();
            message.append(" (").append(yaml.getContext().trim());
            if (from != null) {
                message.append(" at line ").append(from.getLine() + 1).append(", column ").append(from.getColumn() + 1);
            }
            message.append(')');
        }
        return new HostConfigProblem(file.toString(), where, message.toString());
    }

    private HostConfig read(Path file, Path base, Map<String, Object> top, Problems problems) {
        for (String key : top.keySet()) {
            if (!TOP_LEVEL.contains(key)) {
                problems.warn(key, "not used by Sluice; ignored");
            }
        }
        Map<String, Object> server = section(top, "server", List.of("server"), problems);
        ServerConfig serverConfig = server(server, problems);
        Path pluginsDir = directory(server, "plugins_dir", base, "plugins", problems);
        Path dataDir = directory(server, "data_dir", base, "data", problems);
        List<ApiKey> apiKeys = apiKeys(top.get("api_keys"), problems);
        List<DestinationSpec> destinations = destinations(top.get("destinations"), problems);
        return new HostConfig(file, serverConfig, apiKeys, destinations, pluginsDir, dataDir);
    }

    private static ServerConfig server(Map<String, Object> server, Problems problems) {
        for (String key : server.keySet()) {
            if (!SERVER_KEYS.contains(key)) {
                problems.warn("server." + key, "not used by Sluice; ignored");
            }
        }
        ServerConfig defaults = ServerConfig.defaults();
        String bind = string(server.get("bind"), "server.bind", problems).orElse(defaults.bindAddress());
        long port = number(server.get("port"), "server.port", 0, 65_535, problems).orElse((long) defaults.port());
        long maxEvent = number(server.get("max_event_size"), "server.max_event_size", 1, Long.MAX_VALUE, problems)
                .orElse(defaults.maxEventSize());
        long maxBody = number(server.get("max_body_size"), "server.max_body_size", 1, Long.MAX_VALUE, problems)
                .orElse(defaults.maxBodySize());
        Durability durability = durability(server.get("durability"), problems).orElse(defaults.durability());
        Optional<String> statsToken = secretString(server.get("stats_token"), "server.stats_token", problems);
        QueueSettings queue = queue(server, problems);
        return new ServerConfig(bind, (int) port, maxEvent, maxBody, durability, statsToken, queue);
    }

    /** {@code server.queue} ({@code sqlite} or {@code kafka}) and, for Kafka, {@code server.kafka}. */
    private static QueueSettings queue(Map<String, Object> server, Problems problems) {
        String kind = string(server.get("queue"), "server.queue", problems).orElse("sqlite").trim();
        Object kafkaNode = server.get("kafka");
        if (kind.equals("sqlite")) {
            if (kafkaNode != null) {
                problems.warn("server.kafka", "used only with server.queue: kafka; ignored");
            }
            return QueueSettings.SQLITE;
        }
        if (!kind.equals("kafka")) {
            problems.error("server.queue", "must be sqlite or kafka, not '" + kind + "'");
            return QueueSettings.SQLITE;
        }
        if (!(kafkaNode instanceof Map<?, ?> map)) {
            problems.error("server.kafka", kafkaNode == null
                    ? "is required with server.queue: kafka (at least bootstrap_servers)" : "must be a map");
            return QueueSettings.SQLITE;
        }
        Map<String, Object> kafka = asStringMap(map);
        for (String key : kafka.keySet()) {
            if (!KAFKA_KEYS.contains(key)) {
                problems.error("server.kafka." + key, "unknown key; known keys: " + String.join(", ",
                        new java.util.TreeSet<>(KAFKA_KEYS)));
            }
        }
        Optional<String> bootstrap = string(kafka.get("bootstrap_servers"), "server.kafka.bootstrap_servers", problems)
                .filter(b -> !b.isBlank());
        if (bootstrap.isEmpty() && kafka.get("bootstrap_servers") != UNRESOLVED) {
            problems.error("server.kafka.bootstrap_servers", "is required with server.queue: kafka (host:port,...)");
        }
        String prefix = string(kafka.get("topic_prefix"), "server.kafka.topic_prefix", problems)
                .orElse(QueueSettings.Kafka.DEFAULT_TOPIC_PREFIX);
        Duration ackTimeout = duration(kafka.get("ack_timeout"), "server.kafka.ack_timeout", problems)
                .orElse(QueueSettings.Kafka.DEFAULT_ACK_TIMEOUT);
        Map<String, String> topics = textMap(kafka.get("topics"), "server.kafka.topics", problems);
        Map<String, String> producer = textMap(kafka.get("producer"), "server.kafka.producer", problems);
        for (String key : producer.keySet()) {
            if (FIXED_PRODUCER_KEYS.contains(key)) {
                problems.error("server.kafka.producer." + key, "is set by Sluice (acks=all, idempotence on, the"
                        + " bootstrap servers from bootstrap_servers); remove it");
            }
        }
        if (bootstrap.isEmpty()) {
            return QueueSettings.SQLITE;
        }
        return new QueueSettings(QueueSettings.Kind.KAFKA, Optional.of(new QueueSettings.Kafka(bootstrap.get(),
                prefix, topics, ackTimeout, producer)));
    }

    private static Map<String, String> textMap(Object value, String where, Problems problems) {
        if (value == null || value == UNRESOLVED) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> map)) {
            problems.error(where, "must be a map of names to values");
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            string(e.getValue(), where + "." + e.getKey(), problems).ifPresent(v -> out.put(String.valueOf(e.getKey()), v));
        }
        return out;
    }

    private static Optional<Durability> durability(Object value, Problems problems) {
        Optional<String> text = string(value, "server.durability", problems);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Optional<Durability> parsed = Durability.parse(text.get());
        if (parsed.isEmpty()) {
            problems.error("server.durability", "must be normal or full, not '" + text.get() + "'");
        }
        return parsed;
    }

    private static Path directory(Map<String, Object> server, String key, Path base, String dflt, Problems problems) {
        return string(server.get(key), "server." + key, problems).map(base::resolve).orElse(base.resolve(dflt))
                .normalize();
    }

    private static List<ApiKey> apiKeys(Object value, Problems problems) {
        List<ApiKey> keys = new ArrayList<>();
        if (value == null) {
            return keys;
        }
        List<?> entries = value instanceof List<?> list ? list : List.of(value);
        for (int i = 0; i < entries.size(); i++) {
            String where = "api_keys[" + i + "]";
            Object entry = entries.get(i);
            if (entry == UNRESOLVED) {
                continue;
            }
            if (entry instanceof String || entry instanceof Number) {
                String token = scalarText(entry);
                if (token.isBlank()) {
                    problems.error(where, "an api key must not be blank");
                } else {
                    keys.add(new ApiKey(token, Optional.of(token), Optional.empty(), List.of()));
                }
            } else if (entry instanceof Map<?, ?> map) {
                apiKey(asStringMap(map), where, problems).ifPresent(keys::add);
            } else {
                problems.error(where, "must be a token string or a map with id, client_secret, server_secret, origins");
            }
        }
        return keys;
    }

    private static Optional<ApiKey> apiKey(Map<String, Object> map, String where, Problems problems) {
        for (String key : map.keySet()) {
            if (!API_KEY_KEYS.contains(key)) {
                problems.warn(where + "." + key, "not used by Sluice; ignored");
            }
        }
        Optional<String> id = string(map.get("id"), where + ".id", problems).filter(s -> !s.isBlank());
        Optional<String> client = secretString(map.get("client_secret"), where + ".client_secret", problems);
        Optional<String> server = secretString(map.get("server_secret"), where + ".server_secret", problems);
        List<String> origins = stringList(map.get("origins"), where + ".origins", problems);
        if (id.isEmpty() && map.get("id") != UNRESOLVED) {
            problems.error(where + ".id", "is required (destinations' only_tokens refer to keys by id)");
        }
        boolean unresolvedSecret = map.get("client_secret") == UNRESOLVED || map.get("server_secret") == UNRESOLVED;
        if (client.isEmpty() && server.isEmpty() && !unresolvedSecret) {
            problems.error(where, "give client_secret, server_secret or both");
        }
        if (id.isEmpty() || (client.isEmpty() && server.isEmpty())) {
            return Optional.empty();
        }
        return Optional.of(new ApiKey(id.get(), client, server, origins));
    }

    private List<DestinationSpec> destinations(Object value, Problems problems) {
        List<DestinationSpec> specs = new ArrayList<>();
        if (value == null) {
            problems.warn("destinations", "no destinations are configured; accepted events go nowhere");
            return specs;
        }
        if (!(value instanceof Map<?, ?> map)) {
            problems.error("destinations", "must be a map of destination ids to their settings");
            return specs;
        }
        for (Map.Entry<String, Object> e : asStringMap(map).entrySet()) {
            String id = e.getKey();
            List<String> path = List.of("destinations", id);
            if (!(e.getValue() instanceof Map<?, ?> section)) {
                problems.error(Problems.where(path), "must be a map with type:, mode:, config: ...");
                continue;
            }
            destination(id, asStringMap(section), problems).ifPresent(specs::add);
        }
        return specs;
    }

    private Optional<DestinationSpec> destination(String id, Map<String, Object> section, Problems problems) {
        String at = "destination '" + id + "'";
        Optional<String> type = string(section.get("type"), at + ": type", problems).filter(s -> !s.isBlank());
        if (type.isEmpty() && !section.containsKey("type")) {
            problems.error(at + ": type", "is required, e.g. type: hubspot");
        }
        String mode = string(section.get("mode"), at + ": mode", problems).filter(s -> !s.isBlank())
                .orElse(dev.sluice.api.DestinationFactory.MODE_BATCH);
        List<String> onlyTokens = stringList(section.get("only_tokens"), at + ": only_tokens", problems);

        Map<String, Object> raw = new LinkedHashMap<>();
        String configKey = "config";
        boolean hasConfig = section.containsKey("config");
        boolean hasTypeSection = type.isPresent() && !type.get().equals("config") && section.containsKey(type.get());
        if (hasConfig && hasTypeSection) {
            problems.error(at, "has both config: and " + type.get() + ": sections; keep only config:");
        } else if (hasConfig || hasTypeSection) {
            configKey = hasConfig ? "config" : type.get();
            Object configValue = section.get(configKey);
            if (configValue instanceof Map<?, ?> configMap) {
                raw.putAll(asStringMap(configMap));
            } else if (configValue != null) {
                problems.error(at + ": " + configKey, "must be a map of the destination's settings");
            }
        }

        Optional<String> template = Optional.empty();
        Object inConfig = raw.remove(TEMPLATE_KEY);
        Object layoutValue = section.get("data_layout");
        Object inLayout = null;
        Optional<String> transform = Optional.empty();
        if (layoutValue instanceof Map<?, ?> layout) {
            Map<String, Object> layoutMap = asStringMap(layout);
            inLayout = layoutMap.get(TEMPLATE_KEY);
            transform = transform(layoutMap, at, problems);
            for (String key : layoutMap.keySet()) {
                if (!LAYOUT_KEYS.contains(key)) {
                    problems.warn(at + ": data_layout." + key, "not used by Sluice; ignored");
                }
            }
        } else if (layoutValue != null) {
            problems.error(at + ": data_layout", "must be a map, e.g. data_layout: {table_name_template: '$.user?.email'}");
        }
        if (inLayout != null && inConfig != null) {
            problems.error(at + ": " + configKey + "." + TEMPLATE_KEY, "table_name_template is also set under "
                    + "data_layout:; keep only data_layout.table_name_template");
        } else if (inLayout != null) {
            template = string(inLayout, at + ": data_layout." + TEMPLATE_KEY, problems);
        } else if (inConfig != null) {
            template = string(inConfig, at + ": " + configKey + "." + TEMPLATE_KEY, problems);
        }

        DeliverySettings delivery = delivery(section.get("delivery"), at + ": delivery", problems);

        Set<String> known = Set.of("type", "mode", "only_tokens", "config", "data_layout", "delivery");
        for (String key : section.keySet()) {
            if (!known.contains(key) && !(type.isPresent() && key.equals(type.get()))) {
                problems.warn(at + ": " + key, "not used by Sluice; ignored");
            }
        }
        if (type.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new DestinationSpec(id, type.get(), mode, onlyTokens, raw, template, delivery, transform));
    }

    /**
     * {@code data_layout.transform} when it is set and {@code data_layout.transform_enabled} is not
     * {@code false} (Jitsu's default: a transform that is written runs).
     */
    private static Optional<String> transform(Map<String, Object> layout, String at, Problems problems) {
        Object script = layout.get(TRANSFORM_KEY);
        Object enabled = layout.get(TRANSFORM_ENABLED_KEY);
        boolean on = true;
        if (enabled instanceof Boolean b) {
            on = b;
        } else if (enabled != null) {
            problems.error(at + ": data_layout." + TRANSFORM_ENABLED_KEY, "must be true or false");
        }
        if (script == null) {
            return Optional.empty();
        }
        if (!(script instanceof String text)) {
            problems.error(at + ": data_layout." + TRANSFORM_KEY,
                    "must be text: the body of a JavaScript function of the event $, e.g. 'return {...$, user: $.eventn_ctx?.user}'");
            return Optional.empty();
        }
        return on && !text.isBlank() ? Optional.of(text) : Optional.empty();
    }

    private static DeliverySettings delivery(Object value, String at, Problems problems) {
        DeliverySettings d = DeliverySettings.defaults();
        if (value == null) {
            return d;
        }
        if (!(value instanceof Map<?, ?> map)) {
            problems.error(at, "must be a map, e.g. delivery: {batch_size: 100, linger: 200ms}");
            return d;
        }
        Map<String, Object> m = asStringMap(map);
        for (String key : m.keySet()) {
            if (!DELIVERY_KEYS.contains(key)) {
                problems.error(at + "." + key, "unknown setting; known: " + String.join(", ", DELIVERY_KEYS.stream().sorted().toList()));
            }
        }
        long batchSize = number(m.get("batch_size"), at + ".batch_size", 0, Integer.MAX_VALUE, problems)
                .orElse((long) d.batchSize());
        Duration linger = duration(m.get("linger"), at + ".linger", problems).orElse(d.linger());
        Duration retryFor = duration(m.get("retry_for"), at + ".retry_for", problems).orElse(d.retryFor());
        Duration backoffInitial = duration(m.get("backoff_initial"), at + ".backoff_initial", problems)
                .orElse(d.backoffInitial());
        Duration backoffMax = duration(m.get("backoff_max"), at + ".backoff_max", problems).orElse(d.backoffMax());
        long maxEvents = number(m.get("max_queued_events"), at + ".max_queued_events", 1, Long.MAX_VALUE, problems)
                .orElse(d.maxQueuedEvents());
        long maxBytes = number(m.get("max_queued_bytes"), at + ".max_queued_bytes", 1, Long.MAX_VALUE, problems)
                .orElse(d.maxQueuedBytes());
        if (backoffInitial.isZero()) {
            problems.error(at + ".backoff_initial", "must be longer than 0, e.g. 1s");
        } else if (backoffInitial.compareTo(backoffMax) > 0) {
            problems.error(at + ".backoff_initial", "must not be longer than backoff_max (" + backoffMax + ")");
        }
        return new DeliverySettings((int) batchSize, linger, retryFor, backoffInitial, backoffMax, maxEvents, maxBytes);
    }

    // ---- value helpers: each reports its own problem and returns empty on error or absence ----

    private static Optional<String> string(Object value, String where, Problems problems) {
        if (value == null || value == UNRESOLVED) {
            return Optional.empty();
        }
        if (value instanceof Map || value instanceof List) {
            problems.error(where, "must be a single value, not a " + (value instanceof Map ? "map" : "list"));
            return Optional.empty();
        }
        return Optional.of(scalarText(value));
    }

    private static Optional<String> secretString(Object value, String where, Problems problems) {
        if (value == UNRESOLVED) {
            return Optional.empty();
        }
        if (value instanceof Map || value instanceof List) {
            problems.error(where, "must be a single value");
            return Optional.empty();
        }
        return value == null ? Optional.empty() : Optional.of(scalarText(value)).filter(s -> !s.isBlank());
    }

    private static Optional<Long> number(Object value, String where, long min, long max, Problems problems) {
        if (value == null || value == UNRESOLVED) {
            return Optional.empty();
        }
        Long parsed = null;
        if (value instanceof Long l) {
            parsed = l;
        } else if (value instanceof String s && s.trim().matches("-?\\d{1,18}")) {
            parsed = Long.parseLong(s.trim());
        }
        if (parsed == null || parsed < min || parsed > max) {
            String shown = value instanceof Map || value instanceof List ? "a " + value.getClass().getSimpleName()
                    : "'" + scalarText(value) + "'";
            problems.error(where, "must be a whole number" + (max == Long.MAX_VALUE ? " of at least " + min
                    : " from " + min + " to " + max) + ", not " + shown);
            return Optional.empty();
        }
        return Optional.of(parsed);
    }

    private static Optional<Duration> duration(Object value, String where, Problems problems) {
        if (value == null || value == UNRESOLVED) {
            return Optional.empty();
        }
        Optional<Duration> parsed = DestinationConfig.parseDuration(value);
        if (parsed.isEmpty()) {
            problems.error(where, "must be a duration such as 500ms, 10s, 5m or 1h, not '" + scalarText(value) + "'");
        }
        return parsed;
    }

    private static List<String> stringList(Object value, String where, Problems problems) {
        List<String> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        if (value instanceof List<?> list) {
            for (Object item : list) {
                if (item == UNRESOLVED) {
                    continue;
                }
                if (item == null || item instanceof Map || item instanceof List) {
                    problems.error(where, "must be a list of names; an item is not a name");
                    return List.of();
                }
                out.add(scalarText(item).trim());
            }
        } else if (value instanceof Map) {
            problems.error(where, "must be a list of names, not a map");
        } else {
            for (String part : scalarText(value).split(",")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
        }
        return out;
    }

    private static String scalarText(Object value) {
        return value instanceof BigDecimal b ? b.toPlainString() : String.valueOf(value);
    }

    private static Map<String, Object> section(Map<String, Object> top, String key, List<String> path, Problems problems) {
        Object value = top.get(key);
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> map)) {
            problems.error(Problems.where(path), "must be a map");
            return Map.of();
        }
        return asStringMap(map);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asStringMap(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }

    /**
     * The YAML tree as plain Java values (what {@link DestinationConfig#validate} expects), with
     * every {@code ${env:NAME}} replaced. Ints become {@link Long}, decimals {@link Double}.
     */
    private Object plain(JsonNode node, List<String> path, Problems problems) {
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                path.add(e.getKey());
                map.put(e.getKey(), plain(e.getValue(), path, problems));
                path.remove(path.size() - 1);
            }
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            for (int i = 0; i < node.size(); i++) {
                path.add("[" + i + "]");
                list.add(plain(node.get(i), path, problems));
                path.remove(path.size() - 1);
            }
            return list;
        }
        if (node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber()) {
            BigInteger big = node.bigIntegerValue();
            return big.bitLength() < 64 ? (Object) big.longValue() : big;
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        String text = node.asText();
        StringBuilder missing = new StringBuilder();
        Optional<String> resolved = env.resolve(text, missing);
        if (resolved.isEmpty()) {
            problems.error(Problems.where(path), "environment variable " + missing + " is not set (referenced as ${env:"
                    + missing + "})");
            return UNRESOLVED;
        }
        return resolved.get();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable YAML";
        }
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).trim();
    }
}
