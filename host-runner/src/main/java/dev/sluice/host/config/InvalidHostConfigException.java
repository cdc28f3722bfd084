package dev.sluice.host.config;

import java.util.List;
import java.util.stream.Collectors;

/** A host config cannot be used; {@link #problems()} lists every problem found, not just the first. */
public final class InvalidHostConfigException extends Exception {

    private final List<HostConfigProblem> problems;

    public InvalidHostConfigException(List<HostConfigProblem> problems) {
        super(problems.stream().map(HostConfigProblem::toString).collect(Collectors.joining("\n")));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("an invalid config has at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    public List<HostConfigProblem> problems() {
        return problems;
    }
}
