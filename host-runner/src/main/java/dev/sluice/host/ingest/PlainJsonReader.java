package dev.sluice.host.ingest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the usual Events API body (one JSON object or an array of them, strict JSON, UTF-8)
 * straight from its bytes into what Jackson's untyped binding builds from it: insertion-ordered
 * {@link LinkedHashMap}s (the last of duplicate keys winning), {@link ArrayList}s, Strings,
 * Integer / Long (the smallest that holds an integer), Double, Boolean and null.
 *
 * <p>It only reads what it can read exactly as Jackson does and gives up (returns null) on
 * anything else: any syntax error, non-UTF-8 or non-shortest UTF-8, integers of more than 18
 * digits, nesting deeper than {@value #MAX_DEPTH}, keys over {@value #MAX_KEY_BYTES} bytes or
 * with surrogates, strings over {@value #MAX_STRING_BYTES} bytes, an event over the size limit,
 * the {@code {"template":..,"events":[..]}} form, a byte order mark. The caller then reads the body
 * with Jackson ({@link EventsBodyParser}), which builds the same values or says what is wrong
 * with the body, so a request's answer and stored event never depend on which of the two read
 * it. It exists for speed: the body is read once, byte by byte, with no token stream between.
 * Not thread-safe (one instance per body).
 */
final class PlainJsonReader {

    static final int MAX_DEPTH = 64;
    /** Integers up to this many digits are read here (they fit a long); longer ones by Jackson. */
    private static final int MAX_INT_DIGITS = 18;
    private static final int MAX_FLOAT_CHARS = 100;
    /**
     * Longer keys and strings are left to Jackson, whose stream constraints refuse keys over
     * 50,000 characters and strings over 20,000,000 (an event it refuses must not be stored).
     */
    static final int MAX_KEY_BYTES = 1024;
    static final int MAX_STRING_BYTES = 1 << 20;
    /** Only keys this short are kept in the per-thread cache (it is for field names, not for data). */
    private static final int CACHED_KEY_BYTES = 64;

    /** Not read here: the caller reads the body with Jackson. A singleton without a stack trace. */
    private static final class GiveUp extends RuntimeException {
        GiveUp() {
            super("not a plain events body", null, false, false);
        }
    }

    private static final GiveUp GIVE_UP = new GiveUp();
    private static final char[] NO_CHARS = new char[0];

    /** Recent keys per thread (and their bytes), so that the same field names do not become new Strings per event. */
    private static final ThreadLocal<KeyCache> KEYS = ThreadLocal.withInitial(KeyCache::new);

    private static final class KeyCache {
        final String[] keys = new String[512];
        final byte[][] bytes = new byte[512][];
    }

    /** Bytes that end the plain run of a string: a quote, a backslash, control characters, non-ASCII. */
    private static final boolean[] STRING_STOP = new boolean[256];

    static {
        for (int b = 0; b < 256; b++) {
            STRING_STOP[b] = b < 0x20 || b >= 0x80 || b == '"' || b == '\\';
        }
    }

    private final byte[] in;
    private final int end;
    private final KeyCache keys;
    private int pos;
    private char[] chars = NO_CHARS;

    private PlainJsonReader(byte[] in) {
        this.in = in;
        this.end = in.length;
        this.keys = KEYS.get();
    }

    /**
     * The events of the body, or null when this reader does not read it (then Jackson must).
     *
     * @param maxEventSize the largest event, in bytes of its JSON text in the body
     */
    static List<Map<String, Object>> events(byte[] body, long maxEventSize) {
        try {
            return new PlainJsonReader(body).events(maxEventSize);
        } catch (GiveUp | StackOverflowError e) {
            return null;
        }
    }

    private List<Map<String, Object>> events(long maxEventSize) {
        skipWhitespace();
        if (pos >= end) {
            throw GIVE_UP;
        }
        List<Map<String, Object>> events;
        if (in[pos] == '{') {
            int start = pos;
            Map<String, Object> event = object(0);
            if (pos - start > maxEventSize || event.get("events") instanceof List<?>) {
                throw GIVE_UP; // too large, or maybe the template form: Jackson's path says which
            }
            events = List.of(event);
        } else if (in[pos] == '[') {
            pos++;
            events = new ArrayList<>();
            skipWhitespace();
            if (pos < end && in[pos] == ']') {
                pos++;
            } else {
                while (true) {
                    if (pos >= end || in[pos] != '{') {
                        throw GIVE_UP;
                    }
                    int start = pos;
                    events.add(object(0));
                    if (pos - start > maxEventSize) {
                        throw GIVE_UP;
                    }
                    if (!more(']')) {
                        break;
                    }
                }
            }
        } else {
            throw GIVE_UP;
        }
        skipWhitespace();
        if (pos != end) {
            throw GIVE_UP;
        }
        return events;
    }

    /** After a value: true at a comma (skipped, with the whitespace after it), false at {@code close} (skipped). */
    private boolean more(char close) {
        skipWhitespace();
        if (pos >= end) {
            throw GIVE_UP;
        }
        byte b = in[pos++];
        if (b == ',') {
            skipWhitespace();
            return true;
        }
        if (b == close) {
            return false;
        }
        throw GIVE_UP;
    }

    private Map<String, Object> object(int depth) {
        if (depth > MAX_DEPTH) {
            throw GIVE_UP;
        }
        pos++; // the '{'
        Map<String, Object> object = new LinkedHashMap<>();
        skipWhitespace();
        if (pos < end && in[pos] == '}') {
            pos++;
            return object;
        }
        do {
            if (pos >= end || in[pos] != '"') {
                throw GIVE_UP;
            }
            String key = key();
            skipWhitespace();
            if (pos >= end || in[pos] != ':') {
                throw GIVE_UP;
            }
            pos++;
            skipWhitespace();
            object.put(key, value(depth));
        } while (more('}'));
        return object;
    }

    private List<Object> array(int depth) {
        if (depth > MAX_DEPTH) {
            throw GIVE_UP;
        }
        pos++; // the '['
        List<Object> list = new ArrayList<>();
        skipWhitespace();
        if (pos < end && in[pos] == ']') {
            pos++;
            return list;
        }
        do {
            list.add(value(depth));
        } while (more(']'));
        return list;
    }

    private Object value(int depth) {
        if (pos >= end) {
            throw GIVE_UP;
        }
        byte b = in[pos];
        switch (b) {
            case '"':
                return string();
            case '{':
                return object(depth + 1);
            case '[':
                return array(depth + 1);
            case 't':
                literal("true");
                return Boolean.TRUE;
            case 'f':
                literal("false");
                return Boolean.FALSE;
            case 'n':
                literal("null");
                return null;
            default:
                if (b == '-' || (b >= '0' && b <= '9')) {
                    return number();
                }
                throw GIVE_UP;
        }
    }

    private void literal(String word) {
        int n = word.length();
        if (end - pos < n) {
            throw GIVE_UP;
        }
        for (int i = 0; i < n; i++) {
            if (in[pos + i] != word.charAt(i)) {
                throw GIVE_UP;
            }
        }
        pos += n;
        requireDelimiter();
    }

    /** A value ends at whitespace, a comma, a closing bracket or the end of the body. */
    private void requireDelimiter() {
        if (pos < end) {
            byte b = in[pos];
            if (b != ',' && b != '}' && b != ']' && b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                throw GIVE_UP;
            }
        }
    }

    private Object number() {
        int start = pos;
        boolean negative = in[pos] == '-';
        if (negative) {
            pos++;
        }
        int digitsFrom = pos;
        if (pos < end && in[pos] == '0') {
            pos++;
        } else {
            if (pos >= end || in[pos] < '1' || in[pos] > '9') {
                throw GIVE_UP;
            }
            skipDigits();
        }
        int digits = pos - digitsFrom;
        boolean floating = false;
        if (pos < end && in[pos] == '.') {
            floating = true;
            pos++;
            requireDigits();
        }
        if (pos < end && (in[pos] == 'e' || in[pos] == 'E')) {
            floating = true;
            pos++;
            if (pos < end && (in[pos] == '+' || in[pos] == '-')) {
                pos++;
            }
            requireDigits();
        }
        requireDelimiter();
        if (floating) {
            if (pos - start > MAX_FLOAT_CHARS) {
                throw GIVE_UP;
            }
            return Double.parseDouble(new String(in, start, pos - start, StandardCharsets.ISO_8859_1));
        }
        if (digits > MAX_INT_DIGITS) {
            throw GIVE_UP;
        }
        long value = 0;
        for (int i = digitsFrom; i < pos; i++) {
            value = value * 10 + (in[i] - '0');
        }
        if (negative) {
            value = -value;
        }
        if (value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE) {
            return (int) value;
        }
        return value;
    }

    private void skipDigits() {
        while (pos < end && in[pos] >= '0' && in[pos] <= '9') {
            pos++;
        }
    }

    private void requireDigits() {
        int from = pos;
        skipDigits();
        if (pos == from) {
            throw GIVE_UP;
        }
    }

    private void skipWhitespace() {
        while (pos < end) {
            byte b = in[pos];
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return;
            }
            pos++;
        }
    }

    /** A key: a string, the same String as the last time these bytes were a key on this thread. */
    private String key() {
        int from = pos + 1;
        int hash = 0;
        int i = from;
        for (; i < end; i++) {
            byte b = in[i];
            if (b == '"') {
                break;
            }
            if (b < 0x20 || b == '\\') {
                return unusualKey();
            }
            hash = 31 * hash + b;
        }
        if (i >= end || i - from > MAX_KEY_BYTES) {
            throw GIVE_UP;
        }
        pos = i + 1;
        if (i - from > CACHED_KEY_BYTES) {
            return new String(in, from, i - from, StandardCharsets.ISO_8859_1);
        }
        int slot = (hash ^ (hash >>> 9)) & (keys.keys.length - 1);
        byte[] cached = keys.bytes[slot];
        if (cached != null && Arrays.equals(cached, 0, cached.length, in, from, i)) {
            return keys.keys[slot];
        }
        String key = new String(in, from, i - from, StandardCharsets.ISO_8859_1);
        keys.keys[slot] = key;
        keys.bytes[slot] = Arrays.copyOfRange(in, from, i);
        return key;
    }

    /** A key with escapes or non-ASCII characters (not cached); Jackson refuses surrogates in keys that do not pair up. */
    private String unusualKey() {
        int from = pos;
        String key = string();
        if (pos - from > MAX_KEY_BYTES) {
            throw GIVE_UP;
        }
        for (int i = 0; i < key.length(); i++) {
            if (Character.isSurrogate(key.charAt(i))) {
                throw GIVE_UP;
            }
        }
        return key;
    }

    private String string() {
        int from = ++pos; // past the opening quote
        int i = from;
        while (i < end && !STRING_STOP[in[i] & 0xFF]) {
            i++;
        }
        pos = i;
        if (i >= end || i - from > MAX_STRING_BYTES) {
            throw GIVE_UP;
        }
        if (in[i] == '"') {
            pos = i + 1;
            return new String(in, from, i - from, StandardCharsets.ISO_8859_1);
        }
        return escapedString(from);
    }

    /** The rest of a string with escapes or non-ASCII characters, from {@code from} (its first byte). */
    private String escapedString(int from) {
        int n = 0;
        room(pos - from + 16);
        for (int i = from; i < pos; i++) {
            chars[n++] = (char) in[i];
        }
        while (pos < end) {
            room(n + 2);
            int b = in[pos++];
            if (b == '"') {
                if (pos - from > MAX_STRING_BYTES) {
                    throw GIVE_UP;
                }
                return new String(chars, 0, n);
            }
            if (b == '\\') {
                chars[n++] = escape();
            } else if (b >= 0x20) {
                chars[n++] = (char) b;
            } else if (b >= 0) {
                throw GIVE_UP; // a control character not escaped
            } else {
                n = utf8(b & 0xFF, n);
            }
        }
        throw GIVE_UP;
    }

    private void room(int size) {
        if (chars.length < size) {
            chars = Arrays.copyOf(chars, Math.max(Math.max(size, 64), chars.length * 2));
        }
    }

    private char escape() {
        if (pos >= end) {
            throw GIVE_UP;
        }
        byte b = in[pos++];
        switch (b) {
            case '"':
                return '"';
            case '\\':
                return '\\';
            case '/':
                return '/';
            case 'b':
                return '\b';
            case 'f':
                return '\f';
            case 'n':
                return '\n';
            case 'r':
                return '\r';
            case 't':
                return '\t';
            case 'u':
                if (end - pos < 4) {
                    throw GIVE_UP;
                }
                int c = 0;
                for (int i = 0; i < 4; i++) {
                    c = (c << 4) | hex(in[pos++]);
                }
                return (char) c;
            default:
                throw GIVE_UP;
        }
    }

    private static int hex(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        throw GIVE_UP;
    }

    /** Decodes a well-formed UTF-8 sequence starting with {@code first} (RFC 3629's table); gives up on any other. */
    private int utf8(int first, int n) {
        int codePoint;
        if (first >= 0xC2 && first <= 0xDF) {
            codePoint = (first & 0x1F) << 6 | continuation(0x80, 0xBF);
        } else if (first >= 0xE0 && first <= 0xEF) {
            int low = first == 0xE0 ? 0xA0 : 0x80;
            int high = first == 0xED ? 0x9F : 0xBF;
            codePoint = (first & 0x0F) << 12 | continuation(low, high) << 6 | continuation(0x80, 0xBF);
        } else if (first >= 0xF0 && first <= 0xF4) {
            int low = first == 0xF0 ? 0x90 : 0x80;
            int high = first == 0xF4 ? 0x8F : 0xBF;
            codePoint = (first & 0x07) << 18 | continuation(low, high) << 12 | continuation(0x80, 0xBF) << 6
                    | continuation(0x80, 0xBF);
            chars[n++] = Character.highSurrogate(codePoint);
            chars[n++] = Character.lowSurrogate(codePoint);
            return n;
        } else {
            throw GIVE_UP;
        }
        chars[n++] = (char) codePoint;
        return n;
    }

    private int continuation(int low, int high) {
        if (pos >= end) {
            throw GIVE_UP;
        }
        int b = in[pos++] & 0xFF;
        if (b < low || b > high) {
            throw GIVE_UP;
        }
        return b & 0x3F;
    }
}
