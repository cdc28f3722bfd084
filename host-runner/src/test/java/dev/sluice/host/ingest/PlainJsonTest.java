package dev.sluice.host.ingest;

import static dev.sluice.host.ingest.TypedJson.typed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link PlainJsonReader} and {@link PlainJsonWriter} are shortcuts: whatever they read or write
 * must be exactly what the Jackson path reads or writes (the same keys in the same order, the same
 * Java types, the same bytes), and where they cannot promise that they must give up so that
 * Jackson decides. Checked on chosen bodies and on many random and randomly damaged ones.
 */
class PlainJsonTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final long NO_LIMIT = Long.MAX_VALUE;
    private final EventsBodyParser jackson = new EventsBodyParser(MAPPER, NO_LIMIT);
    private final EventJsonWriter writer = new EventJsonWriter(MAPPER);

    @ParameterizedTest
    @ValueSource(strings = {
        "{}",
        "[]",
        " [ {} , {\"a\":1} ] ",
        "{\"event_id\":\"bench-1\",\"event_type\":\"user_identify\",\"user\":{\"anonymous_id\":\"7f3c\",\"email\":"
                + "\"a@example.com\"},\"ids\":{\"ga\":\"GA1.2.19\"},\"local_tz_offset\":-60,\"utm\":{},\"click_id\":{}}",
        "{\"ints\":[0,-0,-1,7,2147483647,2147483648,-2147483648,-2147483649,999999999999999999,-999999999999999999]}",
        "{\"floats\":[1.5,-0.0,0.0,1e3,1E-7,2.5e+10,1.7976931348623157E308,0.1,4.9E-324,"
                + "3.14159265358979323846264338327950288]}",
        "{\"huge\":1e400,\"tiny\":1e-400}",
        "{\"literals\":[true,false,null],\"t\":true,\"f\":false,\"n\":null}",
        "{\"text\":\"tab\\tquote\\\"slash\\/back\\\\ \\b\\f\\n\\r \\u00e9 \\u0000 \\u001F snow \\u2603 raw é ☃ ß\","
                + "\"empty\":\"\"}",
        "{\"astral\":\"😀 and \\ud83d\\ude00\",\"lone\":\"\\ud83d\"}",
        "{\"k\\u00e9y\":1,\"ké\":2,\"dup\":1,\"other\":2,\"dup\":{\"x\":1,\"x\":[2]}}",
        "{\"mixed\":[1,\"two\",3.0,[4,[5,{}]],{\"six\":[]},null,true]}",
        "{ \"spaced\" :\n [ 1 ,\t2 ] ,\r\n \"obj\" : { \"k\" : \"v\" } }",
    })
    void readsWhatJacksonReads(String json) throws Exception {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        List<Map<String, Object>> plain = PlainJsonReader.events(body, NO_LIMIT);
        assertThat(plain).as("read without Jackson").isNotNull();
        assertThat(typed(plain)).isEqualTo(typed(jackson.parseWithJackson(body)));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "  ", "\uFEFF{}", "1", "\"text\"", "null", "[1]", "[{}, 2]", "{} {}", "{}x", "{", "{\"a\"}", "{\"a\":}",
        "{\"a\":1,}", "[{},]", "{'a':1}", "{a:1}", "{\"a\":01}", "{\"a\":1.}", "{\"a\":.5}", "{\"a\":1e}", "{\"a\":+1}",
        "{\"a\":-}", "{\"a\":tru}", "{\"a\":truex}", "{\"a\":nul}", "{\"a\":NaN}", "{\"a\":Infinity}", "{\"a\":\"\\x\"}",
        "{\"a\":\"\\u12G4\"}", "{\"a\":\"\\u12\"}", "{\"a\":\"line\nbreak\"}", "{\"a\":\"unterminated}",
        "{\"a\":1} // comment", "{\"a\":1}\u000C", "{\"big\":1234567890123456789}",
        "{\"template\":{\"t\":1},\"events\":[{\"a\":1}]}", "{\"events\":[{\"a\":1}]}",
    })
    void leavesAnythingElseToJackson(String json) {
        assertThat(PlainJsonReader.events(json.getBytes(StandardCharsets.UTF_8), NO_LIMIT)).isNull();
    }

    @Test
    void leavesBadOrNonShortestUtf8ToJackson() {
        byte[][] bodies = {
            {'{', '"', 'a', '"', ':', '"', (byte) 0xC0, (byte) 0x80, '"', '}'}, // overlong NUL
            {'{', '"', 'a', '"', ':', '"', (byte) 0xE0, (byte) 0x80, (byte) 0x80, '"', '}'}, // overlong
            {'{', '"', 'a', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'}, // a surrogate
            {'{', '"', 'a', '"', ':', '"', (byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80, '"', '}'}, // > U+10FFFF
            {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, '"', '}'}, // cut short
            {'{', '"', 'a', '"', ':', '"', (byte) 0xFF, '"', '}'},
            {'{', '"', (byte) 0x80, '"', ':', '1', '}'}, // in a key
        };
        for (byte[] body : bodies) {
            assertThat(PlainJsonReader.events(body, NO_LIMIT)).isNull();
        }
    }

    @Test
    void leavesEventsOverTheSizeLimitAndDeepNestingToJackson() throws Exception {
        byte[] event = "{\"a\":\"12345\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(PlainJsonReader.events(event, event.length)).isNotNull();
        assertThat(PlainJsonReader.events(event, event.length - 1)).isNull();
        // ... so the answer is Jackson's path's own 413.
        assertThatThrownBy(() -> new EventsBodyParser(MAPPER, event.length - 1).parse(event))
                .isInstanceOfSatisfying(IngestRejection.class, r -> assertThat(r.status()).isEqualTo(413));

        String deep = "{\"a\":".repeat(PlainJsonReader.MAX_DEPTH + 2) + "1" + "}".repeat(PlainJsonReader.MAX_DEPTH + 2);
        byte[] body = deep.getBytes(StandardCharsets.UTF_8);
        assertThat(PlainJsonReader.events(body, NO_LIMIT)).isNull();
        assertThat(new EventsBodyParser(MAPPER, NO_LIMIT).parse(body)).hasSize(1);
    }

    @Test
    void keysOfTheSameCacheSlotStayApart() throws Exception {
        // "Aa" and "BB" hash alike: they share a slot of the per-thread key cache.
        byte[] body = "[{\"Aa\":1,\"BB\":2},{\"BB\":3,\"Aa\":4},{\"Aa\":5}]".getBytes(StandardCharsets.UTF_8);
        List<Map<String, Object>> plain = PlainJsonReader.events(body, NO_LIMIT);
        assertThat(plain).containsExactly(Map.of("Aa", 1, "BB", 2), Map.of("BB", 3, "Aa", 4), Map.of("Aa", 5));
        assertThat(typed(plain)).isEqualTo(typed(jackson.parseWithJackson(body)));
    }

    @Test
    void readsLongStringsWithEscapesAndLeavesOverlongKeysToJackson() throws Exception {
        // JSON text: escaped quotes and backslashes, an escaped e-acute, raw non-ASCII; about 150 bytes, 100 times.
        String text = ("plain ascii, then \\\"quoted\\\" \\\\ é ☃ \\u00e9 😀 " + "x".repeat(97)).repeat(100);
        byte[] body = ("{\"long\":\"" + text + "\",\"" + "k".repeat(PlainJsonReader.MAX_KEY_BYTES) + "\":1}")
                .getBytes(StandardCharsets.UTF_8);
        List<Map<String, Object>> plain = PlainJsonReader.events(body, NO_LIMIT);
        assertThat(plain).isNotNull();
        assertThat(typed(plain)).isEqualTo(typed(jackson.parseWithJackson(body)));

        byte[] longerKey = ("{\"" + "k".repeat(PlainJsonReader.MAX_KEY_BYTES + 1) + "\":1}").getBytes(StandardCharsets.UTF_8);
        assertThat(PlainJsonReader.events(longerKey, NO_LIMIT)).isNull();
        assertThat(jackson.parse(longerKey)).containsExactly(Map.of("k".repeat(PlainJsonReader.MAX_KEY_BYTES + 1), 1));
        // Jackson refuses keys over 50,000 characters: such an event is answered 400, never stored.
        byte[] hugeKey = ("{\"" + "k".repeat(70_000) + "\":1}").getBytes(StandardCharsets.UTF_8);
        assertThat(PlainJsonReader.events(hugeKey, NO_LIMIT)).isNull();
        assertThatThrownBy(() -> jackson.parse(hugeKey))
                .isInstanceOfSatisfying(IngestRejection.class, r -> assertThat(r.status()).isEqualTo(400));
    }

    /**
     * Random events, written with random whitespace and escapes, then each also damaged at one
     * random byte: whenever the plain reader reads one, Jackson reads the same; and the plain
     * writer writes every event it accepts as Jackson does.
     */
    @Test
    void agreesWithJacksonOnRandomAndDamagedBodies() throws Exception {
        Random random = new Random(20261207L);
        int readPlainly = 0;
        int damagedReadPlainly = 0;
        int writtenPlainly = 0;
        for (int i = 0; i < 4000; i++) {
            Map<String, Object> event = randomObject(random, 0);
            StringBuilder text = new StringBuilder();
            writeLoosely(event, random, text);
            byte[] body = text.toString().getBytes(StandardCharsets.UTF_8);

            if (agree(body)) {
                readPlainly++;
            }
            List<Map<String, Object>> expected;
            try {
                expected = jackson.parseWithJackson(body);
            } catch (IngestRejection refused) {
                continue; // a key with half a surrogate pair: Jackson refuses it (and the plain reader left it)
            }

            byte[] plainBytes = PlainJsonWriter.write(expected.get(0));
            if (plainBytes != null) {
                writtenPlainly++;
                // Bytes, not text: two different invalid byte sequences would decode to the same text.
                assertThat(plainBytes).as("body %s", text).isEqualTo(writer.writeWithJackson(expected.get(0)));
            }

            byte[] damaged = body.clone();
            int at = random.nextInt(damaged.length);
            damaged[at] = (byte) DAMAGE.charAt(random.nextInt(DAMAGE.length()));
            if (random.nextInt(4) == 0) {
                damaged = java.util.Arrays.copyOf(damaged, at);
            }
            if (agree(damaged)) {
                damagedReadPlainly++;
            }
        }
        // The shortcuts are taken for most bodies (else they would be tested, and used, for nothing).
        assertThat(readPlainly).isGreaterThan(3000);
        assertThat(writtenPlainly).isGreaterThan(2500);
        assertThat(damagedReadPlainly).isGreaterThan(300);
    }

    /**
     * Whether the plain reader read the body; if it did, Jackson reads it too, to the same values
     * (never a body the plain reader accepts and Jackson refuses).
     */
    private boolean agree(byte[] body) {
        List<Map<String, Object>> plain = PlainJsonReader.events(body, NO_LIMIT);
        if (plain == null) {
            return false;
        }
        String text = new String(body, StandardCharsets.UTF_8);
        List<Map<String, Object>> expected;
        try {
            expected = jackson.parseWithJackson(body);
        } catch (IngestRejection refused) {
            throw new AssertionError("read plainly, but Jackson refuses it (" + refused.getMessage() + "): " + text);
        }
        assertThat(typed(plain)).as("body %s", text).isEqualTo(typed(expected));
        return true;
    }

    @Test
    void writesWhatJacksonWritesForEveryCharacterOfTheBasicPlane() throws Exception {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < Character.MIN_SURROGATE; c++) {
            all.append(c);
        }
        for (int c = Character.MAX_SURROGATE + 1; c <= 0xFFFF; c++) {
            all.append((char) c);
        }
        Map<String, Object> event = new LinkedHashMap<>();
        event.put(all.toString(), all.toString());
        event.put("numbers", List.of(Long.MIN_VALUE, Long.MAX_VALUE, Integer.MIN_VALUE, 0, -7,
                new BigInteger("-123456789012345678901234567890"), 1e-300, -2.5, 1.0E21, 123456.789));
        byte[] plain = PlainJsonWriter.write(event);
        assertThat(plain).isNotNull();
        assertThat(plain).isEqualTo(writer.writeWithJackson(event));

        event.put("surrogates", "😀");
        assertThat(PlainJsonWriter.write(event)).as("left to Jackson, which escapes them").isNull();
        assertThat(writer.write(event)).isEqualTo(writer.writeWithJackson(event));
        event.remove("surrogates");
        event.put("infinite", Double.POSITIVE_INFINITY);
        assertThat(PlainJsonWriter.write(event)).isNull();
        assertThat(writer.write(event)).isEqualTo(writer.writeWithJackson(event));
    }

    // ---- random events -----------------------------------------------------------------------

    private static final String[] KEYS = {"event_id", "user", "email", "utm", "a", "b", "ké", "x\"y", "tab\t", ""};

    private static Map<String, Object> randomObject(Random random, int depth) {
        Map<String, Object> object = new LinkedHashMap<>();
        int fields = random.nextInt(depth == 0 ? 8 : 4);
        for (int i = 0; i < fields; i++) {
            String key = random.nextInt(3) == 0 ? randomString(random) : KEYS[random.nextInt(KEYS.length)];
            object.put(key, randomValue(random, depth + 1));
        }
        return object;
    }

    private static Object randomValue(Random random, int depth) {
        switch (random.nextInt(depth > 4 ? 7 : 9)) {
            case 0:
                return null;
            case 1:
                return random.nextBoolean();
            case 2:
                return random.nextInt(100) - 50;
            case 3: {
                long magnitude = (long) Math.pow(10, random.nextInt(19));
                long v = random.nextLong() % Math.max(1, magnitude);
                return v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE ? (Object) (int) v : (Object) v;
            }
            case 4:
                return random.nextInt(3) == 0 ? (double) random.nextInt(1000) / 8
                        : Double.longBitsToDouble(random.nextLong() & 0x7FEFFFFFFFFFFFFFL) * (random.nextBoolean() ? 1 : -1);
            case 5:
            case 6:
                return randomString(random);
            case 7:
                return randomObject(random, depth);
            default: {
                List<Object> list = new ArrayList<>();
                int n = random.nextInt(4);
                for (int i = 0; i < n; i++) {
                    list.add(randomValue(random, depth + 1));
                }
                return list;
            }
        }
    }

    /** What a damaged body gets at one of its bytes. */
    private static final String DAMAGE = "{}[]\",:\\0123456789.eE+-tfnu \t\n\u0000\u00ffx";

    private static final String PALETTE = "abcXYZ019 -_@./:?&=\"\\\t\n\r\b\f\u0000\u001f\u007féßÅ☃€中\uFFFD";

    private static String randomString(Random random) {
        StringBuilder s = new StringBuilder();
        int n = random.nextInt(12);
        for (int i = 0; i < n; i++) {
            int pick = random.nextInt(PALETTE.length() + 1);
            if (pick == PALETTE.length()) {
                s.appendCodePoint(0x1F600 + random.nextInt(40)); // outside the basic plane
            } else {
                s.append(PALETTE.charAt(pick));
            }
        }
        return s.toString();
    }

    /** JSON text of the value with random whitespace and randomly escaped characters. */
    private static void writeLoosely(Object value, Random random, StringBuilder out) {
        space(random, out);
        if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                space(random, out);
                quote((String) e.getKey(), random, out);
                space(random, out);
                out.append(':');
                writeLoosely(e.getValue(), random, out);
            }
            space(random, out);
            out.append('}');
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                out.append(i == 0 ? "" : ",");
                writeLoosely(list.get(i), random, out);
            }
            out.append(']');
        } else if (value instanceof String s) {
            quote(s, random, out);
        } else if (value instanceof Double d && random.nextBoolean()) {
            out.append(String.format("%e", d).replace(",", ".")); // another spelling of a double
        } else {
            out.append(value);
        }
        space(random, out);
    }

    private static void quote(String s, Random random, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\' || c < 0x20 || random.nextInt(10) == 0) {
                out.append(switch (c) {
                    case '"' -> "\\\"";
                    case '\\' -> "\\\\";
                    case '\n' -> random.nextBoolean() ? "\\n" : "\\u000a";
                    case '/' -> "\\/";
                    default -> String.format(random.nextBoolean() ? "\\u%04x" : "\\u%04X", (int) c);
                });
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }

    private static void space(Random random, StringBuilder out) {
        if (random.nextInt(4) == 0) {
            out.append(" \t\n\r".charAt(random.nextInt(4)));
        }
    }
}
