package dev.sluice.hubspot.http;

import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;

/** A System.Logger that keeps what was logged, for assertions. */
public final class RecordingLogger implements System.Logger {

    public record Entry(Level level, String message, Throwable thrown) {
    }

    private final List<Entry> entries = new ArrayList<>();

    public synchronized List<Entry> entries() {
        return List.copyOf(entries);
    }

    public synchronized List<String> messages() {
        return entries.stream().map(Entry::message).toList();
    }

    /** Everything logged, messages and thrown exceptions' messages, as one text. */
    public synchronized String all() {
        StringBuilder out = new StringBuilder();
        for (Entry e : entries) {
            out.append(e.level()).append(' ').append(e.message()).append('\n');
            for (Throwable t = e.thrown(); t != null; t = t.getCause()) {
                out.append("  ").append(t).append('\n');
            }
        }
        return out.toString();
    }

    @Override
    public String getName() {
        return "test";
    }

    @Override
    public boolean isLoggable(Level level) {
        return true;
    }

    @Override
    public synchronized void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
        entries.add(new Entry(level, msg, thrown));
    }

    @Override
    public synchronized void log(Level level, ResourceBundle bundle, String format, Object... params) {
        entries.add(new Entry(level, params == null || params.length == 0 ? format : MessageFormat.format(format, params),
                null));
    }
}
