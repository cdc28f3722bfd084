package dev.sluice.host.ingest;

import static dev.sluice.host.ingest.IngestTestServer.SERVER_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Form-encoded and multipart bodies hear that the body must be JSON, not a parser's message. */
class NonJsonBodyTest {

    private static final String S2S = "/api/v1/s2s/event?token=" + SERVER_SECRET;

    private IngestTestServer server;

    @BeforeEach
    void start() throws Exception {
        server = new IngestTestServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static String mustBeJson(String contentType) {
        return "Error parsing events body: the body must be JSON (a JSON object, an array of JSON objects or"
                + " {\"template\":{...},\"events\":[...]}), sent as Content-Type: application/json; this request"
                + " was sent as " + contentType;
    }

    @Test
    void aFormEncodedBodyIs400SayingTheBodyMustBeJson() throws Exception {
        var answer = server.post(S2S, "event_type=pageview&user%5Bemail%5D=ada%40example.com",
                "Content-Type", "application/x-www-form-urlencoded; charset=UTF-8");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.message()).isEqualTo(mustBeJson("application/x-www-form-urlencoded"));
        assertThat(server.sink.calls).isEmpty();
    }

    @Test
    void aMultipartBodyIs400SayingTheBodyMustBeJson() throws Exception {
        String body = "--XyZ\r\nContent-Disposition: form-data; name=\"event_type\"\r\n\r\npageview\r\n--XyZ--\r\n";
        var answer = server.post(S2S, body, "Content-Type", "multipart/form-data; boundary=XyZ");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.message()).isEqualTo(mustBeJson("multipart/form-data"));
        assertThat(server.sink.calls).isEmpty();
    }

    @Test
    void jsonSentAsAFormStillWorksAsCurlDashDSendsIt() throws Exception {
        var answer = server.post(S2S, "{\"event_type\":\"pageview\"}",
                "Content-Type", "application/x-www-form-urlencoded");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(server.storedEvents()).singleElement().satisfies(e -> assertThat(e).containsEntry("event_type", "pageview"));
    }
}
