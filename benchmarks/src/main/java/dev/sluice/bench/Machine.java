package dev.sluice.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;

/** The machine a run happened on, for the results page: cores, memory, JVM, load. */
final class Machine {

    private Machine() {
    }

    static String describe() {
        return String.format("machine: %d cores, %s memory, %s %s (%s), %s; load average before the run: %s",
                Runtime.getRuntime().availableProcessors(), memTotal(), System.getProperty("java.vm.name"),
                System.getProperty("java.runtime.version"), System.getProperty("java.vendor"),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"), loadAverage());
    }

    private static String memTotal() {
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return String.format("%.1f GiB", Long.parseLong(line.replaceAll("[^0-9]", "")) / 1048576.0);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: say so below
        }
        return "unknown";
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Paths.get("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
