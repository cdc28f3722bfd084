package dev.sluice.hubspot.credential;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One shared thing per credential (a rate limiter, a connection pool), used by every destination of
 * this plugin's class loader that sends that credential: the one place for the lease counting.
 * The first {@link #lease} creates the thing; every lease is counted; when the last lease closes
 * the thing is dropped (and handed to {@code onLastClose}). Thread-safe.
 *
 * @param <T> what is shared
 */
public final class SharedPerCredential<T> {

    private final Map<CredentialKey, Entry<T>> entries = new HashMap<>();
    private final Consumer<T> onLastClose;

    private static final class Entry<T> {
        final T value;
        int leases;

        Entry(T value) {
            this.value = value;
        }
    }

    /** @param onLastClose what to do with a thing when its last lease closes (e.g. empty a pool) */
    public SharedPerCredential(Consumer<T> onLastClose) {
        this.onLastClose = Objects.requireNonNull(onLastClose, "onLastClose");
    }

    /**
     * Takes a lease on the thing for {@code key}, creating it with {@code create} on first use;
     * {@code onLease} is run on it for every lease, the first included (e.g. to tighten a budget).
     */
    public Lease<T> lease(CredentialKey key, Supplier<T> create, Consumer<T> onLease) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(create, "create");
        Objects.requireNonNull(onLease, "onLease");
        synchronized (entries) {
            Entry<T> entry = entries.computeIfAbsent(key, k -> new Entry<>(Objects.requireNonNull(create.get())));
            onLease.accept(entry.value);
            entry.leases++;
            return new Lease<>(this, key, entry);
        }
    }

    /** How many credentials have a shared thing now (for tests and diagnostics). */
    public int size() {
        synchronized (entries) {
            return entries.size();
        }
    }

    private void release(CredentialKey key, Entry<T> entry) {
        boolean last;
        synchronized (entries) {
            last = --entry.leases <= 0 && entries.get(key) == entry;
            if (last) {
                entries.remove(key);
            }
        }
        if (last) {
            onLastClose.accept(entry.value);
        }
    }

    /** A destination's use of a shared thing; close it when the destination closes. Idempotent. */
    public static final class Lease<T> implements AutoCloseable {
        private final SharedPerCredential<T> owner;
        private final CredentialKey key;
        private final Entry<T> entry;
        private boolean closed;

        private Lease(SharedPerCredential<T> owner, CredentialKey key, Entry<T> entry) {
            this.owner = owner;
            this.key = key;
            this.entry = entry;
        }

        public T value() {
            return entry.value;
        }

        @Override
        public void close() {
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
            }
            owner.release(key, entry);
        }
    }
}
