package dev.sluice.connect;

import dev.sluice.api.Event;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecordDecoderTest {

    private final RecordDecoder decoder = new RecordDecoder();

    private static SinkRecord withValue(Object value) {
        return new SinkRecord("events", 3, null, null, null, value, 42, 0L, TimestampType.CREATE_TIME);
    }

    @Test
    void readsTextBytesAndMapsWithTheJitsuEventId() throws Exception {
        Event fromText = decoder.decode(withValue(TestRecords.identify("id-1", "ada@example.com")));
        assertThat(fromText.id()).isEqualTo("id-1");
        assertThat(fromText.getString("/user/email")).contains("ada@example.com");

        Event fromBytes = decoder.decode(withValue("{\"event_type\":\"x\",\"eventn_ctx\":{\"event_id\":\"id-2\"}}"
                .getBytes(StandardCharsets.UTF_8)));
        assertThat(fromBytes.id()).isEqualTo("id-2");

        Event fromMap = decoder.decode(withValue(Map.of("event_type", "x", "n", 1)));
        assertThat(fromMap.id()).as("no id in the event: topic-partition-offset").isEqualTo("events-3-42");
        assertThat(fromMap.fields().get("n")).isEqualTo(1L);
    }

    @Test
    void anEventTheHostDeadLetteredGoesToTheDeadLetterTopicWithItsReason() {
        SinkRecord record = withValue(TestRecords.identify("id-9", "ada@example.com"));
        record.headers().addBytes(RecordDecoder.DEAD_LETTER_HEADER,
                "data_layout.transform failed: Error: bad event (line 2)".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThatThrownBy(() -> decoder.decode(record)).isInstanceOf(RecordDecoder.NotAnEvent.class)
                .hasMessage("data_layout.transform failed: Error: bad event (line 2)");
    }

    @Test
    void whatIsNotAnEventObjectSaysWhyWithoutQuotingIt() {
        assertThatThrownBy(() -> decoder.decode(withValue("{\"secret-ish\": ")))
                .isInstanceOf(RecordDecoder.NotAnEvent.class).hasMessageStartingWith("not a Sluice event: the value is not JSON")
                .hasMessageNotContaining("secret-ish");
        assertThatThrownBy(() -> decoder.decode(withValue("[1,2]"))).hasMessageContaining("JSON array, not an object");
        assertThatThrownBy(() -> decoder.decode(withValue(null))).hasMessageContaining("no value");
        assertThatThrownBy(() -> decoder.decode(withValue(17))).hasMessageContaining("StringConverter");
    }
}
