package dev.sluice.webhook;

import dev.sluice.api.config.Secret;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Signs request bodies so that receivers can check they come from Sluice and are fresh.
 *
 * <p>The signed bytes are the Unix timestamp in seconds (decimal ASCII), a dot, and the exact body
 * bytes: {@code "1767225600." + body}. The signature is {@code sha256=} followed by the lower-case
 * hex HMAC-SHA256 of those bytes under the UTF-8 bytes of the signing secret. The timestamp goes in
 * {@code X-Sluice-Timestamp}, so a receiver can recompute the signature and refuse old requests
 * (replays). Thread-safe.
 */
public final class RequestSigner {

    /** The header that carries the signed timestamp. */
    public static final String TIMESTAMP_HEADER = HeaderRules.TIMESTAMP_HEADER;

    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;

    /** A signer with this secret (which must not be empty). */
    public RequestSigner(Secret secret) {
        Objects.requireNonNull(secret, "secret");
        byte[] bytes = secret.reveal().getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0) {
            throw new IllegalArgumentException("the signing secret must not be empty");
        }
        this.key = new SecretKeySpec(bytes, ALGORITHM);
    }

    /** The signature header value for {@code body} sent at {@code timestampSeconds}: {@code sha256=<hex>}. */
    public String sign(long timestampSeconds, byte[] body) {
        Objects.requireNonNull(body, "body");
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            mac.update((timestampSeconds + ".").getBytes(StandardCharsets.US_ASCII));
            mac.update(body);
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal());
        } catch (GeneralSecurityException e) {
            // Every Java platform must support HmacSHA256.
            throw new IllegalStateException("HmacSHA256 is not available: " + e.getClass().getSimpleName());
        }
    }

    @Override
    public String toString() {
        return "RequestSigner{HmacSHA256, secret=****}";
    }
}
