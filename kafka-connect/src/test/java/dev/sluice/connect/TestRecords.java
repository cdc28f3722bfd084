package dev.sluice.connect;

import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.sink.SinkRecord;

/** Sluice event JSON as the host produces it, as records a task receives. */
final class TestRecords {

    private TestRecords() {
    }

    static String identify(String id, String email) {
        return "{\"event_type\":\"user_identify\",\"eventn_ctx_event_id\":\"" + id + "\",\"_timestamp\":"
                + "\"2026-12-06T10:00:00.000Z\",\"src\":\"api\",\"user\":{\"email\":\"" + email + "\",\"firstname\":\"Ada\"}}";
    }

    /** A custom event without an email: HubSpot cannot take it, the plugin rejects it. */
    static String trackWithoutEmail(String id) {
        return "{\"event_type\":\"purchase\",\"eventn_ctx_event_id\":\"" + id + "\",\"_timestamp\":"
                + "\"2026-12-06T10:00:00.000Z\",\"src\":\"api\",\"user\":{\"anonymous_id\":\"anon-1\"}}";
    }

    static SinkRecord record(String topic, int partition, long offset, String value) {
        return new SinkRecord(topic, partition, null, "key-" + offset, null, value, offset, 1_700_000_000_000L,
                TimestampType.CREATE_TIME);
    }
}
