package dev.sluice.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code run-local.sh} refuses to start when one of its fixed ports is already taken, at once
 * (before any build) and naming the port, instead of printing "running" and stopping with the
 * cause in a log file.
 */
class RunLocalScriptTest {

    private static final Path SCRIPT = Path.of("..", "run-local.sh").toAbsolutePath().normalize();

    @TempDir
    Path work;

    /** Holds the port on loopback, or null when something else holds it already (the script must refuse either way). */
    private static ServerSocket hold(int port) {
        try {
            return new ServerSocket(port, 1, InetAddress.getLoopbackAddress());
        } catch (IOException alreadyTaken) {
            return null;
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {8001, 8090})
    void aTakenPortStopsTheScriptAtOnceNamingThePort(int port) throws Exception {
        try (ServerSocket held = hold(port)) {
            Path out = work.resolve("out.txt");
            ProcessBuilder builder = new ProcessBuilder("bash", SCRIPT.toString())
                    .redirectErrorStream(true).redirectOutput(out.toFile());
            Process process = builder.start();
            boolean finished = process.waitFor(30, TimeUnit.SECONDS);
            if (!finished) {
                // e.g. it started building or serving: stop it and everything it started
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
            String output = Files.readString(out, StandardCharsets.UTF_8);
            assertThat(finished).as("run-local.sh should stop at once; it printed:%n%s", output).isTrue();
            assertThat(process.exitValue()).as(output).isNotZero();
            assertThat(output).contains("Port " + port + " ", "already in use")
                    .doesNotContain("Building Sluice", "Sluice is running");
            if (held != null && isOnPath("ss")) {
                // ss -p names the process holding it: this JVM
                assertThat(output).contains("pid=" + ProcessHandle.current().pid());
            }
        }
    }

    private static boolean isOnPath(String command) throws Exception {
        Process which = new ProcessBuilder("bash", "-c", "command -v " + command).start();
        return which.waitFor(10, TimeUnit.SECONDS) && which.exitValue() == 0;
    }
}
