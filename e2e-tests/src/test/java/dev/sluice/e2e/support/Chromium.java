package dev.sluice.e2e.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A headless Chromium (Debian's {@code chromium} package) driven over its DevTools protocol: no
 * driver library and nothing downloaded. Started with {@code --remote-debugging-port=0}; the port
 * it picked is read from {@code DevToolsActivePort} in its own temporary profile. Every wait is
 * bounded.
 */
public final class Chromium implements AutoCloseable {

    /** A Chromium binary to use instead of looking on the PATH. */
    public static final String BINARY_PROPERTY = "sluice.e2e.chromium";
    private static final List<String> NAMES = List.of("chromium", "chromium-browser", "google-chrome", "chrome");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final int port;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<CdpPage> pages = new ArrayList<>();

    private Chromium(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** The binary: {@value #BINARY_PROPERTY}, else the first of chromium, chromium-browser, google-chrome on the PATH. */
    public static Optional<Path> find() {
        String configured = System.getProperty(BINARY_PROPERTY, "");
        if (!configured.isBlank()) {
            return Optional.of(Path.of(configured)).filter(Files::isExecutable);
        }
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            for (String name : NAMES) {
                Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Starts a headless Chromium with a fresh profile in {@code profile} and waits (bounded) until its
     * DevTools endpoint answers.
     *
     * @param log Chromium's stdout and stderr
     * @throws IllegalStateException when it does not start within 30 s (the message says why)
     */
    public static Chromium launch(Path binary, Path profile, Path log) {
        List<String> command = List.of(binary.toString(),
                "--headless=new",
                "--no-sandbox", // needed as root (CI containers); the pages are the test's own
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-extensions",
                "--disable-sync",
                "--metrics-recording-only",
                "--disable-breakpad",
                "--disable-crash-reporter",
                "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0",
                "--remote-allow-origins=*",
                "--user-data-dir=" + profile,
                "about:blank");
        Process process;
        try {
            Files.createDirectories(profile);
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + binary + ": " + e.getMessage(), e);
        }
        Path activePort = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        try {
            while (true) {
                if (Files.exists(activePort)) {
                    List<String> lines = Files.readAllLines(activePort);
                    if (!lines.isEmpty() && lines.get(0).matches("\\d+")) {
                        Chromium chromium = new Chromium(process, Integer.parseInt(lines.get(0)), log);
                        chromium.version(); // answers: the endpoint is up
                        return chromium;
                    }
                }
                if (!process.isAlive()) {
                    throw new IllegalStateException(binary + " exited with " + process.exitValue() + " before its"
                            + " DevTools endpoint was up; its output: " + tail(log));
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException(binary + " did not open its DevTools endpoint within "
                            + START_TIMEOUT.toSeconds() + " s; its output: " + tail(log));
                }
                Poll.pause(Duration.ofMillis(100));
            }
        } catch (IOException | RuntimeException e) {
            stop(process);
            throw e instanceof IllegalStateException ise ? ise
                    : new IllegalStateException("cannot start " + binary + ": " + e.getMessage(), e);
        }
    }

    /** {@code Browser} of {@code /json/version}, e.g. {@code HeadlessChrome/120.0...}. */
    public String version() {
        return get("/json/version").path("Browser").asText();
    }

    /** A new tab, connected. */
    public CdpPage newPage() {
        JsonNode target;
        try {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(base() + "/json/new?about:blank"))
                    .timeout(Duration.ofSeconds(10)).PUT(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            target = JSON.readTree(answer.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        CdpPage page = CdpPage.connect(URI.create(target.path("webSocketDebuggerUrl").asText()));
        pages.add(page);
        return page;
    }

    private JsonNode get(String path) {
        try {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(base() + path))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(answer.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private String base() {
        return "http://127.0.0.1:" + port;
    }

    /** The end of Chromium's output, for failure messages. */
    public String output() {
        return tail(log);
    }

    private static String tail(Path log) {
        try {
            String text = Files.exists(log) ? Files.readString(log) : "";
            return text.length() > 3000 ? "..." + text.substring(text.length() - 3000) : text;
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        pages.forEach(CdpPage::close);
        stop(process);
    }

    private static void stop(Process process) {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
