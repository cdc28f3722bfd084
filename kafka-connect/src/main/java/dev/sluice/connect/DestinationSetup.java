package dev.sluice.connect;

import dev.sluice.api.DestinationFactory;
import dev.sluice.api.config.ConfigProblem;
import dev.sluice.api.config.DestinationConfig;
import dev.sluice.api.config.InvalidConfigException;
import dev.sluice.host.embed.DestinationPlugins;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The destination a connector config names: the plugins folder loaded as the host loads it, the
 * type picked, the mode and the config checked by the plugin's own rules. Shared by the
 * connector's {@code validate} and {@code start} and by each task's {@code start}.
 */
final class DestinationSetup implements Closeable {

    private final Path folder;
    private final DestinationPlugins plugins;

    private DestinationSetup(Path folder, DestinationPlugins plugins) {
        this.folder = folder;
        this.plugins = plugins;
    }

    static DestinationSetup open(Map<String, String> props) {
        Path folder = ConnectorSettings.pluginsDir(props).toAbsolutePath().normalize();
        return new DestinationSetup(folder, DestinationPlugins.load(folder));
    }

    DestinationPlugins plugins() {
        return plugins;
    }

    /** Thrown when the config does not name a usable type; the message is for the user. */
    static final class NoSuchType extends Exception {
        NoSuchType(String message) {
            super(message);
        }
    }

    /** The factory of the configured type (or of the only type in the folder). */
    DestinationFactory factory(Map<String, String> props) throws NoSuchType {
        String type = props.get(ConnectorSettings.TYPE);
        if (type == null || type.isBlank()) {
            if (plugins.types().size() == 1) {
                return plugins.factory(plugins.types().iterator().next()).orElseThrow();
            }
            throw new NoSuchType("set " + ConnectorSettings.TYPE + " to one of the destination types in " + folder
                    + ": " + (plugins.types().isEmpty() ? "none" : String.join(", ", plugins.types()))
                    + problemsSuffix());
        }
        return plugins.factory(type.trim()).orElseThrow(() -> new NoSuchType("unknown destination type '"
                + type.trim() + "'; the plugins in " + folder + " offer: "
                + (plugins.types().isEmpty() ? "none" : String.join(", ", plugins.types())) + problemsSuffix()));
    }

    private String problemsSuffix() {
        return plugins.problems().isEmpty() ? "" : " (load problems: " + String.join("; ", plugins.problems()) + ")";
    }

    /** The configured mode, or stream when the type supports it, else its first mode. */
    static String mode(DestinationFactory factory, Map<String, String> props) {
        String mode = props.get(ConnectorSettings.MODE);
        if (mode != null && !mode.isBlank()) {
            return mode.trim();
        }
        return factory.supportedModes().contains(DestinationFactory.MODE_STREAM)
                ? DestinationFactory.MODE_STREAM : factory.supportedModes().iterator().next();
    }

    /**
     * Every problem of the destination's config, by field name (the mode under
     * {@link ConnectorSettings#MODE}), in the words of {@code sluice check}; empty when valid.
     */
    Map<String, List<String>> problems(DestinationFactory factory, Map<String, String> props) {
        Map<String, List<String>> problems = new LinkedHashMap<>();
        String mode = mode(factory, props);
        if (!factory.supportedModes().contains(mode)) {
            add(problems, ConnectorSettings.MODE, withPluginLoader(factory, () -> factory.unsupportedModeMessage(mode)));
        }
        try {
            config(factory, props);
        } catch (InvalidConfigException e) {
            for (ConfigProblem p : e.problems()) {
                add(problems, p.field(), p.message());
            }
        } catch (IllegalArgumentException e) {
            add(problems, ConnectorSettings.TYPE, e.getMessage());
        }
        return problems;
    }

    /**
     * The validated config: field checks, then the plugin's rules across fields.
     *
     * @throws InvalidConfigException listing every problem
     */
    DestinationConfig config(DestinationFactory factory, Map<String, String> props) {
        return withPluginLoader(factory, () -> {
            DestinationConfig config = DestinationConfig.validate(factory.configFields(),
                    DestinationFields.rawValues(factory.configFields(), props));
            List<ConfigProblem> crossField = factory.validate(config);
            if (!crossField.isEmpty()) {
                throw new InvalidConfigException(crossField);
            }
            return config;
        });
    }

    /** Runs plugin code with the plugin's class loader as the context class loader, as the host does. */
    <T> T withPluginLoader(DestinationFactory factory, Callable<T> call) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(plugins.classLoaderOf(factory));
        try {
            return call.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static void add(Map<String, List<String>> problems, String field, String message) {
        problems.computeIfAbsent(field, k -> new ArrayList<>()).add(message);
    }

    @Override
    public void close() {
        try {
            plugins.close();
        } catch (IOException e) {
            // the class loaders are closed as far as possible
        }
    }
}
