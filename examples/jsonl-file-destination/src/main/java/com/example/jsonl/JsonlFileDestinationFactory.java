package com.example.jsonl;

import com.google.auto.service.AutoService;
import dev.sluice.api.Destination;
import dev.sluice.api.DestinationContext;
import dev.sluice.api.DestinationFactory;
import dev.sluice.api.config.ConfigField;
import dev.sluice.api.config.FieldType;

import java.util.List;
import java.util.Set;

/** The {@code jsonl_file} destination type: every event appended to a JSON Lines file. */
@AutoService(DestinationFactory.class)
public final class JsonlFileDestinationFactory implements DestinationFactory {

    @Override
    public String type() {
        return "jsonl_file";
    }

    @Override
    public String displayName() {
        return "JSON Lines file";
    }

    @Override
    public Set<String> supportedModes() {
        return Set.of(MODE_STREAM, MODE_BATCH);
    }

    @Override
    public List<ConfigField> configFields() {
        return List.of(
                ConfigField.of("path", FieldType.STRING).asRequired()
                        .description("the file to append to; relative to the config file's folder"),
                ConfigField.of("fsync", FieldType.BOOLEAN).defaultValue(false)
                        .description("force every batch to disk before it counts as delivered"));
    }

    @Override
    public Destination create(DestinationContext context) {
        return new JsonlFileDestination(context);
    }
}
