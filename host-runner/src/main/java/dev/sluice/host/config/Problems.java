package dev.sluice.host.config;

import java.util.ArrayList;
import java.util.List;

/** Collects problems and warnings of one config file, so that all of them are reported at once. */
final class Problems {

    private final String file;
    private final List<HostConfigProblem> errors = new ArrayList<>();
    private final List<HostConfigProblem> warnings = new ArrayList<>();

    Problems(String file) {
        this.file = file;
    }

    void error(String where, String message) {
        errors.add(new HostConfigProblem(file, where, message));
    }

    void warn(String where, String message) {
        warnings.add(new HostConfigProblem(file, where, message));
    }

    boolean hasErrors() {
        return !errors.isEmpty();
    }

    List<HostConfigProblem> warnings() {
        return List.copyOf(warnings);
    }

    void throwIfAny() throws InvalidHostConfigException {
        if (!errors.isEmpty()) {
            throw new InvalidHostConfigException(errors);
        }
    }

    /**
     * Throws when there are problems here or {@code earlier} ones (found by another step), listing
     * the earlier first; a problem here at a place (or inside a place) already reported is dropped.
     */
    void throwIfAny(List<HostConfigProblem> earlier) throws InvalidHostConfigException {
        List<HostConfigProblem> all = new ArrayList<>(earlier);
        for (HostConfigProblem error : errors) {
            boolean reported = earlier.stream().anyMatch(p -> p.where().equals(error.where())
                    || (!error.where().isEmpty() && p.where().startsWith(error.where() + ".")));
            if (!reported) {
                all.add(error);
            }
        }
        if (!all.isEmpty()) {
            throw new InvalidHostConfigException(all);
        }
    }

    List<HostConfigProblem> errors() {
        return List.copyOf(errors);
    }

    /** {@code destination 'crm': config.hub_id}, {@code server.port}, {@code api_keys[0].id}. */
    static String where(List<String> path) {
        if (path.size() >= 2 && path.get(0).equals("destinations")) {
            String rest = join(path.subList(2, path.size()));
            return "destination '" + path.get(1) + "'" + (rest.isEmpty() ? "" : ": " + rest);
        }
        return join(path);
    }

    private static String join(List<String> path) {
        StringBuilder out = new StringBuilder();
        for (String segment : path) {
            if (segment.startsWith("[")) {
                out.append(segment);
            } else {
                if (out.length() > 0) {
                    out.append('.');
                }
                out.append(segment);
            }
        }
        return out.toString();
    }
}
