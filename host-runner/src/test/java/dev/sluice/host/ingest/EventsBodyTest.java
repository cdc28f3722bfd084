package dev.sluice.host.ingest;

import static dev.sluice.host.ingest.IngestTestServer.SERVER_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.host.routing.DestinationRoute;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventsBodyTest {

    private static final String S2S = "/api/v1/s2s/event?token=" + SERVER_SECRET;

    private IngestTestServer server;

    private void start(long maxEventSize, long maxBodySize) throws Exception {
        server = new IngestTestServer(IngestTestServer.defaultKeys(),
                List.of(new DestinationRoute("all", List.of(), Optional.empty())), maxEventSize, maxBodySize);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void arrayOfObjectsIsStoredInOneCallInOrder() throws Exception {
        start(51_200, 1 << 20);
        var answer = server.post(S2S, "[{\"n\":1},{\"n\":2},{\"n\":3}]");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(server.sink.calls).hasSize(1);
        assertThat(server.storedEvents()).extracting(e -> e.get("n")).containsExactly(1, 2, 3);
    }

    @Test
    void templateFieldsAreCopiedIntoEveryEventAndEventFieldsWin() throws Exception {
        start(51_200, 1 << 20);
        var answer = server.post(S2S, "{\"template\":{\"src\":\"batch\",\"page\":{\"host\":\"t\"},\"kind\":\"tpl\"},"
                + "\"events\":[{\"n\":1},{\"n\":2,\"kind\":\"own\"}]}");
        assertThat(answer.status()).isEqualTo(200);
        List<Map<String, Object>> events = server.storedEvents();
        assertThat(events).hasSize(2);
        assertThat(events.get(0)).containsEntry("n", 1).containsEntry("kind", "tpl").containsEntry("src", "batch")
                .containsEntry("page", Map.of("host", "t"));
        assertThat(events.get(1)).containsEntry("n", 2).containsEntry("kind", "own");
        // each event has its own id and its own user object (not shared through the template)
        assertThat(events.get(0).get("eventn_ctx_event_id")).isNotEqualTo(events.get(1).get("eventn_ctx_event_id"));
    }

    @Test
    void eventsBeforeTemplateAndEventsWithoutTemplateAreBatchesToo() throws Exception {
        start(51_200, 1 << 20);
        server.post(S2S, "{\"events\":[{\"n\":1}],\"template\":{\"t\":true}}");
        server.post(S2S, "{\"events\":[{\"n\":2}]}");
        assertThat(server.storedEvents()).hasSize(2);
        assertThat(server.storedEvents().get(0)).containsEntry("t", true).containsEntry("n", 1);
        assertThat(server.storedEvents().get(1)).containsEntry("n", 2).doesNotContainKey("events");
    }

    @Test
    void anObjectWithEventsAndOtherFieldsIsOneEvent() throws Exception {
        start(51_200, 1 << 20);
        server.post(S2S, "{\"event_type\":\"order\",\"events\":[{\"sku\":\"a\"}]}");
        assertThat(server.storedEvents()).hasSize(1);
        assertThat(server.storedEvents().get(0)).containsEntry("event_type", "order")
                .containsEntry("events", List.of(Map.of("sku", "a")));
    }

    @Test
    void malformedJsonIs400WithLineAndColumn() throws Exception {
        start(51_200, 1 << 20);
        var answer = server.post(S2S, "{\n  \"a\": 1,\n  \"b\" 2\n}");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.message()).startsWith("Error parsing events body: Unexpected character")
                .endsWith(" at line 3, column 7");
        assertThat(server.sink.calls).isEmpty();
    }

    @Test
    void emptyBodyIs400() throws Exception {
        start(51_200, 1 << 20);
        var answer = server.post(S2S, "");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.message()).isEqualTo("Error parsing events body: the body is empty; the body must be a JSON "
                + "object, an array of JSON objects or {\"template\":{...},\"events\":[...]}");
    }

    @Test
    void aBodyThatIsNotAnObjectOrArrayIs400() throws Exception {
        start(51_200, 1 << 20);
        var answer = server.post(S2S, "\"pageview\"");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.message()).isEqualTo("Error parsing events body: the body must be a JSON object, an array "
                + "of JSON objects or {\"template\":{...},\"events\":[...]}; got a string");
    }

    @Test
    void anArrayItemThatIsNotAnObjectIs400NamingTheItemAndNothingIsStored() throws Exception {
        start(51_200, 1 << 20);
        var answer = server.post(S2S, "[{\"n\":1}, 42]");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.message()).isEqualTo("Error parsing events body: item 2 of the array is a number, "
                + "not a JSON object at line 1, column 11");
        var batch = server.post(S2S, "{\"events\":[[1]]}");
        assertThat(batch.message()).startsWith("Error parsing events body: item 1 of \"events\" is an array, not a JSON object");
        assertThat(server.sink.calls).isEmpty();
    }

    @Test
    void contentAfterTheJsonValueIs400() throws Exception {
        start(51_200, 1 << 20);
        var answer = server.post(S2S, "{\"a\":1} {\"b\":2}");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.message()).isEqualTo("Error parsing events body: unexpected an object after the JSON value "
                + "at line 1, column 9");
    }

    @Test
    void anEventOverMaxEventSizeIs413AndNothingOfTheRequestIsStored() throws Exception {
        start(100, 1 << 20);
        String small = "{\"n\":1}";
        String big = "{\"pad\":\"" + "x".repeat(100) + "\"}";
        var answer = server.post(S2S, "[" + small + "," + big + "]");
        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.message()).isEqualTo("Event is too large: item 2 of the array is " + big.length()
                + " bytes, the limit (server.max_event_size) is 100 bytes");
        var single = server.post(S2S, big);
        assertThat(single.message()).isEqualTo("Event is too large: the event is " + big.length()
                + " bytes, the limit (server.max_event_size) is 100 bytes");
        assertThat(server.sink.calls).isEmpty();
        String exactly100 = "{\"pad\":\"" + "x".repeat(100 - 10) + "\"}";
        assertThat(exactly100).hasSize(100);
        assertThat(server.post(S2S, exactly100).status()).isEqualTo(200);
    }

    @Test
    void aBodyOverMaxBodySizeIs413() throws Exception {
        start(51_200, 1000);
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < 200; i++) {
            body.append(i == 0 ? "" : ",").append("{\"n\":").append(i).append('}');
        }
        body.append(']');
        assertThat(body.length()).isGreaterThan(1000);
        var answer = server.post(S2S, body.toString());
        assertThat(answer.status()).as(answer.body()).isEqualTo(413);
        assertThat(answer.message()).isEqualTo("Request body is too large: " + body.length()
                + " bytes, the limit (server.max_body_size) is 1000 bytes");
        assertThat(server.sink.calls).isEmpty();
        assertThat(server.post(S2S, "{\"n\":1}").status()).isEqualTo(200);
    }

    @Test
    void aChunkedBodyOverMaxBodySizeIs413() throws Exception {
        start(51_200, 1000);
        byte[] body = ("[" + "{\"n\":1},".repeat(200) + "{\"n\":1}]").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        var request = java.net.http.HttpRequest.newBuilder(server.uri(S2S))
                .timeout(java.time.Duration.ofSeconds(10))
                // no known length: the JDK client sends it chunked
                .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body)))
                .build();
        var response = java.net.http.HttpClient.newHttpClient().send(request,
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).isEqualTo("{\"message\":\"Request body is too large, the limit "
                + "(server.max_body_size) is 1000 bytes\",\"error\":\"\"}");
        assertThat(server.sink.calls).isEmpty();
    }
}
