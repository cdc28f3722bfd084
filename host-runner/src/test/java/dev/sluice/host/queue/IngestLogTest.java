package dev.sluice.host.queue;

import dev.sluice.host.pipeline.RoutedEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The queue log's record format read back: whole records, a torn end, a damaged record. */
class IngestLogTest {

    @TempDir
    Path dir;

    static RoutedEvent event(String destination, String id, String json) {
        return new RoutedEvent(destination, id, json.getBytes(StandardCharsets.UTF_8));
    }

    private Path write(List<RoutedEvent> events, long enqueuedAt) throws Exception {
        int size = events.stream().mapToInt(IngestLog::recordSize).sum();
        ByteBuffer out = ByteBuffer.allocate(size);
        for (RoutedEvent e : events) {
            IngestLog.encode(out, e, enqueuedAt);
        }
        assertThat(out.position()).as("recordSize is the encoded size").isEqualTo(size);
        Path file = IngestLog.segmentFile(dir, 1);
        Files.write(file, out.array());
        return file;
    }

    @Test
    void recordsAreReadBackAsWritten() throws Exception {
        List<RoutedEvent> events = List.of(event("hubspot", "e-1", "{\"a\":1}"),
                event("crm-ü", "ид-2", "{\"name\":\"Zoë\"}"), event("hubspot", "e-3", "{}"));
        Path file = write(events, 1234L);

        IngestLog.Read read = IngestLog.read(file, 0);

        assertThat(read.complete()).isTrue();
        assertThat(read.end()).isEqualTo(Files.size(file));
        assertThat(read.entries()).hasSize(3);
        for (int i = 0; i < 3; i++) {
            RoutedEvent got = read.entries().get(i).event();
            assertThat(got.destinationId()).isEqualTo(events.get(i).destinationId());
            assertThat(got.eventId()).isEqualTo(events.get(i).eventId());
            assertThat(got.json()).isEqualTo(events.get(i).json());
            assertThat(read.entries().get(i).enqueuedAt()).isEqualTo(1234L);
        }
        // From the end of the first record: the other two.
        long second = IngestLog.recordSize(events.get(0));
        assertThat(IngestLog.read(file, second).entries()).extracting(e -> e.event().eventId())
                .containsExactly("ид-2", "e-3");
    }

    @Test
    void aTornLastRecordIsLeftOutAndTheOthersKept() throws Exception {
        List<RoutedEvent> events = List.of(event("d", "1", "{\"x\":1}"), event("d", "2", "{\"x\":2}"));
        Path file = write(events, 1L);
        long whole = Files.size(file);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, (int) whole - 3));

        IngestLog.Read read = IngestLog.read(file, 0);

        assertThat(read.complete()).isFalse();
        assertThat(read.entries()).extracting(e -> e.event().eventId()).containsExactly("1");
        assertThat(read.end()).isEqualTo(IngestLog.recordSize(events.get(0)));
    }

    @Test
    void aDamagedRecordEndsTheFile() throws Exception {
        List<RoutedEvent> events = List.of(event("d", "1", "{\"x\":1}"), event("d", "2", "{\"x\":2}"),
                event("d", "3", "{\"x\":3}"));
        Path file = write(events, 1L);
        byte[] bytes = Files.readAllBytes(file);
        int inSecond = IngestLog.recordSize(events.get(0)) + 30;
        bytes[inSecond] ^= 0x40;
        Files.write(file, bytes);

        IngestLog.Read read = IngestLog.read(file, 0);

        assertThat(read.complete()).isFalse();
        assertThat(read.entries()).extracting(e -> e.event().eventId()).containsExactly("1");
    }

    @Test
    void filesAreListedOldestFirstAndDeletedBelowANumber() throws Exception {
        for (long s : new long[] {12, 3, 7}) {
            Files.write(IngestLog.segmentFile(dir, s), new byte[0], StandardOpenOption.CREATE);
        }
        Files.writeString(dir.resolve("notes.txt"), "not ours");

        assertThat(IngestLog.segments(dir)).containsExactly(3L, 7L, 12L);
        IngestLog.deleteBefore(dir, 12);
        assertThat(IngestLog.segments(dir)).containsExactly(12L);
        assertThat(dir.resolve("notes.txt")).exists();
        assertThat(IngestLog.segments(dir.resolve("missing"))).isEmpty();
    }
}
