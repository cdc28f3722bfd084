package dev.sluice.host.ingest;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Writes an event of the types {@link PlainJsonReader}, Jackson's untyped binding and the
 * enricher build (maps with string keys, lists, strings, Integer, Long, BigInteger, finite
 * Double, Boolean, null) as UTF-8 JSON, byte for byte as Jackson's default generator writes it:
 * no whitespace, {@code "} and {@code \} escaped with a backslash, control characters as
 * {@code \b \t \n \f \r} or {@code \}{@code u00XX} (upper-case hex), every other character as
 * its UTF-8 bytes. Anything else (another type, a non-finite double, a surrogate character,
 * which Jackson writes as an escape) makes it give up and return null: the caller writes the
 * event with Jackson. Thread-safe.
 */
final class PlainJsonWriter {

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    /** Per thread, the buffer an event is written into (then copied out at its exact size). */
    private static final ThreadLocal<PlainJsonWriter> WRITERS = ThreadLocal.withInitial(PlainJsonWriter::new);
    private static final int KEPT_BUFFER = 64 * 1024;

    private static final class GiveUp extends RuntimeException {
        GiveUp() {
            super("not a plain event", null, false, false);
        }
    }

    private static final GiveUp GIVE_UP = new GiveUp();

    private byte[] out = new byte[4096];
    private int pos;

    private PlainJsonWriter() {
    }

    /** The event's JSON, or null when Jackson must write it. */
    static byte[] write(Map<String, Object> event) {
        PlainJsonWriter writer = WRITERS.get();
        writer.pos = 0;
        try {
            writer.value(event, 0);
            return Arrays.copyOf(writer.out, writer.pos);
        } catch (GiveUp e) {
            return null;
        } finally {
            if (writer.out.length > KEPT_BUFFER) {
                writer.out = new byte[4096];
            }
        }
    }

    private void value(Object value, int depth) {
        if (value instanceof String text) {
            string(text);
        } else if (value instanceof Map<?, ?> map) {
            if (depth > PlainJsonReader.MAX_DEPTH) {
                throw GIVE_UP;
            }
            room(1);
            out[pos++] = '{';
            boolean first = true;
            for (Map.Entry<?, ?> field : map.entrySet()) {
                if (!(field.getKey() instanceof String key)) {
                    throw GIVE_UP;
                }
                if (!first) {
                    room(1);
                    out[pos++] = ',';
                }
                first = false;
                string(key);
                room(1);
                out[pos++] = ':';
                value(field.getValue(), depth + 1);
            }
            room(1);
            out[pos++] = '}';
        } else if (value instanceof List<?> list) {
            if (depth > PlainJsonReader.MAX_DEPTH) {
                throw GIVE_UP;
            }
            room(1);
            out[pos++] = '[';
            boolean first = true;
            for (Object item : list) {
                if (!first) {
                    room(1);
                    out[pos++] = ',';
                }
                first = false;
                value(item, depth + 1);
            }
            room(1);
            out[pos++] = ']';
        } else if (value == null) {
            ascii("null");
        } else if (value instanceof Integer number) {
            integer(number);
        } else if (value instanceof Long number) {
            integer(number);
        } else if (value instanceof Boolean bool) {
            ascii(bool ? "true" : "false");
        } else if (value instanceof Double number) {
            if (!Double.isFinite(number)) {
                throw GIVE_UP; // Jackson quotes NaN and infinities
            }
            ascii(Double.toString(number));
        } else if (value instanceof BigInteger number) {
            ascii(number.toString());
        } else {
            throw GIVE_UP;
        }
    }

    private void integer(long value) {
        if (value == Long.MIN_VALUE) {
            ascii(Long.toString(value));
            return;
        }
        room(20);
        if (value < 0) {
            out[pos++] = '-';
            value = -value;
        }
        int digits = 1;
        for (long v = value; v >= 10; v /= 10) {
            digits++;
        }
        for (int i = pos + digits - 1; i >= pos; i--) {
            out[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        pos += digits;
    }

    private void ascii(String text) {
        int n = text.length();
        room(n);
        for (int i = 0; i < n; i++) {
            out[pos++] = (byte) text.charAt(i);
        }
    }

    private void string(String text) {
        int n = text.length();
        room(n * 6 + 2); // at most six bytes per character (an escape), and the quotes
        byte[] b = out;
        int p = pos;
        b[p++] = '"';
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                if (c >= 0x20 && c != '"' && c != '\\') {
                    b[p++] = (byte) c;
                } else {
                    p = escape(b, p, c);
                }
            } else if (c < 0x800) {
                b[p++] = (byte) (0xC0 | c >> 6);
                b[p++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isSurrogate(c)) {
                throw GIVE_UP;
            } else {
                b[p++] = (byte) (0xE0 | c >> 12);
                b[p++] = (byte) (0x80 | (c >> 6 & 0x3F));
                b[p++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        b[p++] = '"';
        pos = p;
    }

    private static int escape(byte[] b, int p, char c) {
        b[p++] = '\\';
        switch (c) {
            case '"' -> b[p++] = '"';
            case '\\' -> b[p++] = '\\';
            case '\b' -> b[p++] = 'b';
            case '\t' -> b[p++] = 't';
            case '\n' -> b[p++] = 'n';
            case '\f' -> b[p++] = 'f';
            case '\r' -> b[p++] = 'r';
            default -> {
                b[p++] = 'u';
                b[p++] = '0';
                b[p++] = '0';
                b[p++] = HEX[c >> 4];
                b[p++] = HEX[c & 0xF];
            }
        }
        return p;
    }

    private void room(int bytes) {
        if (out.length - pos < bytes) {
            out = Arrays.copyOf(out, Math.max(pos + bytes, out.length * 2));
        }
    }
}
