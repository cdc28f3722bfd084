package dev.sluice.bench;

/**
 * How big each benchmark runs: {@link #full()} for the published table, {@link #smoke()} for CI
 * (seconds, only proves every benchmark still produces its figures).
 */
public record Sizes(
        boolean tiny,
        int ingestRequests,
        int[] ingestLevels,
        int ingestRounds,
        int scalingLevel,
        double profileSeconds,
        double deliveryWarmupSeconds,
        double deliverySeconds,
        double legacySeconds,
        int economyEvents,
        int economyEmails,
        double footprintLoadSeconds,
        int backlogEvents,
        double backlogDrainMaxSeconds,
        int hubspotBacklogEvents) {

    public static Sizes fullSizes() {
        return new Sizes(false, 12_000, new int[] {1, 8, 32, 64}, 3, 32, 15, 12, 48, 30, 1_000, 200, 30,
                1_000_000, 240, 200_000);
    }

    public static Sizes smokeSizes() {
        return new Sizes(true, 400, new int[] {1, 8}, 1, 8, 1, 1, 2, 1, 100, 20, 2, 5_000, 30, 1_000);
    }
}
