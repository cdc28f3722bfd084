package dev.sluice.webhook;

import dev.sluice.api.config.Secret;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RequestSignerTest {

    private static final String SECRET = "whsec-test-secret";

    @Test
    void signsTimestampDotBodyWithHmacSha256AsLowerCaseHex() {
        // Expected value computed independently: hmac.new(key, b'1767225600.' + body, sha256).hexdigest()
        byte[] body = "{\"event_type\":\"pageview\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(new RequestSigner(Secret.of(SECRET)).sign(1767225600L, body))
                .isEqualTo("sha256=94383e7ae0e82afc06e15165a866845f4805b9ae71caeaa3129c7c9e318c37e5");
    }

    @Test
    void anotherTimestampOrBodyGivesAnotherSignature() {
        RequestSigner signer = new RequestSigner(Secret.of(SECRET));
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        assertThat(signer.sign(1L, body)).isNotEqualTo(signer.sign(2L, body))
                .isNotEqualTo(signer.sign(1L, "[]".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void refusesAnEmptySecretAndNeverShowsIt() {
        assertThatThrownBy(() -> new RequestSigner(Secret.of(""))).isInstanceOf(IllegalArgumentException.class);
        assertThat(new RequestSigner(Secret.of(SECRET)).toString()).doesNotContain(SECRET);
    }
}
