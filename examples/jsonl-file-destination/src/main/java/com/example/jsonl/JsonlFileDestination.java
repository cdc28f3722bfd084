package com.example.jsonl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.api.Destination;
import dev.sluice.api.DestinationContext;
import dev.sluice.api.DestinationException;
import dev.sluice.api.Event;
import dev.sluice.api.Outcome;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Appends each batch to the file, one JSON object a line, in one write. */
final class JsonlFileDestination implements Destination {

    private final ObjectMapper json = new ObjectMapper();
    private final Path file;
    private final boolean fsync;
    private final System.Logger log;
    private FileChannel channel;

    JsonlFileDestination(DestinationContext context) {
        // No I/O here: create() only reads the config. Relative paths mean "next to the config file".
        this.file = context.baseDirectory().resolve(context.config().getString("path").orElseThrow()).normalize();
        this.fsync = context.config().getBoolean("fsync").orElse(false);
        this.log = context.logger();
    }

    @Override
    public void start() throws DestinationException {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
            log.log(System.Logger.Level.INFO, "Appending events to " + file);
        } catch (IOException e) {
            // A folder we may not write to will not fix itself, but a full disk may: retry later.
            throw new DestinationException("cannot open " + file + " for appending: " + e.getMessage(), true, e);
        }
    }

    @Override
    public List<Outcome> deliver(List<Event> events) {
        Outcome[] outcomes = new Outcome[events.size()];
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        for (int i = 0; i < events.size(); i++) {
            try {
                lines.write(json.writeValueAsBytes(events.get(i).fields()));
                lines.write('\n');
                outcomes[i] = Outcome.delivered();
            } catch (JsonProcessingException e) {
                outcomes[i] = Outcome.rejected("not serialisable as JSON: " + e.getOriginalMessage());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e); // a ByteArrayOutputStream never fails
            }
        }
        try {
            ByteBuffer buffer = ByteBuffer.wrap(lines.toByteArray());
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            if (fsync) {
                channel.force(false);
            }
        } catch (IOException e) {
            // Nothing of this batch counts as written: every event is retried (duplicates are possible).
            List<Outcome> retry = new ArrayList<>();
            events.forEach(ev -> retry.add(Outcome.retry("cannot write " + file + ": " + e.getMessage())));
            return retry;
        }
        return Arrays.asList(outcomes);
    }

    @Override
    public int maxBatchSize() {
        return 500;
    }

    @Override
    public void close() {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            log.log(System.Logger.Level.WARNING, "closing " + file + " failed: " + e.getMessage());
        }
        channel = null;
    }

    @Override
    public String toString() {
        return "JsonlFileDestination{" + file + "}";
    }
}
