package dev.sluice.testkit;

import java.text.MessageFormat;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * A {@link System.Logger} that keeps every line a destination logs (all levels, with the thrown
 * exception's messages), so tests can check what a destination would print, secrets included.
 */
public final class RecordingLogger implements System.Logger {

    private final String name;
    private final List<String> lines = new CopyOnWriteArrayList<>();

    public RecordingLogger(String name) {
        this.name = name;
    }

    /** Every line logged so far, formatted as the host would print it, with exception messages appended. */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public boolean isLoggable(Level level) {
        return true;
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
        lines.add(level + " " + msg + describe(thrown));
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
        String text;
        try {
            text = params == null || params.length == 0 ? format : MessageFormat.format(format, params);
        } catch (IllegalArgumentException e) {
            text = format + " " + java.util.Arrays.toString(params);
        }
        lines.add(level + " " + text);
    }

    @Override
    public void log(Level level, Supplier<String> msgSupplier) {
        lines.add(level + " " + msgSupplier.get());
    }

    @Override
    public void log(Level level, Supplier<String> msgSupplier, Throwable thrown) {
        lines.add(level + " " + msgSupplier.get() + describe(thrown));
    }

    private static String describe(Throwable thrown) {
        StringBuilder out = new StringBuilder();
        for (Throwable t = thrown; t != null; t = t.getCause() == t ? null : t.getCause()) {
            out.append(" | ").append(t);
        }
        return out.toString();
    }
}
