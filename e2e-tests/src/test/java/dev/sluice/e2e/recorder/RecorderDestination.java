package dev.sluice.e2e.recorder;

import dev.sluice.api.Destination;
import dev.sluice.api.Event;
import dev.sluice.api.Outcome;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Appends delivered ids to a file before reporting them delivered, as a real destination
 * acknowledges before the host commits the outcome: a crash in between gives a duplicate line,
 * never a missing one.
 */
final class RecorderDestination implements Destination {

    private final Path file;
    private final Optional<Path> failFlag;
    private final boolean throwWhileFailing;
    private final Optional<Pattern> rejectPattern;

    RecorderDestination(Path file, Optional<Path> failFlag, boolean throwWhileFailing, Optional<Pattern> rejectPattern) {
        this.file = Objects.requireNonNull(file, "file");
        this.failFlag = Objects.requireNonNull(failFlag, "failFlag");
        this.throwWhileFailing = throwWhileFailing;
        this.rejectPattern = Objects.requireNonNull(rejectPattern, "rejectPattern");
    }

    @Override
    public List<Outcome> deliver(List<Event> events) throws IOException {
        if (failFlag.isPresent() && Files.exists(failFlag.get())) {
            if (throwWhileFailing) {
                throw new IOException("recorder is failing on purpose (flag file present)");
            }
            return events.stream().map(e -> Outcome.retry("recorder is failing on purpose (flag file present)")).toList();
        }
        List<Outcome> outcomes = new ArrayList<>(events.size());
        StringBuilder lines = new StringBuilder();
        for (Event event : events) {
            if (rejectPattern.isPresent() && rejectPattern.get().matcher(event.id()).matches()) {
                outcomes.add(Outcome.rejected("recorder rejects ids matching " + rejectPattern.get().pattern()));
            } else {
                lines.append(event.id()).append('\n');
                outcomes.add(Outcome.delivered());
            }
        }
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE)) {
            out.write(lines.toString().getBytes(StandardCharsets.UTF_8));
        }
        return outcomes;
    }

    @Override
    public int maxBatchSize() {
        return 500;
    }
}
