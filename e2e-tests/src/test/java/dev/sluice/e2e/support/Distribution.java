package dev.sluice.e2e.support;

import java.nio.file.Files;
import java.nio.file.Path;

/** The built distribution ({@code distribution/target/sluice}) the tests run as a separate process. */
public final class Distribution {

    public static final String PROPERTY = "sluice.distribution";

    private Distribution() {
    }

    /** The distribution folder, checked to hold an executable {@code bin/sluice} and {@code plugins/}. */
    public static Path home() {
        String configured = System.getProperty(PROPERTY);
        Path home = configured != null && !configured.isBlank() ? Path.of(configured)
                : Path.of("..", "host-runner", "target", "sluice");
        home = home.toAbsolutePath().normalize();
        if (!Files.isExecutable(home.resolve("bin/sluice"))) {
            throw new IllegalStateException("no executable bin/sluice in " + home
                    + ": build the distribution first (mvn -B -ntp package -pl host-runner -am)");
        }
        return home;
    }

    public static Path launcher() {
        return home().resolve("bin/sluice");
    }

    /** The distribution's plugins folder (the HubSpot plugin JAR). */
    public static Path plugins() {
        return home().resolve("plugins");
    }
}
