package dev.sluice.hubspot.delivery;

import dev.sluice.api.Outcome;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Finds the bad inputs of a batch HubSpot refused as a whole: splits it in halves, recursively,
 * and sends small groups one input at a time, until every input answered for itself. One bad
 * contact among 100 thus costs about 2 log2(100) extra calls, and the 99 others are delivered.
 *
 * <p>A request failure that asks to retry (rate limit, outage) stops the search: the inputs not yet
 * sent get the same retry outcome instead of more calls into a limit. One instance per delivery.
 *
 * @param <T> the input type
 */
public final class BatchBisector<T> {

    /** Sends one batch of inputs. */
    @FunctionalInterface
    public interface BatchCall<T> {
        BatchAnswer<T> send(List<T> inputs) throws InterruptedException;
    }

    /** Groups of this size or smaller are sent one input at a time rather than split again. */
    static final int ONE_BY_ONE_AT = 4;
    /** Resends of fixed inputs per delivery; the calls promise progress, this only bounds a bug. */
    static final int MAX_RESENDS = 8;

    private final BatchCall<T> call;
    private Outcome stoppedWith;
    private int resends;

    public BatchBisector(BatchCall<T> call) {
        this.call = Objects.requireNonNull(call, "call");
    }

    /** Sends {@code inputs} (one batch) and returns an outcome for each. */
    public Map<T, Outcome> resolve(List<T> inputs) throws InterruptedException {
        Map<T, Outcome> outcomes = new LinkedHashMap<>();
        resolveInto(inputs, outcomes);
        for (T input : inputs) {
            outcomes.putIfAbsent(input, Outcome.retry("no answer was attributed to this input"));
        }
        return outcomes;
    }

    /** The retry outcome that stopped this delivery's calls, if any. */
    public Optional<Outcome> stoppedWith() {
        return Optional.ofNullable(stoppedWith);
    }

    private void resolveInto(List<T> inputs, Map<T, Outcome> outcomes) throws InterruptedException {
        if (inputs.isEmpty()) {
            return;
        }
        if (stoppedWith != null) {
            inputs.forEach(input -> outcomes.put(input, stoppedWith));
            return;
        }
        BatchAnswer<T> answer = call.send(inputs);
        if (answer instanceof BatchAnswer.Failed<T> failed) {
            inputs.forEach(input -> outcomes.put(input, failed.outcome()));
            if (failed.outcome() instanceof Outcome.Retry) {
                stoppedWith = failed.outcome();
            }
            return;
        }
        BatchAnswer.Resolved<T> resolved = (BatchAnswer.Resolved<T>) answer;
        outcomes.putAll(resolved.outcomes());
        if (!resolved.resend().isEmpty()) {
            if (++resends > MAX_RESENDS) {
                resolved.resend().forEach(input -> outcomes.put(input,
                        Outcome.retry("HubSpot kept refusing this input after " + MAX_RESENDS + " corrected resends")));
            } else {
                resolveInto(resolved.resend(), outcomes);
            }
        }
        List<T> narrow = resolved.narrow();
        if (narrow.isEmpty()) {
            return;
        }
        if (narrow.size() == 1 && inputs.size() == 1) {
            outcomes.put(narrow.get(0), Outcome.rejected(resolved.narrowReason()));
        } else if (narrow.size() <= ONE_BY_ONE_AT) {
            for (T input : narrow) {
                resolveInto(List.of(input), outcomes);
            }
        } else {
            int half = narrow.size() / 2;
            resolveInto(new ArrayList<>(narrow.subList(0, half)), outcomes);
            resolveInto(new ArrayList<>(narrow.subList(half, narrow.size())), outcomes);
        }
    }
}
