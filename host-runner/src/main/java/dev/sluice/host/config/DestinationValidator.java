package dev.sluice.host.config;

import dev.sluice.api.DestinationFactory;
import dev.sluice.api.config.ConfigField;
import dev.sluice.api.config.ConfigProblem;
import dev.sluice.api.config.DestinationConfig;
import dev.sluice.api.config.InvalidConfigException;
import dev.sluice.host.plugins.PluginRegistry;
import dev.sluice.host.plugins.RegisteredType;
import dev.sluice.host.routing.Router;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a {@link HostConfig} against the loaded plugins, the way the SPI's lifecycle contract
 * says: the type exists, the mode is supported, the raw config passes
 * {@link DestinationConfig#validate} against the plugin's fields, then the plugin's own
 * cross-field {@link DestinationFactory#validate}. Also checks {@code api_keys} (unique ids) and
 * each {@code only_tokens} (names a known key id). Every problem of every destination is collected
 * and reported at once; messages name the file, the destination and the field, never a secret.
 */
public final class DestinationValidator {

    private final PluginRegistry registry;

    public DestinationValidator(PluginRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** @throws InvalidHostConfigException listing every problem of every destination */
    public ValidatedHost validate(HostConfig config) throws InvalidHostConfigException {
        return validate(config, List.of());
    }

    /**
     * Validates a config whose file had problems of its own ({@link ConfigLoader#read}), so that
     * those ({@code server.port}, {@code delivery}, unset {@code ${env:}}...) and the plugins'
     * findings are listed together, the file's first. A place the file's checks already reported
     * is not reported again; {@code only_tokens} are not checked when {@code api_keys} had problems.
     *
     * @throws InvalidHostConfigException listing {@code earlier} and every problem of every destination
     */
    public ValidatedHost validate(HostConfig config, List<HostConfigProblem> earlier)
            throws InvalidHostConfigException {
        Objects.requireNonNull(config, "config");
        Problems problems = new Problems(config.source().toString());
        Set<String> keyIds = apiKeyIds(config, problems);
        boolean keysComplete = earlier.stream().noneMatch(p -> p.where().startsWith("api_keys"));
        List<ValidatedDestination> valid = new ArrayList<>();
        for (DestinationSpec spec : config.destinations()) {
            destination(spec, keysComplete ? keyIds : null, problems).ifPresent(valid::add);
        }
        problems.throwIfAny(earlier);
        return new ValidatedHost(config, registry, valid, problems.warnings());
    }

    private static Set<String> apiKeyIds(HostConfig config, Problems problems) {
        Set<String> ids = new LinkedHashSet<>();
        Map<String, Integer> firstIndex = new HashMap<>();
        for (int i = 0; i < config.apiKeys().size(); i++) {
            var key = config.apiKeys().get(i);
            Integer first = firstIndex.putIfAbsent(key.id(), i);
            if (first != null) {
                problems.error("api_keys[" + i + "].id", (isPlainToken(key) ? "the same key" : "id '" + key.id() + "'")
                        + " is already used by api_keys[" + first + "]; ids must be unique");
            }
            ids.add(key.id());
        }
        return ids;
    }

    /** A key written as a plain string: its id is its secret, so it is never printed. */
    private static boolean isPlainToken(ApiKey key) {
        return key.clientSecret().map(key.id()::equals).orElse(false) || key.serverSecret().map(key.id()::equals).orElse(false);
    }

    /** @param keyIds the api key ids, or null when they are not all known (a key had a problem) */
    private Optional<ValidatedDestination> destination(DestinationSpec spec, Set<String> keyIds, Problems problems) {
        String at = "destination '" + spec.id() + "'";
        for (String token : spec.onlyTokens()) {
            if (keyIds != null && !keyIds.contains(token)) {
                problems.error(at + ": only_tokens", "'" + token + "' is not the id of any entry of api_keys");
            }
        }
        Optional<String> badTemplate = spec.tableNameTemplate().flatMap(Router::validateTemplate);
        badTemplate.ifPresent(message -> problems.error(at + ": data_layout.table_name_template", message));
        Optional<String> badTransform = spec.transform().flatMap(Router::validateTransform);
        badTransform.ifPresent(message -> problems.error(at + ": data_layout.transform", message));
        Optional<RegisteredType> registered = registry.find(spec.type());
        if (registered.isEmpty()) {
            problems.error(at + ": type", unknownType(spec.type()));
            return Optional.empty();
        }
        DestinationFactory factory = registered.get().factory();
        String plugin = "plugin " + registered.get().plugin().id();
        boolean ok = true;
        try {
            if (!factory.supportedModes().contains(spec.mode())) {
                problems.error(at + ": mode", factory.unsupportedModeMessage(spec.mode()));
                ok = false;
            }
            List<ConfigField> fields = factory.configFields();
            warnDeprecated(spec, fields, at, problems);
            DestinationConfig destinationConfig;
            try {
                destinationConfig = DestinationConfig.validate(fields, spec.rawConfig());
            } catch (InvalidConfigException e) {
                e.problems().forEach(p -> problems.error(at + ": " + configField(p), p.message()));
                crossFieldDespite(factory, fields, spec.rawConfig(), e.problems())
                        .forEach(p -> problems.error(at + ": " + configField(p), p.message()));
                return Optional.empty();
            }
            List<ConfigProblem> crossField = factory.validate(destinationConfig);
            crossField.forEach(p -> problems.error(at + ": " + configField(p), p.message()));
            if (!ok || !crossField.isEmpty() || badTemplate.isPresent() || badTransform.isPresent()) {
                return Optional.empty();
            }
            Optional<String> template = spec.tableNameTemplate().or(factory::defaultTableNameTemplate);
            return Optional.of(new ValidatedDestination(spec, registered.get(), destinationConfig, template));
        } catch (RuntimeException | LinkageError e) {
            // A plugin bug must not hide the other destinations' problems; its message is the plugin's own.
            problems.error(at, plugin + " failed while validating: " + e.getClass().getName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            return Optional.empty();
        }
    }

    /**
     * The plugin's cross-field problems on the fields that did pass, so that a config missing
     * {@code hub_id} and both credentials hears about both at once. The SPI promises
     * {@link DestinationFactory#validate} a config that passed the per-field checks; this one
     * does (the failed fields are left out and made optional). Problems about fields already
     * reported, and any exception of a plugin that did not expect the gap, are dropped.
     */
    private static List<ConfigProblem> crossFieldDespite(DestinationFactory factory, List<ConfigField> fields,
                                                         Map<String, Object> raw, List<ConfigProblem> failed) {
        Set<String> failedNames = new LinkedHashSet<>();
        failed.forEach(p -> failedNames.addAll(names(p)));
        List<ConfigField> relaxed = fields.stream().map(f -> !failedNames.contains(f.name()) ? f
                : new ConfigField(f.name(), f.type(), false, f.secret(), f.deprecation(), f.defaultValue(),
                f.description(), f.pattern(), f.patternHint(), f.allowedValues())).toList();
        Map<String, Object> kept = new java.util.LinkedHashMap<>(raw);
        kept.keySet().removeIf(key -> failedNames.contains(key) || fields.stream().noneMatch(f -> f.name().equals(key)));
        try {
            DestinationConfig partial = DestinationConfig.validate(relaxed, kept);
            return factory.validate(partial).stream()
                    .filter(p -> names(p).stream().noneMatch(failedNames::contains))
                    .toList();
        } catch (RuntimeException | LinkageError e) {
            return List.of();
        }
    }

    private static List<String> names(ConfigProblem problem) {
        return java.util.Arrays.stream(problem.field().split(",")).map(String::trim).filter(n -> !n.isEmpty()).toList();
    }

    private String unknownType(String type) {
        Optional<List<Path>> conflict = registry.conflict(type);
        if (conflict.isPresent()) {
            return "destination type '" + type + "' is offered by more than one plugin ("
                    + String.join(" and ", conflict.get().stream().map(Path::toString).toList())
                    + "); remove all but one of them";
        }
        if (registry.typeNames().isEmpty()) {
            return "unknown destination type '" + type + "'; no destination plugin is loaded"
                    + " (put plugin JARs in the plugins folder)" + folderHint();
        }
        return "unknown destination type '" + type + "'; the loaded plugins offer: "
                + String.join(", ", registry.typeNames()) + folderHint();
    }

    /** Which folder was read: one folder only, so a config's own plugins/ hides the distribution's. */
    private String folderHint() {
        return registry.folder().map(dir -> ". Plugins were read from " + dir + " only: --plugins, else"
                + " server.plugins_dir (default plugins/ next to the config file), else the distribution's plugins/;"
                + " copy every plugin JAR you need into that one folder").orElse("");
    }

    private static void warnDeprecated(DestinationSpec spec, List<ConfigField> fields, String at, Problems problems) {
        for (ConfigField field : fields) {
            if (field.deprecation().isPresent() && spec.rawConfig().get(field.name()) != null) {
                problems.warn(at + ": config." + field.name(), "is deprecated; " + field.deprecation().get());
            }
        }
    }

    /** {@code config.hub_id}; a rule over several fields ({@code access_token, api_key}) names each. */
    private static String configField(ConfigProblem problem) {
        List<String> names = new ArrayList<>();
        for (String name : problem.field().split(",")) {
            if (!name.isBlank()) {
                names.add("config." + name.trim());
            }
        }
        return names.isEmpty() ? "config" : String.join(", ", names);
    }
}
