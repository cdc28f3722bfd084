package dev.sluice.host.embed;

import java.util.List;

/**
 * An {@link EmbeddedHost} could not start: the config is invalid, a plugin did not load, a
 * destination could not be created, the queue could not be opened or the port not bound. The
 * message lists every problem, as {@code sluice run} prints them; it never holds a secret.
 */
public final class EmbeddedHostException extends Exception {

    private final List<String> problems;

    EmbeddedHostException(List<String> problems, Throwable cause) {
        super(String.join("\n", problems), cause);
        this.problems = List.copyOf(problems);
    }

    /** Each problem, one line each, naming the file, destination and field where it can. */
    public List<String> problems() {
        return problems;
    }
}
