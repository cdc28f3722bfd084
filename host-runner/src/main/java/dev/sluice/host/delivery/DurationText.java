package dev.sluice.host.delivery;

import java.time.Duration;

/** Short human text for a duration: {@code 24h}, {@code 1h30m}, {@code 90s}, {@code 250ms}. */
final class DurationText {

    private DurationText() {
    }

    static String of(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        StringBuilder text = new StringBuilder();
        long hours = d.toHours();
        int minutes = d.toMinutesPart();
        int seconds = d.toSecondsPart();
        int millis = d.toMillisPart();
        if (hours > 0) {
            text.append(hours).append('h');
        }
        if (minutes > 0) {
            text.append(minutes).append('m');
        }
        if (seconds > 0) {
            text.append(seconds).append('s');
        }
        if (millis > 0) {
            text.append(millis).append("ms");
        }
        return text.toString();
    }
}
