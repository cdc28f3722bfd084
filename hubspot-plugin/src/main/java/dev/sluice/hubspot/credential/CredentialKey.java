package dev.sluice.hubspot.credential;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Identifies a credential without holding it: a SHA-256 digest of its kind and value. Used as a
 * map key so that destinations sharing a token share its limiter and connections, while no map,
 * log line or heap dump of ours holds the token itself. {@link #toString()} shows nothing.
 */
public final class CredentialKey {

    private final String digest;

    private CredentialKey(String digest) {
        this.digest = digest;
    }

    /**
     * @param kind  what the value is ({@code bearer}, {@code hapikey}): the same text used in two
     *              ways is two credentials
     * @param value the secret
     */
    public static CredentialKey of(String kind, String value) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(value, "value");
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(kind.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(value.getBytes(StandardCharsets.UTF_8));
            return new CredentialKey(HexFormat.of().formatHex(sha.digest()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CredentialKey other && digest.equals(other.digest);
    }

    @Override
    public int hashCode() {
        return digest.hashCode();
    }

    @Override
    public String toString() {
        return "CredentialKey{****}";
    }
}
