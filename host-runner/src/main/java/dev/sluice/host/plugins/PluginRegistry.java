package dev.sluice.host.plugins;

import dev.sluice.api.DestinationFactory;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What plugin loading produced: the destination types by name, the plugins they came from, and
 * every problem and warning, each naming its JAR. A type offered by two plugins is registered for
 * neither: it is a {@linkplain #conflict conflict} that names both files.
 *
 * <p>Closing the registry closes the plugins' class loaders; do it only after every destination
 * created from it is closed.
 */
public final class PluginRegistry implements Closeable {

    private final Map<String, RegisteredType> types;
    private final Map<String, List<Path>> conflicts;
    private final List<LoadedPlugin> plugins;
    private final List<PluginLoadProblem> problems;
    private final List<PluginLoadProblem> warnings;
    private final Optional<Path> folder;

    private PluginRegistry(Builder b) {
        this.folder = b.folder;
        this.types = Collections.unmodifiableMap(new LinkedHashMap<>(b.types));
        Map<String, List<Path>> conflictCopy = new LinkedHashMap<>();
        b.conflicts.forEach((type, files) -> conflictCopy.put(type, List.copyOf(files)));
        this.conflicts = Collections.unmodifiableMap(conflictCopy);
        this.plugins = List.copyOf(b.plugins);
        this.problems = List.copyOf(b.problems);
        this.warnings = List.copyOf(b.warnings);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The factory registered for a type. Empty for unknown and for conflicting types. */
    public Optional<RegisteredType> find(String type) {
        return Optional.ofNullable(types.get(type));
    }

    /** The files that all offer this type, when more than one does; empty otherwise. */
    public Optional<List<Path>> conflict(String type) {
        return Optional.ofNullable(conflicts.get(type));
    }

    /** Every registered type name, sorted. */
    public Set<String> typeNames() {
        return Collections.unmodifiableSet(new TreeSet<>(types.keySet()));
    }

    public List<RegisteredType> types() {
        return List.copyOf(types.values());
    }

    /** Every plugin with at least one working factory, in load order (also those whose type conflicts). */
    public List<LoadedPlugin> plugins() {
        return plugins;
    }

    /** JARs (or factories) that could not be loaded, and type conflicts. */
    public List<PluginLoadProblem> problems() {
        return problems;
    }

    /** The plugins folder the JARs were read from, when one was used. */
    public Optional<Path> folder() {
        return folder;
    }

    /** Loaded, but with something to fix (e.g. no {@code Plugin-Id} in the manifest). */
    public List<PluginLoadProblem> warnings() {
        return warnings;
    }

    @Override
    public void close() throws IOException {
        for (LoadedPlugin plugin : plugins) {
            if (plugin.classLoader() instanceof SpiFirstPluginClassLoader loader) {
                loader.close();
            }
        }
    }

    /** Collects types, handling duplicates; also usable directly by tests and embedding hosts. */
    public static final class Builder {

        private final Map<String, RegisteredType> types = new LinkedHashMap<>();
        private final Map<String, List<Path>> conflicts = new LinkedHashMap<>();
        private final List<LoadedPlugin> plugins = new ArrayList<>();
        private final List<PluginLoadProblem> problems = new ArrayList<>();
        private final List<PluginLoadProblem> warnings = new ArrayList<>();
        private Optional<Path> folder = Optional.empty();

        private Builder() {
        }

        /** Records the plugins folder the JARs come from (for messages). */
        public Builder folder(Path pluginsDir) {
            this.folder = Optional.of(pluginsDir.toAbsolutePath().normalize());
            return this;
        }

        /** Registers a plugin and its factories; a type already offered by another file becomes a conflict. */
        public Builder add(LoadedPlugin plugin, List<DestinationFactory> factories) {
            Objects.requireNonNull(plugin, "plugin");
            plugins.add(plugin);
            for (DestinationFactory factory : factories) {
                String type = factory.type();
                List<Path> conflicting = conflicts.get(type);
                if (conflicting != null) {
                    conflicting.add(plugin.file());
                    problems.add(conflictProblem(type, conflicting));
                    continue;
                }
                RegisteredType existing = types.get(type);
                if (existing != null) {
                    types.remove(type);
                    List<Path> files = new ArrayList<>(List.of(existing.plugin().file(), plugin.file()));
                    conflicts.put(type, files);
                    problems.add(conflictProblem(type, files));
                    continue;
                }
                types.put(type, new RegisteredType(type, factory, plugin));
            }
            return this;
        }

        private static PluginLoadProblem conflictProblem(String type, List<Path> files) {
            Path last = files.get(files.size() - 1);
            return new PluginLoadProblem(last, "destination type '" + type + "' is offered by more than one plugin: "
                    + String.join(" and ", files.stream().map(Path::toString).toList())
                    + "; remove all but one of them. No destination of this type can be created until then");
        }

        public Builder problem(PluginLoadProblem problem) {
            problems.add(Objects.requireNonNull(problem, "problem"));
            return this;
        }

        public Builder warning(PluginLoadProblem warning) {
            warnings.add(Objects.requireNonNull(warning, "warning"));
            return this;
        }

        public PluginRegistry build() {
            return new PluginRegistry(this);
        }
    }
}
