package dev.sluice.host.queue;

import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Says in plain words what a storage error means for the queue database, for the operator: the
 * disk is full, the file is damaged, read-only, or gone. SQLite's own text (e.g.
 * {@code [SQLITE_IOERR_SHMSIZE] I/O error within xShmMap}) is kept after it, for searching.
 */
public final class StorageErrors {

    /** What kind of storage trouble an error is. */
    public enum Kind { DISK_FULL, CORRUPT, READ_ONLY, GONE, IO, OTHER }

    private StorageErrors() {
    }

    /** The kind of trouble behind {@code error} (or any of its causes). */
    public static Kind kind(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SQLiteException e) {
                return kind(e.getResultCode(), e.getMessage());
            }
            if (t instanceof java.nio.file.NoSuchFileException) {
                return Kind.GONE;
            }
            String message = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (message.contains("no space left") || message.contains("disk is full")
                    || message.contains("sqlite_full")) {
                return Kind.DISK_FULL;
            }
            if (message.contains("sqlite_corrupt") || message.contains("sqlite_notadb")
                    || message.contains("malformed")) {
                return Kind.CORRUPT;
            }
        }
        return Kind.OTHER;
    }

    private static Kind kind(SQLiteErrorCode code, String message) {
        if (code == null) {
            return Kind.OTHER;
        }
        String name = code.name();
        if (code == SQLiteErrorCode.SQLITE_FULL || name.equals("SQLITE_IOERR_SHMSIZE")
                || name.equals("SQLITE_IOERR_WRITE") && String.valueOf(message).contains("disk")) {
            return Kind.DISK_FULL;
        }
        if (name.startsWith("SQLITE_CORRUPT") || code == SQLiteErrorCode.SQLITE_NOTADB) {
            return Kind.CORRUPT;
        }
        if (name.startsWith("SQLITE_READONLY")) {
            return name.equals("SQLITE_READONLY_DBMOVED") ? Kind.GONE : Kind.READ_ONLY;
        }
        if (name.startsWith("SQLITE_CANTOPEN")) {
            return Kind.GONE;
        }
        if (name.startsWith("SQLITE_IOERR")) {
            return Kind.IO;
        }
        return Kind.OTHER;
    }

    /**
     * The trouble in plain words, naming the file, e.g. "the disk holding data/queue.db is full
     * (SQLite: [SQLITE_FULL] ...)".
     */
    public static String describe(Throwable error, Path databaseFile) {
        String sqlite = " (" + firstLine(error) + ")";
        return switch (kind(error)) {
            case DISK_FULL -> "the disk holding " + databaseFile + " is full" + sqlite;
            case CORRUPT -> "the queue database " + databaseFile + " is damaged" + sqlite;
            case READ_ONLY -> databaseFile + " cannot be written (read-only file or file system)" + sqlite;
            case GONE -> databaseFile + " or its folder was removed or cannot be opened" + sqlite;
            case IO -> "I/O error on " + databaseFile + sqlite;
            case OTHER -> "cannot use " + databaseFile + sqlite;
        };
    }

    /**
     * Why the queue database cannot be opened and what to do next, for a start-up error or a
     * command working on the stored queue.
     *
     * @param configFile the config file, named in the recovery command
     */
    public static String cannotOpen(Throwable error, Path databaseFile, Path configFile) {
        return switch (kind(error)) {
            case CORRUPT -> describe(error, databaseFile) + ". Sluice will not use a damaged queue database. Run "
                    + "'sluice queue recover --config " + configFile + "' (host stopped): it moves the damaged file "
                    + "aside, keeping it, and salvages every readable event and dead letter into a fresh one; see "
                    + "docs/delivery-guarantees.md, 'A damaged queue database'";
            case DISK_FULL -> describe(error, databaseFile) + ". Free space on that disk (or point server.data_dir "
                    + "elsewhere, moving the data dir with it) and start again; nothing stored was lost";
            case READ_ONLY -> describe(error, databaseFile) + ". Let the user running Sluice write to "
                    + databaseFile.getParent() + " and its files";
            case GONE, IO, OTHER -> describe(error, databaseFile);
        };
    }

    private static String firstLine(Throwable error) {
        Throwable t = error;
        while (t.getCause() != null && !(t instanceof SQLiteException)) {
            t = t.getCause();
        }
        String message = String.valueOf(t.getMessage());
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).trim();
    }
}
