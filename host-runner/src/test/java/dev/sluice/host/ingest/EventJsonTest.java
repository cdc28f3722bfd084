package dev.sluice.host.ingest;

import static dev.sluice.host.ingest.TypedJson.typed;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The events parser reads an object from the tokens itself and {@link EventJsonWriter} writes it
 * back: they must build exactly what Jackson's untyped binding ({@code readValue(parser,
 * LinkedHashMap.class)}) builds, the same keys in the same order and values of the same Java
 * types, and write the bytes {@code writeValueAsBytes} writes.
 */
class EventJsonTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {
        "{}",
        "{\"event_id\":\"bench-1\",\"event_type\":\"user_identify\",\"user\":{\"anonymous_id\":\"7f3c\",\"email\":"
                + "\"a@example.com\"},\"ids\":{\"ga\":\"GA1.2.19\"},\"local_tz_offset\":-60,\"utm\":{},\"click_id\":{}}",
        "{\"ints\":[0,-1,2147483647,2147483648,-2147483648,-2147483649,9223372036854775807,9223372036854775808,"
                + "-9223372036854775809,123456789012345678901234567890]}",
        "{\"floats\":[1.5,-0.0,0.0,1e3,1E-7,2.5e+10,1.7976931348623157E308,1e400,-1e400,0.1,"
                + "3.14159265358979323846264338327950288]}",
        "{\"literals\":[true,false,null],\"t\":true,\"f\":false,\"n\":null}",
        "{\"text\":\"tab\\tquote\\\"slash\\\\u\\u00e9 snow \\u2603 emoji \\ud83d\\ude00 raw é ☃ 😀\",\"empty\":\"\"}",
        "{\"dup\":1,\"other\":2,\"dup\":{\"x\":1,\"x\":[2]}}",
        "{\"mixed\":[1,\"two\",3.0,[4,[5,{}]],{\"six\":[]},null,true]}",
        "{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{\"f\":{\"g\":{\"h\":{\"i\":{\"j\":[[[[[[1]]]]]]}}}}}}}}}}",
        "{ \"spaced\" :\n [ 1 ,\t2 ] ,\r\n \"obj\" : { \"k\" : \"v\" } }",
    })
    void buildsWhatJacksonsUntypedBindingBuilds(String json) throws Exception {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        Map<String, Object> ours;
        try (JsonParser parser = MAPPER.getFactory().createParser(body)) {
            assertThat(parser.nextToken()).isEqualTo(JsonToken.START_OBJECT);
            ours = EventsBodyParser.readObject(parser);
            assertThat(parser.currentToken()).isEqualTo(JsonToken.END_OBJECT);
            assertThat(parser.nextToken()).isNull();
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> jacksons = MAPPER.readValue(body, LinkedHashMap.class);

        assertThat(ours).isEqualTo(jacksons);
        assertThat(typed(ours)).isEqualTo(typed(jacksons));

        // ... and writing it back gives Jackson's bytes, also after an enrichment-like change.
        ours.put("added", new LinkedHashMap<>(Map.of("k", "v")));
        ours.remove("dup");
        assertThat(new String(new EventJsonWriter(MAPPER).write(ours), StandardCharsets.UTF_8))
                .isEqualTo(new String(MAPPER.writeValueAsBytes(ours), StandardCharsets.UTF_8));
    }
}
