package dev.sluice.host.routing;

import java.util.List;

/** One or more destinations have a template that does not compile; lists every problem. */
public final class InvalidRoutesException extends Exception {

    private final List<String> problems;

    public InvalidRoutesException(List<String> problems) {
        super("invalid table_name_template: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    /** One message per destination, each naming it. */
    public List<String> problems() {
        return problems;
    }
}
