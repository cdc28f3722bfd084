package dev.sluice.bench;

import dev.sluice.emulator.HubSpotEmulator;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issue 6 item 4: the host as its own process, started from the distribution
 * ({@code distribution/target/sluice/bin/sluice run}, HubSpot plugin from its {@code plugins/}),
 * default JVM options: time from process start to the "Sluice ready" log line, resident set
 * size ({@code /proc/PID/status} VmRSS) and heap used ({@code jcmd PID GC.heap_info}) after start
 * and, sampled every half second, under sustained s2s load while it delivers to the emulator.
 */
final class Footprint {

    static final String SECTION = "4 footprint";
    private static final Pattern READY = Pattern.compile("Sluice ready: Events API on port (\\d+)");
    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");
    private static final Pattern HEAP_TOTAL = Pattern.compile("total (\\d+)K");

    private Footprint() {
    }

    static void run(Sizes sizes, Path work, Report report) throws Exception {
        try (HubSpotEmulator hubspot = HubSpotEmulator.builder().port(0).rateLimit(DeliveryThroughput.RATE_LIMIT)
                .dailyLimit(1_000_000_000L).build().start()) {
            Path dir = work.resolve("footprint");
            Launch launch = launch();
            Path config = HostConfigFile.write(dir, hubspot.baseUrl(), dir.resolve("data"), launch.plugins(),
                    List.of(new HostConfigFile.HubSpotDestination("hubspot1", "pat-bench-footprint", "2026-03",
                            DeliveryThroughput.RATE_LIMIT)));
            List<String> command = new ArrayList<>(launch.command());
            command.addAll(List.of("run", "--config", config.toString()));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().remove("JAVA_OPTS");
            long t0 = System.nanoTime();
            Process process = builder.start();
            try {
                CompletableFuture<Integer> ready = new CompletableFuture<>();
                Thread reader = new Thread(() -> readLog(process, ready), "bench-host-log");
                reader.setDaemon(true);
                reader.start();
                int port = ready.get(90, TimeUnit.SECONDS);
                double startSeconds = (System.nanoTime() - t0) / 1e9;
                report.add(Figure.of("footprint.start", SECTION, "start-up to ready (process start to \"Sluice ready\", "
                        + "plugin loaded, catalog read)", startSeconds * 1000, "ms"));
                DeliveryThroughput.sleep(1);
                long pid = process.pid();
                report.add(Figure.of("footprint.rss.idle", SECTION, "host RSS after start (idle)", rssKb(pid) / 1024.0, "MiB"));
                report.add(Figure.of("footprint.heap.idle", SECTION, "heap used after start", heapUsedKb(pid) / 1024.0, "MiB"));

                AtomicLong maxRss = new AtomicLong();
                AtomicLong maxHeap = new AtomicLong();
                AtomicBoolean sampling = new AtomicBoolean(true);
                Thread sampler = new Thread(() -> {
                    while (sampling.get()) {
                        try {
                            maxRss.accumulateAndGet(rssKb(pid), Math::max);
                            maxHeap.accumulateAndGet(heapUsedKb(pid), Math::max);
                            Thread.sleep(500);
                        } catch (InterruptedException e) {
                            return;
                        } catch (IOException e) {
                            System.err.println("[bench] footprint sample failed: " + e);
                        }
                    }
                }, "bench-footprint-sampler");
                sampler.start();
                long loadStart = System.nanoTime();
                long sent = 0;
                int chunk = sizes.tiny() ? 300 : 2_000;
                while ((System.nanoTime() - loadStart) / 1e9 < sizes.footprintLoadSeconds()) {
                    long from = sent;
                    ClosedLoopLoad.run(port, 8, chunk, i -> LoopbackConnection.post(HostConfigFile.S2S_PATH,
                            EventBodies.one(EventBodies.identify("fp-" + (from + i), "fp" + (from + i) + "@example.com"))));
                    sent += chunk;
                }
                double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
                sampling.set(false);
                sampler.interrupt();
                sampler.join(10_000);
                String heapInfo = jcmd(pid);
                Matcher total = HEAP_TOTAL.matcher(heapInfo);
                report.add(Figure.of("footprint.rss.load", SECTION, String.format("host RSS under load, max "
                        + "(%,.0f events/s over %.0f s, concurrency 8, delivering to the emulator)", sent / loadSeconds,
                        loadSeconds), maxRss.get() / 1024.0, "MiB"));
                report.add(Figure.of("footprint.heap.load", SECTION, "heap used under load, max", maxHeap.get() / 1024.0,
                        "MiB"));
                report.note(SECTION, String.format("launched with %s; default JVM options (no -Xmx: the JVM sizes the "
                                + "heap from the machine's memory; committed heap at the end %s MiB); heap used from jcmd "
                                + "GC.heap_info, includes garbage not yet collected", launch.description(),
                        total.find() ? String.valueOf(Long.parseLong(total.group(1)) / 1024) : "?"));
            } finally {
                process.destroy();
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        }
    }

    /** How to start the host: the built distribution when present, else the same classes from this class path. */
    record Launch(List<String> command, Path plugins, String description) {
    }

    static Launch launch() {
        Path distribution = Paths.get(System.getProperty("sluice.distribution", "distribution/target/sluice"));
        Path script = distribution.resolve("bin/sluice");
        if (Files.isExecutable(script) && Files.isDirectory(distribution.resolve("plugins"))) {
            return new Launch(List.of(script.toAbsolutePath().toString()), distribution.resolve("plugins").toAbsolutePath(),
                    "the distribution's bin/sluice (" + distribution.normalize() + ")");
        }
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        return new Launch(List.of(java, "-cp", System.getProperty("java.class.path"), "dev.sluice.host.cli.SluiceMain"),
                InProcessHost.pluginsDir().toAbsolutePath(),
                "java -cp <benchmark class path> SluiceMain (no distribution at " + distribution + ")");
    }

    private static void readLog(Process process, CompletableFuture<Integer> ready) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                Matcher m = READY.matcher(line);
                if (!ready.isDone() && m.find()) {
                    ready.complete(Integer.parseInt(m.group(1)));
                }
                if (line.contains(" ERROR ")) {
                    System.err.println("[bench] host: " + line);
                }
            }
            ready.completeExceptionally(new IllegalStateException("the host exited before it was ready (exit "
                    + process.waitFor() + ")"));
        } catch (IOException | InterruptedException e) {
            ready.completeExceptionally(e);
        }
    }

    static long rssKb(long pid) throws IOException {
        for (String line : Files.readAllLines(Paths.get("/proc", String.valueOf(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no VmRSS for process " + pid);
    }

    static long heapUsedKb(long pid) throws IOException, InterruptedException {
        Matcher m = HEAP_USED.matcher(jcmd(pid));
        if (!m.find()) {
            throw new IOException("jcmd GC.heap_info gave no 'used' figure for process " + pid);
        }
        return Long.parseLong(m.group(1));
    }

    private static String jcmd(long pid) throws IOException, InterruptedException {
        Path jcmd = Paths.get(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(Files.isExecutable(jcmd) ? jcmd.toString() : "jcmd", String.valueOf(pid),
                "GC.heap_info").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return out;
    }
}
