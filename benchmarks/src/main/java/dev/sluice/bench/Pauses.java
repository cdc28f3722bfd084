package dev.sluice.bench;

import dev.sluice.emulator.HubSpotEmulator;
import dev.sluice.emulator.RecordedRequest;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Gaps between the API calls the emulator received in a window (from its request journal): a
 * client that is paced evenly shows short gaps; one that stops and waits shows long ones.
 *
 * @param longestSeconds the longest gap, counting the window's start and end as boundaries
 * @param idleSeconds    the sum of gaps longer than one second
 */
record Pauses(double longestSeconds, double idleSeconds) {

    static Pauses between(HubSpotEmulator hubspot, Instant from, Instant to) {
        List<Instant> times = hubspot.requests().stream()
                .map(RecordedRequest::at)
                .filter(at -> !at.isBefore(from) && !at.isAfter(to))
                .sorted()
                .toList();
        Instant previous = from;
        double longest = 0;
        double idle = 0;
        for (Instant at : times) {
            double gap = Duration.between(previous, at).toNanos() / 1e9;
            longest = Math.max(longest, gap);
            if (gap > 1) {
                idle += gap;
            }
            previous = at;
        }
        double last = Duration.between(previous, to).toNanos() / 1e9;
        longest = Math.max(longest, last);
        if (last > 1) {
            idle += last;
        }
        return new Pauses(longest, idle);
    }
}
