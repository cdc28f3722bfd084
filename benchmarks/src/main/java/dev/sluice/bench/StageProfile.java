package dev.sluice.bench;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Where the durable s2s route spends its CPU: a JFR recording (execution samples every 2 ms) of a
 * closed-loop run, each sample charged to the stage of the innermost recognised frame of its
 * stack (parsing, enrichment, routing/filter, queue commit, HTTP server, ...). JFR's execution
 * samples cover Java code only; time inside SQLite's C code (including fsync) shows up as native
 * method samples, which are counted apart.
 */
final class StageProfile {

    static final String SECTION = "1 ingest profile";

    /** Stages in the order the table shows them; a frame's class decides its stage. */
    private static final List<String[]> STAGES = List.of(
            new String[] {"queue commit (DurableQueue, group-commit writer, SQLite JDBC)", "dev.sluice.host.queue.", "org.sqlite."},
            new String[] {"routing / filter and transform (table_name_template, JavaScript)", "dev.sluice.host.routing.", "org.graalvm."},
            new String[] {"enrichment (EventEnricher)", "dev.sluice.host.ingest.EventEnricher"},
            new String[] {"parsing (EventsBodyParser, PlainJsonReader, Jackson)", "dev.sluice.host.ingest.EventsBodyParser",
                    "dev.sluice.host.ingest.PlainJsonReader"},
            new String[] {"ingest handler (token, serialize, answer)", "dev.sluice.host.ingest.", "dev.sluice.host.pipeline."},
            new String[] {"HTTP server (Undertow, XNIO, socket I/O)", "io.undertow.", "org.xnio."});
    private static final String CLIENT = "load generator (benchmark senders, same JVM)";
    private static final String OTHER = "other (JDK, JIT-compiled glue)";

    private StageProfile() {
    }

    static void profile(int port, String path, int concurrency, Sizes sizes, Path work, Report report,
                        IntFunction<byte[]> request) throws Exception {
        Path file = work.resolve("ingest-profile.jfr");
        ClosedLoopLoad.Result probe = ClosedLoopLoad.run(port, concurrency, Math.max(concurrency * 20, 500), request);
        int requests = (int) Math.max(concurrency * 10, probe.perSecond() * sizes.profileSeconds());
        try (Recording recording = new Recording()) {
            recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(2)).withStackTrace();
            recording.enable("jdk.NativeMethodSample").withPeriod(Duration.ofMillis(20)).withStackTrace();
            recording.start();
            Map<Long, Long> cpuBefore = threadCpu();
            long wall0 = System.nanoTime();
            ClosedLoopLoad.run(port, concurrency, requests, request);
            long wall = System.nanoTime() - wall0;
            Map<Long, Long> cpuAfter = threadCpu();
            recording.stop();
            reportThreadCpu(cpuBefore, cpuAfter, wall, report);
            recording.dump(file);
        }
        Map<String, Long> byStage = new LinkedHashMap<>();
        STAGES.forEach(s -> byStage.put(s[0], 0L));
        byStage.put(CLIENT, 0L);
        byStage.put(OTHER, 0L);
        long total = 0;
        long nativeSqlite = 0;
        long nativeAll = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
            String type = event.getEventType().getName();
            RecordedStackTrace stack = event.getStackTrace();
            if (type.equals("jdk.NativeMethodSample")) {
                nativeAll++;
                if (stack != null && stack.getFrames().stream().anyMatch(f -> className(f).startsWith("org.sqlite."))) {
                    nativeSqlite++;
                }
                continue;
            }
            if (!type.equals("jdk.ExecutionSample")) {
                continue;
            }
            total++;
            String thread = event.getThread("sampledThread") == null ? ""
                    : String.valueOf(event.getThread("sampledThread").getJavaName());
            byStage.merge(thread.startsWith("bench-") ? CLIENT : stage(stack), 1L, Long::sum);
        }
        if (total == 0) {
            report.add(Figure.of("profile.samples", SECTION, "JFR execution samples", 0, "samples"));
            return;
        }
        report.add(Figure.of("profile.samples", SECTION, "JFR execution samples (Java CPU), concurrency "
                + concurrency + ", " + requests + " requests", total, "samples"));
        int i = 0;
        for (Map.Entry<String, Long> e : byStage.entrySet()) {
            report.add(Figure.of("profile.stage" + (i++), SECTION, e.getKey(), 100.0 * e.getValue() / total,
                    "% of samples"));
        }
        report.add(Figure.of("profile.native.sqlite", SECTION,
                "threads inside SQLite native code (incl. fsync), share of native-method samples",
                nativeAll == 0 ? 0 : 100.0 * nativeSqlite / nativeAll, "% of native samples"));
        report.note(SECTION, "JFR in-process (jdk.ExecutionSample every 2 ms), each sample charged to the innermost "
                + "frame that belongs to a stage; Jackson frames count for the stage that called them. Recording file: "
                + "deleted with the work folder.");
    }

    private static Map<Long, Long> threadCpu() {
        java.lang.management.ThreadMXBean bean = java.lang.management.ManagementFactory.getThreadMXBean();
        Map<Long, Long> cpu = new LinkedHashMap<>();
        for (long id : bean.getAllThreadIds()) {
            long nanos = bean.getThreadCpuTime(id);
            if (nanos >= 0) {
                cpu.put(id, nanos);
            }
        }
        return cpu;
    }

    /**
     * CPU time per thread group during the profiled run (Java and native code alike, so SQLite's C
     * code counts for the queue writer), in cores: 1.0 is one core busy the whole time.
     */
    private static void reportThreadCpu(Map<Long, Long> before, Map<Long, Long> after, long wallNanos, Report report) {
        java.lang.management.ThreadMXBean bean = java.lang.management.ManagementFactory.getThreadMXBean();
        Map<String, Long> byGroup = new java.util.TreeMap<>();
        for (Map.Entry<Long, Long> e : after.entrySet()) {
            java.lang.management.ThreadInfo info = bean.getThreadInfo(e.getKey());
            if (info == null) {
                continue;
            }
            String group = info.getThreadName().replaceAll("[0-9]+", "#");
            byGroup.merge(group, e.getValue() - before.getOrDefault(e.getKey(), 0L), Long::sum);
        }
        byGroup.entrySet().stream()
                .filter(e -> e.getValue() > wallNanos / 100)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(6)
                .forEach(e -> report.add(Figure.of("profile.cpu." + e.getKey(), SECTION,
                        "CPU of threads '" + e.getKey() + "' during the profiled run", (double) e.getValue() / wallNanos,
                        "cores")));
    }

    private static String stage(RecordedStackTrace stack) {
        if (stack == null) {
            return OTHER;
        }
        for (RecordedFrame frame : stack.getFrames()) {
            String name = className(frame);
            for (String[] s : STAGES) {
                for (int p = 1; p < s.length; p++) {
                    if (name.startsWith(s[p])) {
                        return s[0];
                    }
                }
            }
        }
        return OTHER;
    }

    private static String className(RecordedFrame frame) {
        return frame.getMethod() == null || frame.getMethod().getType() == null ? ""
                : frame.getMethod().getType().getName();
    }
}
