package dev.sluice.emulator;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;

/** Runs the emulator until the process is stopped (Ctrl-C). */
public final class HubSpotEmulatorMain {
    private HubSpotEmulatorMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        EmulatorOptions options;
        try {
            options = EmulatorOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(EmulatorOptions.USAGE);
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.println(EmulatorOptions.USAGE);
            return;
        }
        HubSpotEmulator emulator;
        try {
            emulator = options.toBuilder().build().start();
        } catch (RuntimeException e) {
            System.err.println("HubSpot emulator failed to start: " + e.getMessage());
            System.exit(1);
            return;
        }
        emulator.settings().multiStatus(options.multiStatus());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            emulator.stop();
            stopped.countDown();
        }, "hubspot-emulator-shutdown"));
        printBanner(System.out, emulator, options);
        stopped.await();
    }

    static void printBanner(PrintStream out, HubSpotEmulator emulator, EmulatorOptions options) {
        String base = emulator.baseUrl();
        out.println("HubSpot emulator (a strict local double, not HubSpot) listening on " + base);
        out.println("  hub id " + emulator.hubId() + ", rate limit " + options.rateLimit() + " per 10 s, daily "
                + options.dailyLimit() + ", tokens: " + (options.tokens().isEmpty() ? "any non-blank bearer token"
                : options.tokens().size() + " accepted"));
        out.println("  API base URL:   " + base + "   (legacy event pixel: " + base + "/v1/event)");
        out.println("  contacts:       curl " + base + "/_emulator/contacts");
        out.println("  events:         curl " + base + "/_emulator/events");
        out.println("  stats:          curl " + base + "/_emulator/stats");
        out.println("Press Ctrl-C to stop.");
        out.flush();
    }
}
