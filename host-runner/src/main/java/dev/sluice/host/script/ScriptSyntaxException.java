package dev.sluice.host.script;

/**
 * A script that does not compile. The message says what is wrong and where, as
 * {@code line L, column C: message}, counted in the text the user wrote.
 */
public final class ScriptSyntaxException extends Exception {

    private final int line;
    private final int column;

    ScriptSyntaxException(int line, int column, String problem) {
        super("line " + line + ", column " + column + ": " + problem);
        this.line = line;
        this.column = column;
    }

    /** The line of the problem, from 1. */
    public int line() {
        return line;
    }

    /** The column of the problem, from 1. */
    public int column() {
        return column;
    }
}
