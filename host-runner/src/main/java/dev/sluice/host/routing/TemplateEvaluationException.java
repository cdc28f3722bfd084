package dev.sluice.host.routing;

/**
 * A {@code table_name_template} failed for one event. The message names the problem in the
 * template, never the event's values.
 */
final class TemplateEvaluationException extends Exception {

    public TemplateEvaluationException(String message) {
        super(message);
    }
}
