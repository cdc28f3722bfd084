package dev.sluice.host.cli;

import dev.sluice.host.plugins.PluginJarBuilder;

import java.nio.file.Path;

/**
 * A HubSpot-like plugin built at test time: type {@code testdest}, stream only, a required
 * {@code endpoint}, a required secret {@code token}, and {@code marker_file}, a file it appends
 * "created ID" and "closed ID" to, so tests see the host create and close it.
 */
final class TestDestPlugin {

    static final String SOURCE = """
            package com.example.testdest;

            import dev.sluice.api.*;
            import dev.sluice.api.config.*;
            import java.io.IOException;
            import java.io.UncheckedIOException;
            import java.nio.file.*;
            import java.util.*;

            public class TestDestFactory implements DestinationFactory {
                public String type() { return "testdest"; }
                public String displayName() { return "TestDest"; }
                public Set<String> supportedModes() { return Set.of("stream"); }
                public List<ConfigField> configFields() {
                    return List.of(
                        ConfigField.of("endpoint", FieldType.STRING).asRequired().description("where events go"),
                        ConfigField.of("token", FieldType.STRING).asRequired().asSecret().description("the API token"),
                        ConfigField.of("marker_file", FieldType.STRING));
                }
                public Optional<String> defaultTableNameTemplate() { return Optional.of("$.user?.email"); }
                public Destination create(DestinationContext context) {
                    Optional<String> marker = context.config().getString("marker_file");
                    marker.ifPresent(m -> append(m, "created " + context.destinationId() + " " + context.mode()));
                    return new Destination() {
                        public List<Outcome> deliver(List<Event> events) {
                            return events.stream().map(e -> Outcome.delivered()).toList();
                        }
                        public void close() {
                            marker.ifPresent(m -> append(m, "closed " + context.destinationId()));
                        }
                    };
                }
                static void append(String file, String line) {
                    try {
                        Files.writeString(Path.of(file), line + "\\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
            """;

    private TestDestPlugin() {
    }

    static Path build(Path pluginsDir) {
        return PluginJarBuilder.jar(pluginsDir, "testdest-plugin-1.2.0.jar").pluginId("testdest").pluginVersion("1.2.0")
                .source("com.example.testdest.TestDestFactory", SOURCE)
                .build();
    }
}
