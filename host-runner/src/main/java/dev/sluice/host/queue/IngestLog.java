package dev.sluice.host.queue;

import dev.sluice.host.pipeline.QueueFullException;
import dev.sluice.host.pipeline.RoutedEvent;
import dev.sluice.host.pipeline.SinkUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32C;

/**
 * The queue's ingest log: accepted events are appended to a log file, one write per group of
 * requests, and acknowledged once written; the queue writer then moves them into
 * {@code queue.db} in large transactions ({@link LogMover}). A SQLite commit costs tens of
 * microseconds of locks, page writes and JNI calls per transaction; ingest pays one file append
 * instead, and the database work is paid once per many requests.
 *
 * <p>Durability is the database's: with {@code server.durability: normal} an acknowledged
 * append is in the operating system's cache (it survives a crash of the process, as a commit in
 * SQLite's WAL with {@code synchronous=NORMAL} does); with {@code full} every append is forced
 * to disk before it is acknowledged. After a crash, {@link #recover} moves every record the
 * database does not hold yet into it before the queue opens; the database records how far the
 * log was moved in the same transaction as the moved events, so none is moved twice.
 *
 * <p>Files: {@code queue-log/<sequence>.log} next to {@code queue.db}. A record is
 * {@code [int length][int CRC32C][payload]}, payload
 * {@code [long enqueuedAt][int n][destination][int n][event id][int n][event JSON]}. A new file is
 * started past {@link #SEGMENT_BYTES} and after any failed write (so a torn record can only be a
 * file's last); files wholly moved are deleted, and all of them at a clean close.
 */
final class IngestLog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IngestLog.class);

    static final String DIR_NAME = "queue-log";
    /** A new log file is started once the current one is this long. */
    static final long SEGMENT_BYTES = 64L << 20;
    private static final int HEADER = 8;
    private static final int MAX_PAYLOAD = Integer.MAX_VALUE - 64;
    /** How long a caller waits for another's append before handing its request to the log thread. */
    static final long CALLER_LOCK_WAIT_MICROS = 200;

    /** How far the log has been written or moved: a file's sequence number and an offset in it. */
    record Position(long segment, long offset) {
    }

    /** What the log needs from its queue: room in a destination's queue, and the store's health. */
    interface Owner {
        /**
         * Throws when {@code events} more events of {@code bytes} bytes do not fit in the
         * destination's queue, counting {@code admittedEvents} and {@code admittedBytes} of this
         * group not counted yet.
         */
        void admit(String destinationId, long events, long bytes, long admittedEvents, long admittedBytes)
                throws QueueFullException;

        /** Throws when the data dir's files are no longer the ones the queue opened. */
        void requireFiles() throws java.sql.SQLException;

        /** Appending failed; {@code writes} requests were refused. */
        void failed(Throwable error, int writes);

        /**
         * Why nothing should be appended now (the database refuses what was appended already), or
         * empty: accepting more would only grow what cannot be moved.
         */
        Optional<String> refusal();

        /** {@code writes} requests were refused for the {@link #refusal()} already told. */
        void refused(int writes);

        /** The group was appended: hand it to the mover (before its requests are answered). */
        void appended(Logged group);
    }

    /** One request: its events, acknowledged through {@code done} once appended. */
    static class Request {
        final List<RoutedEvent> events;
        final long enqueuedAt;
        final CompletableFuture<Void> done = new CompletableFuture<>();
        /**
         * Completes once the events are in the database, for a caller that reads its own writes;
         * null for one that does not wait for that.
         */
        final CompletableFuture<Void> moved;

        Request(List<RoutedEvent> events, long enqueuedAt) {
            this(events, enqueuedAt, true);
        }

        Request(List<RoutedEvent> events, long enqueuedAt, boolean awaitsMove) {
            this.events = events;
            this.enqueuedAt = enqueuedAt;
            this.moved = awaitsMove ? new CompletableFuture<>() : null;
        }

        /** The events are in the database. */
        void moved() {
            if (moved != null) {
                moved.complete(null);
            }
        }

        /** Before its group is appended, with the append lock held (tests hold the log here). */
        void beforeAppend() {
        }

        /** Whether the submitting thread may append it itself (tests make the log thread do it). */
        boolean mayAppendOnCaller() {
            return true;
        }
    }

    /** Appended requests, in log order, waiting to be moved into the database; {@code counts} per destination. */
    record Logged(List<Request> requests, Tally counts, int events, Position end) {
    }

    /** An event read back from the log. */
    record Entry(RoutedEvent event, long enqueuedAt) {
    }

    private static final Request STOP = new Request(List.of(), 0);

    private final Path dir;
    private final boolean force;
    private final Owner owner;
    private final LinkedBlockingQueue<Request> requests = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final Object submitLock = new Object();
    /** Held by whichever thread appends: the log thread, or a caller appending its own request. */
    private final ReentrantLock appendLock = new ReentrantLock();
    private volatile boolean closed;
    private FileChannel channel;
    private Path currentFile;
    private long segment;
    private long offset;
    private byte[] buffer = new byte[64 * 1024];
    private final AtomicLong appends = new AtomicLong();

    private IngestLog(Path dir, long firstSegment, boolean force, Owner owner) {
        this.dir = dir;
        this.segment = firstSegment - 1;
        this.force = force;
        this.owner = owner;
        this.thread = new Thread(this::run, "sluice-queue-log");
        this.thread.setDaemon(true);
    }

    /** The log folder of a queue database. */
    static Path dirOf(Path databaseFile) {
        return databaseFile.resolveSibling(DIR_NAME);
    }

    /**
     * Starts the log after {@link #recover}: appends go to a new file numbered after every file
     * there is.
     */
    static IngestLog start(Path dir, long nextSegment, boolean force, Owner owner) throws IOException {
        Files.createDirectories(dir);
        IngestLog log = new IngestLog(dir, nextSegment, force, owner);
        log.roll();
        log.thread.start();
        return log;
    }

    /** Queues a request for the next append; false when the log is closed. */
    boolean submit(Request request) {
        return submit(List.of(request));
    }

    /**
     * Queues requests for the next append, in order, so that they are written together (one write
     * for all of them when the caller appends them itself); false when the log is closed (then
     * none was queued).
     */
    boolean submit(List<Request> group) {
        // Nothing waiting: append on the caller's thread (one write, a few microseconds), saving
        // the hand-off to the log thread and back. Never with forced appends, whose fsync would
        // hold an IO thread for milliseconds.
        if (force || !requests.isEmpty() || !mayAppendOnCaller(group)) {
            return handOver(group);
        }
        if (closed) {
            return false;
        }
        // Another caller's append takes a few microseconds: wait for it rather than hand over
        // (waking the log thread, and it the caller's IO thread, costs more than the append), but
        // not for long: a write the disk holds up must not hold every IO thread.
        boolean locked;
        try {
            locked = appendLock.tryLock(CALLER_LOCK_WAIT_MICROS, TimeUnit.MICROSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            locked = false;
        }
        if (!locked) {
            return handOver(group);
        }
        try {
            if (closed) {
                return false; // closed while this caller waited: the log thread may have closed the file
            }
            appendGuarded(group);
        } finally {
            appendLock.unlock();
        }
        return true;
    }

    private static boolean mayAppendOnCaller(List<Request> group) {
        for (Request r : group) {
            if (!r.mayAppendOnCaller()) {
                return false;
            }
        }
        return true;
    }

    /** Queues the requests for the log thread; false when the log is closed. */
    private boolean handOver(List<Request> group) {
        synchronized (submitLock) {
            if (closed) {
                return false;
            }
            requests.addAll(group);
            return true;
        }
    }

    /** Requests waiting for the log thread. */
    int pending() {
        return requests.size();
    }

    /** Writes made so far: fewer than requests when grouping works. */
    long appends() {
        return appends.get();
    }

    /** Stops taking requests, appends what was submitted, and closes the file. */
    @Override
    public void close() {
        synchronized (submitLock) {
            if (closed) {
                return;
            }
            closed = true;
            requests.add(STOP);
        }
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeChannel();
    }

    private void run() {
        List<Request> group = new ArrayList<>();
        boolean stopping = false;
        while (!stopping) {
            group.clear();
            try {
                group.add(requests.take());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            requests.drainTo(group);
            stopping = group.remove(STOP);
            appendLock.lock();
            try {
                appendGuarded(group);
            } finally {
                appendLock.unlock();
            }
        }
    }

    /** {@link #append}, with the append lock held; a failure fails the group's requests, never the caller. */
    private void appendGuarded(List<Request> group) {
        try {
            append(group);
        } catch (RuntimeException | Error e) {
            LOG.error("queue log append failed", e);
            for (Request r : group) {
                r.done.completeExceptionally(e);
            }
        }
    }

    /** Appends every admitted request of the group in one write, then answers them. */
    private void append(List<Request> group) {
        Tally counts = new Tally();
        List<Request> admitted = new ArrayList<>(group.size());
        int size = 0;
        int events = 0;
        for (Request r : group) {
            r.beforeAppend();
            if (r.done.isCancelled()) {
                continue; // the caller gave up waiting: not stored, not answered 200
            }
            if (r.events.isEmpty()) {
                r.done.complete(null);
                r.moved();
                continue;
            }
            if (!admit(r, counts)) {
                continue;
            }
            for (RoutedEvent e : r.events) {
                size += recordSize(e);
                events++;
            }
            admitted.add(r);
        }
        if (admitted.isEmpty()) {
            return;
        }
        Optional<String> refusal = owner.refusal();
        if (refusal.isPresent()) {
            owner.refused(admitted.size());
            SinkUnavailableException refused = new SinkUnavailableException(refusal.get(), null);
            for (Request r : admitted) {
                r.done.completeExceptionally(refused);
            }
            return;
        }
        long start = offset;
        try {
            // One stat: the file appended to is still there (the data dir was not removed). The
            // database and lock file are the writer's to check, before each of its commits; an
            // append it cannot move makes the log refuse the next ones.
            if (!Files.exists(currentFile)) {
                owner.requireFiles();
                throw new IOException("the queue log file " + currentFile + " was removed");
            }
            if (buffer.length < size) {
                buffer = new byte[Math.max(size, buffer.length * 2)];
            }
            ByteBuffer out = ByteBuffer.wrap(buffer, 0, size);
            for (Request r : admitted) {
                for (RoutedEvent e : r.events) {
                    encode(out, e, r.enqueuedAt);
                }
            }
            out.flip();
            while (out.hasRemaining()) {
                channel.write(out);
            }
            if (force) {
                channel.force(false);
            }
            offset = start + size;
            appends.incrementAndGet();
        } catch (IOException | java.sql.SQLException | RuntimeException e) {
            refuse(admitted, e, start);
            return;
        }
        owner.appended(new Logged(admitted, counts, events, new Position(segment, offset)));
        for (Request r : admitted) {
            r.done.complete(null);
        }
        if (offset >= SEGMENT_BYTES) {
            try {
                roll();
            } catch (IOException e) {
                LOG.warn("could not start a new queue log file in {}; appending to the current one", dir, e);
            }
        }
    }

    /** Checks the request's room in each destination's queue, counting the group so far. */
    private boolean admit(Request r, Tally group) {
        Tally wanted = new Tally();
        for (RoutedEvent e : r.events) {
            wanted.add(e.destinationId(), 1, e.json().length);
        }
        try {
            wanted.forEach((id, events, bytes) -> owner.admit(id, events, bytes, group.events(id), group.bytes(id)));
        } catch (QueueFullException full) {
            r.done.completeExceptionally(full);
            return false;
        }
        group.addAll(wanted);
        return true;
    }

    /** The append failed: nothing of it counts; later appends go to a new file after the good part. */
    private void refuse(List<Request> admitted, Exception error, long start) {
        owner.failed(error, admitted.size());
        for (Request r : admitted) {
            r.done.completeExceptionally(error);
        }
        try {
            channel.truncate(start);
            channel.position(start);
            offset = start;
        } catch (IOException | RuntimeException truncateFailed) {
            // A torn record may stay at the end of this file: never write after it.
            try {
                roll();
            } catch (IOException rollFailed) {
                LOG.debug("could not start a new queue log file after a failed append", rollFailed);
            }
        }
    }

    /** Closes the current file (if any) and starts the next one. */
    private void roll() throws IOException {
        long next = segment + 1;
        FileChannel opened = FileChannel.open(segmentFile(dir, next), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE);
        closeChannel();
        channel = opened;
        currentFile = segmentFile(dir, next);
        segment = next;
        offset = 0;
        if (force) {
            forceDirectory(dir);
        }
    }

    private void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.debug("closing the queue log file failed", e);
            }
        }
    }

    // ---- files, records, recovery ------------------------------------------------------------

    static Path segmentFile(Path dir, long segment) {
        return dir.resolve(String.format("%020d.log", segment));
    }

    /** The log files in the folder, oldest first (an empty list when there is no folder). */
    static List<Long> segments(Path dir) throws IOException {
        List<Long> found = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return found;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.log")) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                try {
                    found.add(Long.parseLong(name.substring(0, name.length() - ".log".length())));
                } catch (NumberFormatException notOurs) {
                    // another file: left alone
                }
            }
        }
        found.sort(null);
        return found;
    }

    /** Deletes the log files numbered below {@code segment}. */
    static void deleteBefore(Path dir, long segment) {
        try {
            for (long s : segments(dir)) {
                if (s < segment) {
                    Files.deleteIfExists(segmentFile(dir, s));
                }
            }
        } catch (IOException e) {
            LOG.warn("could not delete moved queue log files in {} (they are moved already; deleted at the next "
                    + "start): {}", dir, e.toString());
        }
    }

    static int recordSize(RoutedEvent e) {
        return HEADER + 8 + 4 + utf8Length(e.destinationId()) + 4 + utf8Length(e.eventId()) + 4 + e.json().length;
    }

    private static int utf8Length(String s) {
        int n = s.length();
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return s.getBytes(StandardCharsets.UTF_8).length;
            }
        }
        return n;
    }

    static void encode(ByteBuffer out, RoutedEvent e, long enqueuedAt) {
        byte[] destination = e.destinationId().getBytes(StandardCharsets.UTF_8);
        byte[] id = e.eventId().getBytes(StandardCharsets.UTF_8);
        int payload = 8 + 4 + destination.length + 4 + id.length + 4 + e.json().length;
        int at = out.position();
        out.putInt(payload);
        out.putInt(0); // the CRC, once the payload is written
        int from = out.position();
        out.putLong(enqueuedAt);
        out.putInt(destination.length).put(destination);
        out.putInt(id.length).put(id);
        out.putInt(e.json().length).put(e.json());
        CRC32C crc = new CRC32C();
        crc.update(out.array(), out.arrayOffset() + from, payload);
        out.putInt(at + 4, (int) crc.getValue());
    }

    /** A file's records from {@code offset}, up to its end or its first torn or damaged record. */
    record Read(List<Entry> entries, long end, boolean complete) {
    }

    static Read read(Path file, long offset) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException gone) {
            return new Read(List.of(), offset, true);
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        List<Entry> entries = new ArrayList<>();
        long at = Math.min(offset, bytes.length);
        in.position((int) at);
        while (in.remaining() >= HEADER) {
            int length = in.getInt();
            int crc = in.getInt();
            if (length < 20 || length > MAX_PAYLOAD || length > in.remaining()) {
                return new Read(entries, at, false);
            }
            CRC32C check = new CRC32C();
            check.update(bytes, in.position(), length);
            if ((int) check.getValue() != crc) {
                return new Read(entries, at, false);
            }
            int end = in.position() + length;
            long enqueuedAt = in.getLong();
            String destination = string(in);
            String id = string(in);
            byte[] json = new byte[in.getInt()];
            in.get(json);
            if (in.position() != end) {
                return new Read(entries, at, false);
            }
            entries.add(new Entry(new RoutedEvent(destination, id, json), enqueuedAt));
            at = end;
        }
        return new Read(entries, at, in.remaining() == 0);
    }

    private static String string(ByteBuffer in) {
        byte[] b = new byte[in.getInt()];
        in.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private static void forceDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("could not sync the queue log folder {}", dir, e);
        }
    }
}
