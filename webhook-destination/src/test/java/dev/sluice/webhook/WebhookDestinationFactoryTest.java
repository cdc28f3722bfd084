package dev.sluice.webhook;

import dev.sluice.api.DestinationContext;
import dev.sluice.api.DestinationFactory;
import dev.sluice.api.config.ConfigField;
import dev.sluice.api.config.ConfigProblem;
import dev.sluice.api.config.DestinationConfig;
import dev.sluice.api.config.FieldType;
import dev.sluice.api.config.InvalidConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import static dev.sluice.webhook.TestConfigs.ALL_SECRETS;
import static dev.sluice.webhook.TestConfigs.BEARER_SECRET;
import static dev.sluice.webhook.TestConfigs.FACTORY;
import static dev.sluice.webhook.TestConfigs.HEADER_SECRET;
import static dev.sluice.webhook.TestConfigs.QUERY_SECRET;
import static dev.sluice.webhook.TestConfigs.SIGNING_SECRET;
import static dev.sluice.webhook.TestConfigs.config;
import static dev.sluice.webhook.TestConfigs.raw;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WebhookDestinationFactoryTest {

    private static final String URL = "https://example.com/hooks/sluice";

    private static List<ConfigProblem> problems(Map<String, Object> raw) {
        return FACTORY.validate(config(raw));
    }

    private static List<String> fields(List<ConfigProblem> problems) {
        return problems.stream().map(ConfigProblem::field).toList();
    }

    @Test
    void isFoundByPlainClasspathServiceLoader() {
        assertThat(ServiceLoader.load(DestinationFactory.class).stream().map(ServiceLoader.Provider::get))
                .anySatisfy(f -> {
                    assertThat(f).isInstanceOf(WebhookDestinationFactory.class);
                    assertThat(f.type()).isEqualTo("webhook");
                });
    }

    @Test
    void declaresTypeModesAndDocumentedFields() {
        assertThat(FACTORY.type()).isEqualTo("webhook");
        assertThat(FACTORY.displayName()).isEqualTo("Webhook");
        assertThat(FACTORY.supportedModes()).containsExactlyInAnyOrder("stream", "batch");
        assertThat(FACTORY.configFields()).extracting(ConfigField::name).containsExactly("url", "method", "headers",
                "bearer_token", "batch_size", "signing_secret", "signature_header", "connect_timeout", "read_timeout");
        assertThat(FACTORY.configFields()).allSatisfy(f -> assertThat(f.description()).isNotBlank());
        assertThat(FACTORY.configFields()).filteredOn(ConfigField::secret).extracting(ConfigField::name)
                .containsExactly("bearer_token", "signing_secret");
        assertThat(FACTORY.configFields()).filteredOn(f -> f.name().equals("headers"))
                .extracting(ConfigField::type).containsExactly(FieldType.MAP);
        assertThat(FACTORY.defaultTableNameTemplate()).isEmpty();
    }

    @Test
    void urlAloneIsValidAndGetsTheDefaults() {
        DestinationConfig config = config(raw("url", URL));
        assertThat(FACTORY.validate(config)).isEmpty();
        WebhookConfig settings = WebhookConfig.from(config);
        assertThat(settings.method()).isEqualTo("POST");
        assertThat(settings.batchSize()).isEqualTo(1);
        assertThat(settings.headers()).isEmpty();
        assertThat(settings.bearerToken()).isEmpty();
        assertThat(settings.signingSecret()).isEmpty();
        assertThat(settings.signatureHeader()).isEqualTo("X-Sluice-Signature");
        assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.readTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void urlAndMethodAreCheckedByTheFieldDeclarations() {
        assertThatThrownBy(() -> config(raw("method", "GET", "batch_size", "many")))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems())
                        .extracting(ConfigProblem::field).containsExactlyInAnyOrder("url", "method", "batch_size"));
    }

    @Test
    void reportsEveryProblemAtOnceEachNamingItsField() {
        List<ConfigProblem> problems = problems(raw(
                "url", "ftp://example.com/x?key=" + QUERY_SECRET,
                "batch_size", 0,
                "connect_timeout", "0s",
                "read_timeout", "0ms",
                "bearer_token", BEARER_SECRET,
                "signing_secret", SIGNING_SECRET,
                "signature_header", "Bad Header",
                "headers", Map.of("Content-Length", "12", "Authorization", "Basic " + HEADER_SECRET)));

        assertThat(fields(problems)).containsExactlyInAnyOrder("url", "batch_size", "connect_timeout", "read_timeout",
                "signature_header", "headers", "bearer_token, headers");
        assertThat(problems).filteredOn(p -> p.field().equals("batch_size")).singleElement()
                .extracting(ConfigProblem::message).isEqualTo("must be between 1 and 1000, not 0");
        assertThat(problems.toString()).contains("'Content-Length'", "Authorization");
        for (String secret : ALL_SECRETS) {
            assertThat(problems.toString()).doesNotContain(secret);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.com/hook", "/hooks/sluice", "ftp://example.com/hook", "https://", "http:///path",
            "mailto:someone@example.com", "https://exa mple.com/hook", "file:///etc/passwd"})
    void refusesAnythingButAnAbsoluteHttpUrl(String url) {
        assertThat(problems(raw("url", url))).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("url");
            assertThat(p.message()).contains("http:// or https://");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://localhost:8080/hook", "https://example.com", "HTTPS://Example.com/a/b?c=d",
            "http://127.0.0.1:9/x", "http://[::1]:8080/hook"})
    void acceptsHttpAndHttpsUrls(String url) {
        assertThat(problems(raw("url", url))).isEmpty();
    }

    @Test
    void badUrlIsNotEchoedBecauseItMayCarryAKey() {
        assertThat(problems(raw("url", "htps://example.com/hook?key=" + QUERY_SECRET)).toString())
                .doesNotContain(QUERY_SECRET);
    }

    @Test
    void refusesUserInfoInTheUrlWithoutShowingIt() {
        List<ConfigProblem> problems = problems(raw("url", "https://user:" + QUERY_SECRET + "@example.com/hook"));
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("url");
            assertThat(p.message()).contains("user:password@").doesNotContain(QUERY_SECRET);
        });
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1, 1001})
    void batchSizeMustBeFrom1To1000(long size) {
        assertThat(problems(raw("url", URL, "batch_size", size))).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("batch_size");
            assertThat(p.message()).isEqualTo("must be between 1 and 1000, not " + size);
        });
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 50, 1000})
    void batchSizeInRangeIsTheDestinationsMaximum(long size) {
        assertThat(problems(raw("url", URL, "batch_size", size))).isEmpty();
        try (WebhookDestination destination = TestConfigs.create(raw("url", URL, "batch_size", size))) {
            assertThat(destination.maxBatchSize()).isEqualTo((int) size);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"Content-Length", "host", "Connection", "Keep-Alive", "Transfer-Encoding", "TE", "Trailer",
            "Upgrade", "Proxy-Authorization", "Content-Encoding", "Expect"})
    void refusesHeadersTheClientManagesNamingThem(String name) {
        assertThat(problems(raw("url", URL, "headers", Map.of(name, HEADER_SECRET)))).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("headers");
            assertThat(p.message()).contains("'" + name + "'").doesNotContain(HEADER_SECRET);
        });
    }

    @Test
    void contentTypeCannotBeOverridden() {
        assertThat(problems(raw("url", URL, "headers", Map.of("content-type", "text/plain")))).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("'content-type'", "always application/json"));
    }

    @Test
    void bearerTokenAndAnAuthorizationHeaderAreExclusive() {
        assertThat(problems(raw("url", URL, "bearer_token", BEARER_SECRET,
                "headers", Map.of("authorization", "Token " + HEADER_SECRET)))).singleElement().satisfies(p -> {
                    assertThat(p.field()).isEqualTo("bearer_token, headers");
                    assertThat(p.message()).doesNotContain(BEARER_SECRET, HEADER_SECRET);
                });
        assertThat(problems(raw("url", URL, "headers", Map.of("Authorization", "Token " + HEADER_SECRET)))).isEmpty();
    }

    @Test
    void headerValuesThatCannotBeSentAreRefusedWithoutShowingThem() {
        List<ConfigProblem> problems = problems(raw("url", URL, "headers",
                Map.of("X-Api-Key", HEADER_SECRET + "\r\nX-Injected: 1")));
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("headers");
            assertThat(p.message()).contains("'X-Api-Key'", "not shown").doesNotContain(HEADER_SECRET, "Injected");
        });
        assertThat(problems(raw("url", URL, "bearer_token", BEARER_SECRET + "\n"))).singleElement()
                .satisfies(p -> assertThat(p.toString()).startsWith("bearer_token:").doesNotContain(BEARER_SECRET));
    }

    @Test
    void headerNamesMustBeValidAndDistinct() {
        assertThat(fields(problems(raw("url", URL, "headers", Map.of("X Api Key", "v"))))).containsExactly("headers");
        List<ConfigProblem> duplicates = problems(raw("url", URL, "headers", raw("X-Key", "a", "x-key", "b")));
        assertThat(duplicates).singleElement().satisfies(p -> assertThat(p.message()).contains("'X-Key'", "'x-key'"));
    }

    @Test
    void signatureHeadersCannotBeSetByHandWhenSigning() {
        Map<String, Object> headers = raw("X-Sluice-Signature", "x", "X-Sluice-Timestamp", "1");
        assertThat(problems(raw("url", URL, "signing_secret", SIGNING_SECRET, "headers", headers))).hasSize(2)
                .allSatisfy(p -> assertThat(p.message()).contains("signing_secret"));
        assertThat(problems(raw("url", URL, "headers", headers))).isEmpty();
        assertThat(fields(problems(raw("url", URL, "signature_header", "Content-Type"))))
                .containsExactly("signature_header");
        assertThat(fields(problems(raw("url", URL, "signature_header", "X-Sluice-Timestamp"))))
                .containsExactly("signature_header");
    }

    @Test
    void createDoesNoNetworkIoAndRevalidates() {
        // Port 9 on loopback: nothing listens, and nothing is called before deliver.
        try (WebhookDestination destination = TestConfigs.create(raw("url", "http://127.0.0.1:9/hook"))) {
            assertThat(destination.config().endpoint()).isEqualTo("http://127.0.0.1:9/hook");
        }
        DestinationContext bad = DestinationContext.of("hook", "batch",
                config(raw("url", URL, "batch_size", 0)), TestConfigs.CLOCK);
        assertThatThrownBy(() -> FACTORY.create(bad)).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("batch_size");
    }

    @Test
    void toStringsShowNoSecrets() {
        Map<String, Object> raw = raw("url", "https://example.com/hook?key=" + QUERY_SECRET,
                "headers", Map.of("X-Api-Key", HEADER_SECRET), "bearer_token", BEARER_SECRET,
                "signing_secret", SIGNING_SECRET);
        assertThat(FACTORY.validate(config(raw))).isEmpty();
        try (WebhookDestination destination = TestConfigs.create(raw)) {
            String text = destination + " " + destination.config() + " " + FACTORY;
            assertThat(text).contains("X-Api-Key", "https://example.com:443/hook");
            for (String secret : ALL_SECRETS) {
                assertThat(text).doesNotContain(secret);
            }
        }
    }
}
