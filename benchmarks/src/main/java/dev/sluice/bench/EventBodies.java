package dev.sluice.bench;

import java.nio.charset.StandardCharsets;

/** JS-SDK-like event bodies (about 600 bytes each) for the Events API. */
final class EventBodies {

    private EventBodies() {
    }

    /** An identify event for {@code email}. */
    static String identify(String id, String email) {
        return "{\"event_id\":\"" + id + "\",\"event_type\":\"user_identify\",\"user\":{\"anonymous_id\":"
                + "\"7f3c2a9e-" + id + "\",\"email\":\"" + email + "\",\"firstname\":\"Ada\",\"lastname\":\"Lovelace\","
                + "\"company\":\"Analytical Engines Ltd\"},\"ids\":{\"ga\":\"GA1.2.19" + id.hashCode() + "\"},"
                + "\"utc_time\":\"2026-03-04T05:06:07.089000Z\",\"local_tz_offset\":-60,\"url\":\"https://"
                + "www.example.com/pricing?utm_source=newsletter&utm_medium=email\",\"page_title\":\"Pricing - "
                + "Example\",\"doc_path\":\"/pricing\",\"doc_host\":\"www.example.com\",\"referer\":\"https://mail."
                + "example.net/\",\"screen_resolution\":\"1920x1080\",\"vp_size\":\"1440x900\",\"user_language\":"
                + "\"en-GB\",\"utm\":{\"source\":\"newsletter\",\"medium\":\"email\",\"campaign\":\"spring_sale\"},"
                + "\"click_id\":{},\"src\":\"jitsu\"}";
    }

    /** A custom {@code signed_up} event (defined in the emulator by default) for {@code email}. */
    static String signedUp(String id, String email) {
        return "{\"event_id\":\"" + id + "\",\"event_type\":\"signed_up\",\"user\":{\"anonymous_id\":"
                + "\"7f3c2a9e-" + id + "\",\"email\":\"" + email + "\"},\"plan\":\"pro\",\"source\":\"newsletter\","
                + "\"utc_time\":\"2026-03-04T05:06:07.089000Z\",\"local_tz_offset\":-60,\"url\":\"https://"
                + "www.example.com/signup?utm_source=newsletter&utm_medium=email\",\"page_title\":\"Sign up - "
                + "Example\",\"doc_path\":\"/signup\",\"doc_host\":\"www.example.com\",\"referer\":\"https://mail."
                + "example.net/\",\"screen_resolution\":\"1920x1080\",\"vp_size\":\"1440x900\",\"user_language\":"
                + "\"en-GB\",\"utm\":{\"source\":\"newsletter\",\"medium\":\"email\",\"campaign\":\"spring_sale\"},"
                + "\"click_id\":{},\"src\":\"jitsu\"}";
    }

    /** Events {@code [from, from + count)} of a stream of distinct emails, as one JSON array body. */
    static byte[] array(String prefix, boolean custom, int from, int count) {
        StringBuilder body = new StringBuilder(count * 700).append('[');
        for (int i = from; i < from + count; i++) {
            if (i > from) {
                body.append(',');
            }
            String id = prefix + "-" + i;
            String email = prefix + "." + i + "@example.com";
            body.append(custom ? signedUp(id, email) : identify(id, email));
        }
        return body.append(']').toString().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] one(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
