package dev.sluice.e2e.recorder;

import dev.sluice.api.Destination;
import dev.sluice.api.DestinationContext;
import dev.sluice.api.DestinationFactory;
import dev.sluice.api.config.ConfigField;
import dev.sluice.api.config.DestinationConfig;
import dev.sluice.api.config.FieldType;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code recorder} test destination: appends the id of every event it delivers to a file, one
 * per line, so an end-to-end test can check which accepted events arrived and how often. JDK and
 * SPI only, so that {@link RecorderPluginJar} can pack it as a plugin JAR for a host process.
 *
 * <p>Config: {@code file} (required) the file to append to; {@code fail_while_exists} a flag file:
 * while it exists, every batch fails, with retry outcomes, or by throwing when the file's text is
 * {@code exception}; {@code reject_pattern} ids matching this regex are rejected, while
 * {@code reject_while_exists} exists when that is set.
 */
public final class RecorderDestinationFactory implements DestinationFactory {

    public static final String TYPE = "recorder";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String displayName() {
        return "Recorder (test)";
    }

    @Override
    public Set<String> supportedModes() {
        return Set.of(MODE_STREAM);
    }

    @Override
    public List<ConfigField> configFields() {
        return List.of(
                ConfigField.of("file", FieldType.STRING).asRequired()
                        .description("File the delivered event ids are appended to, one per line"),
                ConfigField.of("fail_while_exists", FieldType.STRING)
                        .description("While this file exists, every batch fails"),
                ConfigField.of("reject_pattern", FieldType.STRING)
                        .description("Event ids matching this regular expression are rejected"),
                ConfigField.of("reject_while_exists", FieldType.STRING)
                        .description("Reject only while this file exists"));
    }

    @Override
    public Destination create(DestinationContext context) {
        DestinationConfig config = context.config();
        return new RecorderDestination(
                Path.of(config.getString("file").orElseThrow()),
                config.getString("fail_while_exists").map(Path::of),
                config.getString("reject_pattern").map(Pattern::compile),
                config.getString("reject_while_exists").map(Path::of));
    }
}
