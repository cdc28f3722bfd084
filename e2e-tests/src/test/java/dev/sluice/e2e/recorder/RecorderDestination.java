package dev.sluice.e2e.recorder;

import dev.sluice.api.Destination;
import dev.sluice.api.Event;
import dev.sluice.api.Outcome;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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
 * never a missing one. Failing batches are noted in {@code <file>.failures}, one line each.
 */
final class RecorderDestination implements Destination {

    static final String THROW = "exception";

    private final Path file;
    private final Path failures;
    private final Optional<Path> failFlag;
    private final Optional<Pattern> rejectPattern;
    private final Optional<Path> rejectFlag;

    RecorderDestination(Path file, Optional<Path> failFlag, Optional<Pattern> rejectPattern, Optional<Path> rejectFlag) {
        this.file = Objects.requireNonNull(file, "file");
        this.failures = file.resolveSibling(file.getFileName() + ".failures");
        this.failFlag = Objects.requireNonNull(failFlag, "failFlag");
        this.rejectPattern = Objects.requireNonNull(rejectPattern, "rejectPattern");
        this.rejectFlag = Objects.requireNonNull(rejectFlag, "rejectFlag");
    }

    @Override
    public List<Outcome> deliver(List<Event> events) throws IOException {
        Optional<String> failing = failFlag.flatMap(RecorderDestination::contentIfExists);
        if (failing.isPresent()) {
            boolean raise = failing.get().trim().equals(THROW);
            append(failures, (raise ? "exception " : "retry ") + events.size() + "\n");
            if (raise) {
                throw new IOException("recorder is failing on purpose (flag file says exception)");
            }
            return events.stream().map(e -> Outcome.retry("recorder is failing on purpose (flag file present)")).toList();
        }
        boolean rejecting = rejectPattern.isPresent() && rejectFlag.map(Files::exists).orElse(true);
        List<Outcome> outcomes = new ArrayList<>(events.size());
        StringBuilder lines = new StringBuilder();
        for (Event event : events) {
            if (rejecting && rejectPattern.get().matcher(event.id()).matches()) {
                outcomes.add(Outcome.rejected("recorder rejects ids matching " + rejectPattern.get().pattern()));
            } else {
                lines.append(event.id()).append('\n');
                outcomes.add(Outcome.delivered());
            }
        }
        append(file, lines.toString());
        return outcomes;
    }

    private static Optional<String> contentIfExists(Path flag) {
        try {
            return Optional.of(Files.readString(flag));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("");
        }
    }

    private static void append(Path target, String text) throws IOException {
        try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Override
    public int maxBatchSize() {
        return 500;
    }
}
