package dev.sluice.hubspot.http;

import dev.sluice.hubspot.ratelimit.CredentialKey;
import okhttp3.OkHttpClient;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One OkHttp client (connection pool) per credential, shared by the destinations of this plugin's
 * class loader that use it, so their calls reuse the same connections to HubSpot. Each lease gets
 * a view with its own timeouts over the shared pool; the pool is emptied when the last lease closes.
 */
final class SharedHttpClients {

    private static final Map<CredentialKey, Entry> CLIENTS = new HashMap<>();

    private SharedHttpClients() {
    }

    private static final class Entry {
        final OkHttpClient base;
        int leases;

        Entry(OkHttpClient base) {
            this.base = base;
        }
    }

    static Lease lease(CredentialKey key, Duration connectTimeout, Duration callTimeout) {
        Objects.requireNonNull(key, "key");
        synchronized (CLIENTS) {
            Entry entry = CLIENTS.computeIfAbsent(key, k -> new Entry(new OkHttpClient.Builder()
                    .followRedirects(false)
                    .followSslRedirects(false)
                    .build()));
            entry.leases++;
            OkHttpClient view = entry.base.newBuilder()
                    .connectTimeout(connectTimeout)
                    .readTimeout(callTimeout)
                    .writeTimeout(callTimeout)
                    .callTimeout(callTimeout)
                    .build();
            return new Lease(key, entry, view);
        }
    }

    static int size() {
        synchronized (CLIENTS) {
            return CLIENTS.size();
        }
    }

    /** A destination's use of a shared pool. */
    static final class Lease implements AutoCloseable {
        private final CredentialKey key;
        private final Entry entry;
        private final OkHttpClient client;
        private boolean closed;

        private Lease(CredentialKey key, Entry entry, OkHttpClient client) {
            this.key = key;
            this.entry = entry;
            this.client = client;
        }

        OkHttpClient client() {
            return client;
        }

        @Override
        public void close() {
            synchronized (CLIENTS) {
                if (closed) {
                    return;
                }
                closed = true;
                if (--entry.leases <= 0 && CLIENTS.get(key) == entry) {
                    CLIENTS.remove(key);
                    entry.base.connectionPool().evictAll();
                }
            }
        }
    }
}
