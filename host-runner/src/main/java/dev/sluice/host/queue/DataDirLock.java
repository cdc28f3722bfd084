package dev.sluice.host.queue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Keeps a second host off the same queue: two hosts on one data dir would deliver every event
 * twice. The dead-letter command does not take it (SQLite's own locking is enough there).
 * The OS drops the lock when the process dies, so a crash never leaves it behind.
 */
final class DataDirLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock file of a queue database: {@code queue.db.lock} beside it. */
    static Path fileFor(Path databaseFile) {
        return databaseFile.resolveSibling(databaseFile.getFileName() + ".lock");
    }

    static DataDirLock acquire(Path databaseFile) throws IOException {
        Path file = fileFor(databaseFile);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new IllegalStateException("the queue in " + databaseFile.getParent()
                    + " is already open in another Sluice host (lock " + file + "); use one data dir per host");
        }
        return new DataDirLock(channel, lock);
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
