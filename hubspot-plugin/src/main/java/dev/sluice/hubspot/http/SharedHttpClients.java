package dev.sluice.hubspot.http;

import dev.sluice.hubspot.credential.CredentialKey;
import dev.sluice.hubspot.credential.SharedPerCredential;
import okhttp3.OkHttpClient;

import java.time.Duration;

/**
 * One OkHttp client (connection pool) per credential, shared by the destinations of this plugin's
 * class loader that use it, so their calls reuse the same connections to HubSpot. Each lease gets
 * a view with its own timeouts over the shared pool; the pool is emptied when the last lease closes
 * (lease counting: {@link SharedPerCredential}).
 */
final class SharedHttpClients {

    private static final SharedPerCredential<OkHttpClient> CLIENTS =
            new SharedPerCredential<>(base -> base.connectionPool().evictAll());

    private SharedHttpClients() {
    }

    static Lease lease(CredentialKey key, Duration connectTimeout, Duration callTimeout) {
        SharedPerCredential.Lease<OkHttpClient> base = CLIENTS.lease(key, () -> new OkHttpClient.Builder()
                .followRedirects(false)
                .followSslRedirects(false)
                .build(), client -> { });
        OkHttpClient view = base.value().newBuilder()
                .connectTimeout(connectTimeout)
                .readTimeout(callTimeout)
                .writeTimeout(callTimeout)
                .callTimeout(callTimeout)
                .build();
        return new Lease(base, view);
    }

    static int size() {
        return CLIENTS.size();
    }

    /** A destination's use of a shared pool: a view with its own timeouts. */
    static final class Lease implements AutoCloseable {
        private final SharedPerCredential.Lease<OkHttpClient> base;
        private final OkHttpClient client;

        private Lease(SharedPerCredential.Lease<OkHttpClient> base, OkHttpClient client) {
            this.base = base;
            this.client = client;
        }

        OkHttpClient client() {
            return client;
        }

        @Override
        public void close() {
            base.close();
        }
    }
}
