package dev.sluice.hubspot.delivery;

import dev.sluice.api.Outcome;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one batch call told us about its inputs, as {@link BatchBisector} needs it.
 *
 * @param <T> the input type; compared by identity or equals, so inputs of one batch must be distinct
 */
public sealed interface BatchAnswer<T> {

    /**
     * Per-input results.
     *
     * @param outcomes    the inputs whose fate is known
     * @param narrow      inputs that are somehow bad but the answer does not say which: send them
     *                    again in smaller groups until each bad one answers for itself
     * @param narrowReason HubSpot's message, used when a lone input is found bad
     * @param resend      inputs to send again as they are (the call already fixed what was wrong,
     *                    e.g. dropped a property HubSpot does not know)
     */
    record Resolved<T>(Map<T, Outcome> outcomes, List<T> narrow, String narrowReason, List<T> resend)
            implements BatchAnswer<T> {
        public Resolved {
            outcomes = new LinkedHashMap<>(outcomes);
            narrow = List.copyOf(narrow);
            Objects.requireNonNull(narrowReason, "narrowReason");
            resend = List.copyOf(resend);
        }
    }

    /**
     * The request failed as a whole for a reason that is not its content (rate limit, outage, auth):
     * every input gets {@code outcome}, and a {@link Outcome.Retry} stops further calls of the delivery.
     */
    record Failed<T>(Outcome outcome) implements BatchAnswer<T> {
        public Failed {
            Objects.requireNonNull(outcome, "outcome");
        }
    }

    static <T> BatchAnswer<T> allDelivered(List<T> inputs) {
        Map<T, Outcome> outcomes = new LinkedHashMap<>();
        inputs.forEach(input -> outcomes.put(input, Outcome.delivered()));
        return new Resolved<>(outcomes, List.of(), "", List.of());
    }

    /** The batch was refused for its content (400, or a conflict) without saying which input. */
    static <T> BatchAnswer<T> invalid(List<T> inputs, String reason) {
        return new Resolved<>(Map.of(), inputs, reason, List.of());
    }

    static <T> BatchAnswer<T> resendAll(List<T> inputs) {
        return new Resolved<>(Map.of(), List.of(), "", inputs);
    }

    static <T> BatchAnswer<T> failed(Outcome outcome) {
        return new Failed<>(outcome);
    }
}
