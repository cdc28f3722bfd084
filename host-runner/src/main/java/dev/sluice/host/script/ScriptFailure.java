package dev.sluice.host.script;

import java.util.OptionalInt;

/**
 * A script failed for one input: it threw, ran past its time limit, or returned something its
 * caller cannot use.
 */
public final class ScriptFailure extends Exception {

    private final String kind;
    private final OptionalInt line;

    ScriptFailure(String kind, String message, OptionalInt line) {
        super(message + line.stream().mapToObj(l -> " (line " + l + ")").findFirst().orElse(""));
        this.kind = kind;
        this.line = line;
    }

    /**
     * What happened, without any value from the input: the JavaScript error's name
     * ({@code TypeError}), {@code timeout}, or {@code error}. Safe to log.
     */
    public String kind() {
        return kind;
    }

    /** The line in the user's script where it failed, when known. */
    public OptionalInt line() {
        return line;
    }

    /** {@link #kind()} and the line: a description fit for logs, which never holds event values. */
    public String summary() {
        return kind + line.stream().mapToObj(l -> " at line " + l).findFirst().orElse("");
    }
}
