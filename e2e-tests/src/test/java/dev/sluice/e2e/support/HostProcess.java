package dev.sluice.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A Sluice host run from the distribution as a separate process ({@code bin/sluice run}). The
 * launcher {@code exec}s java, so the process started here is the JVM itself: {@link #kill()}
 * delivers SIGKILL to the host, not to a shell in front of it.
 */
public final class HostProcess implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final Path log;
    private final int port;

    private HostProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /**
     * Starts {@code bin/sluice run --config config [--plugins pluginsDir]} and waits (bounded) until
     * it logged that it is ready and its port accepts connections.
     *
     * @param log stdout and stderr are appended here (a restart appends to the same file)
     */
    public static HostProcess start(Path config, Optional<Path> pluginsDir, int port, Path log) {
        List<String> command = new ArrayList<>(List.of(Distribution.launcher().toString(), "run", "--config",
                config.toString()));
        pluginsDir.ifPresent(dir -> command.addAll(List.of("--plugins", dir.toString())));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("JAVA_OPTS", "-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1");
        try {
            long logStart = Files.exists(log) ? Files.size(log) : 0;
            HostProcess host = new HostProcess(builder.start(), log, port);
            host.awaitReady(logStart);
            return host;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitReady(long logStart) {
        Poll.until(READY_TIMEOUT, "the host on port " + port + " to be ready",
                () -> {
                    if (!process.isAlive()) {
                        throw new AssertionError("the host exited with " + process.exitValue() + " before it was ready;"
                                + " log:\n" + logSince(logStart));
                    }
                    return logSince(logStart).contains("Sluice ready") && accepts(port);
                },
                () -> logSince(logStart));
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: the JVM dies at once, no shutdown hook runs. Waits (bounded) until it is gone. */
    public void kill() {
        process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                throw new AssertionError("the host did not die within 20 s of SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /**
     * SIGTERM, then waits for the exit.
     *
     * @return the exit code, or empty when the host did not exit within {@code timeout} (it is then killed)
     */
    public Optional<Integer> terminate(Duration timeout) {
        process.destroy();
        try {
            if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return Optional.of(process.exitValue());
            }
            kill();
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** The whole log file (all runs that appended to it). */
    public String log() {
        return logSince(0);
    }

    private String logSince(long offset) {
        try {
            byte[] bytes = Files.readAllBytes(log);
            int from = (int) Math.min(offset, bytes.length);
            return new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /** Kills the host if a test left it running. */
    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }

    /**
     * Runs a one-shot {@code bin/sluice} command (e.g. {@code dead-letters list}) and returns its
     * exit code and output; bounded to 60 s.
     */
    public static CommandResult command(String... args) {
        List<String> command = new ArrayList<>();
        command.add(Distribution.launcher().toString());
        command.addAll(List.of(args));
        try {
            Path out = Files.createTempFile("sluice-cmd", ".out");
            Path err = Files.createTempFile("sluice-cmd", ".err");
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().put("JAVA_OPTS", "-Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1");
            Process process = builder.start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("'" + String.join(" ", command) + "' did not finish within 60 s");
            }
            CommandResult result = new CommandResult(process.exitValue(), Files.readString(out), Files.readString(err));
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** What a one-shot command printed. */
    public record CommandResult(int exitCode, String stdout, String stderr) {
        public CommandResult {
            Objects.requireNonNull(stdout, "stdout");
            Objects.requireNonNull(stderr, "stderr");
        }
    }
}
