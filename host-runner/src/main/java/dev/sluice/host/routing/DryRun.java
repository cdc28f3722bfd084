package dev.sluice.host.routing;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What routing would do with one event at one destination, step by step, without storing or
 * counting anything: the answer of the dry-run route and of {@code sluice transform test}.
 *
 * @param destinationId the destination
 * @param accepted      false when its {@code only_tokens} does not take the api key (nothing else ran)
 * @param transform     what the transform did: empty when the destination has none
 * @param results       each event that reached the template (the event itself without a transform)
 */
public record DryRun(String destinationId, boolean accepted, Optional<TransformStep> transform, List<Result> results) {

    public DryRun {
        Objects.requireNonNull(destinationId, "destinationId");
        Objects.requireNonNull(transform, "transform");
        results = List.copyOf(results);
    }

    /**
     * The transform's step.
     *
     * @param events  the events it returned, as JSON (empty when it skipped or failed)
     * @param skipped why it skipped the event ({@code the transform returned null}, ...)
     * @param failure why it failed (the JavaScript message and line): the event would be a dead letter
     */
    public record TransformStep(List<String> events, Optional<String> skipped, Optional<String> failure) {
        public TransformStep {
            events = List.copyOf(events);
            Objects.requireNonNull(skipped, "skipped");
            Objects.requireNonNull(failure, "failure");
        }
    }

    /**
     * One event after the transform, and the template's verdict.
     *
     * @param json      the event as it would be queued
     * @param tableName the {@code JITSU_TABLE_NAME} or template result, empty when there is no template
     * @param from      {@code JITSU_TABLE_NAME}, {@code table_name_template} or {@code none}
     * @param outcome   {@code queued}, {@code skipped} or {@code failed} (the template failed)
     * @param reason    why it is skipped or failed
     */
    public record Result(String json, Optional<String> tableName, String from, String outcome, Optional<String> reason) {
        public Result {
            Objects.requireNonNull(json, "json");
            Objects.requireNonNull(tableName, "tableName");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
