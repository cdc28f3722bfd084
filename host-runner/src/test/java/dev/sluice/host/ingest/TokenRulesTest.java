package dev.sluice.host.ingest;

import static dev.sluice.host.ingest.IngestTestServer.CLIENT_SECRET;
import static dev.sluice.host.ingest.IngestTestServer.OTHER_SERVER_SECRET;
import static dev.sluice.host.ingest.IngestTestServer.SERVER_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class TokenRulesTest {

    private static final String S2S = "/api/v1/s2s/event";
    private static final String CLIENT = "/api/v1/event";

    private IngestTestServer server;
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    /** The test's own HTTP client logs request URLs (with their tokens) at DEBUG: not ours to check. */
    private final Logger testClient = (Logger) LoggerFactory.getLogger("jdk.internal.httpclient");
    private Level rootLevel;

    @BeforeEach
    void start() throws Exception {
        rootLevel = root.getLevel();
        root.setLevel(Level.DEBUG);
        testClient.setLevel(Level.INFO);
        logs.start();
        root.addAppender(logs);
        server = new IngestTestServer();
    }

    @AfterEach
    void stop() {
        server.close();
        root.detachAppender(logs);
        root.setLevel(rootLevel);
        testClient.setLevel(null);
    }

    /** The api_key the stored event got, i.e. the token the server picked. */
    private String storedApiKey() throws Exception {
        var events = server.storedEvents();
        return (String) events.get(events.size() - 1).get("api_key");
    }

    private static String basic(String user) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":ignored").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void queryTokenBeatsEveryHeader() throws Exception {
        var answer = server.post(S2S + "?token=" + SERVER_SECRET + "&p_key=" + OTHER_SERVER_SECRET, "{}",
                "X-Auth-Token", OTHER_SERVER_SECRET, "api_key", OTHER_SERVER_SECRET,
                "Authorization", basic(OTHER_SERVER_SECRET));
        assertThat(answer.status()).isEqualTo(200);
        assertThat(storedApiKey()).isEqualTo("web");
    }

    @Test
    void xAuthTokenBeatsApiKeyHeaderPParamAndBasicAuth() throws Exception {
        server.post(S2S + "?p_key=" + OTHER_SERVER_SECRET, "{}", "X-Auth-Token", SERVER_SECRET,
                "api_key", OTHER_SERVER_SECRET, "Authorization", basic(OTHER_SERVER_SECRET));
        assertThat(storedApiKey()).isEqualTo("web");
    }

    @Test
    void apiKeyHeaderBeatsPParamAndBasicAuth() throws Exception {
        server.post(S2S + "?p_key=" + OTHER_SERVER_SECRET, "{}", "api_key", SERVER_SECRET,
                "Authorization", basic(OTHER_SERVER_SECRET));
        assertThat(storedApiKey()).isEqualTo("web");
    }

    @Test
    void firstPPrefixedQueryParameterInQueryOrderBeatsBasicAuth() throws Exception {
        // p_z comes first in the query though it sorts after p_a: query order decides.
        var answer = server.post(S2S + "?x=1&p_z=" + SERVER_SECRET + "&p_a=" + OTHER_SERVER_SECRET, "{}",
                "Authorization", basic(OTHER_SERVER_SECRET));
        assertThat(answer.status()).isEqualTo(200);
        assertThat(storedApiKey()).isEqualTo("web");
    }

    @Test
    void basicAuthUserNameIsTheLastResort() throws Exception {
        var answer = server.post(S2S, "{}", "Authorization", basic(SERVER_SECRET));
        assertThat(answer.status()).isEqualTo(200);
        assertThat(storedApiKey()).isEqualTo("web");
    }

    @Test
    void emptyQueryTokenFallsThroughToTheNextSource() throws Exception {
        var answer = server.post(S2S + "?token=", "{}", "X-Auth-Token", SERVER_SECRET);
        assertThat(answer.status()).isEqualTo(200);
    }

    @Test
    void noTokenIs401SayingWhereToPutOne() throws Exception {
        var answer = server.post(S2S, "{}");
        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.message()).isEqualTo("The token is not found: the request has no token. "
                + "POST /api/v1/s2s/event takes a server secret (api_keys[].server_secret) in the 'token' query "
                + "parameter, the X-Auth-Token or api_key header, a p_* query parameter or as the basic-auth user name");
        assertThat(server.sink.calls).isEmpty();
    }

    @Test
    void unknownTokenIs401WithoutEchoingIt() throws Exception {
        var s2s = server.post(S2S + "?token=guessed-token-123", "{}");
        assertThat(s2s.status()).isEqualTo(401);
        assertThat(s2s.message()).isEqualTo("The token is not found. POST /api/v1/s2s/event takes a server secret "
                + "(api_keys[].server_secret)");

        var client = server.post(CLIENT + "?token=guessed-token-123", "{}");
        assertThat(client.status()).isEqualTo(401);
        assertThat(client.message()).isEqualTo("The token is not found. POST /api/v1/event takes a client secret "
                + "(api_keys[].client_secret)");
        assertThat(s2s.body() + client.body()).doesNotContain("guessed-token-123");
        assertThat(server.sink.calls).isEmpty();
    }

    @Test
    void clientSecretOnS2sRouteIs401WithJitsusMessage() throws Exception {
        var answer = server.post(S2S + "?token=" + CLIENT_SECRET, "{}");
        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.message()).isEqualTo("The token isn't a server secret token. Please use an s2s integration token");
    }

    @Test
    void serverSecretOnClientRouteIs401WithTheMirrorMessage() throws Exception {
        var answer = server.post(CLIENT + "?token=" + SERVER_SECRET, "{}");
        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.message()).isEqualTo("The token isn't a client secret token. Please use a client (browser) "
                + "token, or send server secrets to /api/v1/s2s/event");
    }

    @Test
    void tokensAndBodiesNeverAppearInTheLogs() throws Exception {
        server.post(S2S + "?token=" + SERVER_SECRET, "{\"a\":1}");
        server.post(S2S + "?token=unknown-secret-xyz", "{}");
        server.post(S2S + "?token=" + CLIENT_SECRET, "{}");
        server.post(S2S + "?token=" + SERVER_SECRET, "{not json");
        // a body that is not JSON: the parser quotes it in the answer, never in the logs
        var quoted = server.post(S2S + "?token=" + SERVER_SECRET, "leakedBodyContent42");
        assertThat(quoted.message()).contains("leakedBodyContent42");
        server.sink.behaviour = events -> {
            throw new IllegalStateException("boom");
        };
        assertThat(server.post(S2S, "{}", "X-Auth-Token", SERVER_SECRET).status()).isEqualTo(500);

        // The server's side only: the JDK's HTTP client used by this test logs its own URLs.
        var serverLogs = logs.list.stream().filter(e -> e.getLoggerName().startsWith("dev.sluice")
                || e.getLoggerName().startsWith("io.undertow") || e.getLoggerName().startsWith("org.xnio")).toList();
        assertThat(serverLogs).extracting(ILoggingEvent::getLoggerName)
                .contains(EventIngestor.class.getName(), Answers.class.getName());
        for (ILoggingEvent event : serverLogs) {
            String text = event.getFormattedMessage() + (event.getThrowableProxy() == null ? ""
                    : event.getThrowableProxy().getMessage());
            assertThat(text).doesNotContain(SERVER_SECRET, CLIENT_SECRET, "unknown-secret-xyz", "leakedBodyContent42");
        }
    }
}
